package io.eksaccess.console.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The command-line face of the jar. A first argument that does not start with "-" names a
 * command; anything else (no arguments, or Spring options such as {@code --server.port=9090})
 * starts the web console.
 *
 * <p>Exit codes: 0 success, 1 the command ran and found a problem, 2 usage error or unusable input.
 */
public final class ConsoleCli {

    public static final int OK = 0;
    public static final int PROBLEM_FOUND = 1;
    public static final int USAGE = 2;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    /** What the commands that keep read dumps ({@link PreparedCache}) look up: XDG_CACHE_HOME, HOME, the off switch. */
    private final Map<String, String> environment;
    /** Help order. Features add their commands here and in {@link #create}. */
    /** What other tools print their version with; not a Spring option, so a command, not the web console. */
    static final String VERSION_OPTION = "--version";
    static final List<String> COMMANDS = List.of("help", "version", "aws-auth", "who-can", "can-i", "rules-for",
            "access-for", "access-entries", "eks-token", "findings", "audit");

    public ConsoleCli(InputStream in, PrintStream out, PrintStream err) {
        this(in, out, err, System.getenv());
    }

    ConsoleCli(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    /**
     * Only the command that runs is created: a command's class and what its fields set up (JSON
     * mappers, formatters) load only when it is used, so {@code version} costs what the JVM does.
     */
    CliCommand create(String name) {
        return switch (name) {
            case "help" -> new HelpCommand(this);
            case "version" -> new VersionCommand();
            case "aws-auth" -> new AwsAuthCommand();
            case "who-can" -> new WhoCanCommand();
            case "can-i" -> new CanICommand();
            case "rules-for" -> new RulesForCommand();
            case "access-for" -> new AccessForCommand();
            case "access-entries" -> new AccessEntriesCommand();
            case "eks-token" -> new EksTokenCommand(java.time.Clock.systemUTC());
            case "findings" -> new FindingsCommand();
            case "audit" -> new AuditCommand();
            default -> null;
        };
    }

    /**
     * Runs a command on the process's standard streams. Its stdout is buffered, where System.out
     * writes at every line (findings' 15,000 lines over a large dump were 15,000 writes), and is
     * flushed before anything goes to stderr and at the end, so the two still interleave in order.
     */
    public static int runOnStandardStreams(String[] args) {
        PrintStream out = stream(new java.io.BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
                1 << 16), false, "stdout");
        java.io.OutputStream errBytes = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                out.flush();
                System.err.write(b);
            }

            @Override
            public void write(byte[] bytes, int from, int length) {
                out.flush();
                System.err.write(bytes, from, length);
            }

            @Override
            public void flush() {
                out.flush();
                System.err.flush();
            }
        };
        PrintStream err = stream(errBytes, true, "stderr");
        try {
            return new ConsoleCli(System.in, out, err).run(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** A print stream in the encoding System.out or System.err has ({@code stream}: "stdout" or "stderr"). */
    private static PrintStream stream(java.io.OutputStream to, boolean autoFlush, String stream) {
        // JDK 18+ names it stdout.encoding, JDK 17 sun.stdout.encoding (set for a console only); else the default.
        String encoding = System.getProperty(stream + ".encoding", System.getProperty("sun." + stream + ".encoding"));
        if (encoding != null) {
            try {
                return new PrintStream(to, autoFlush, encoding);
            } catch (java.io.UnsupportedEncodingException e) {
                // as System itself does: the default charset
            }
        }
        return new PrintStream(to, autoFlush);
    }

    /** True when the arguments ask for the CLI rather than the web console. */
    public static boolean isCommand(String[] args) {
        if (args.length == 0) {
            return false;
        }
        String first = args[0];
        return first.equals("--help") || first.equals("-h") || first.equals(VERSION_OPTION) || !first.startsWith("-");
    }

    public int run(String[] args) {
        String name = args[0].equals("--help") || args[0].equals("-h") ? "help"
                : args[0].equals(VERSION_OPTION) ? "version" : args[0];
        CliCommand command = COMMANDS.contains(name) ? create(name) : null;
        if (command instanceof RbacCommand rbac) {
            rbac.environment = environment;
        } else if (command instanceof FindingsCommand findings) {
            findings.environment = environment;
        }
        if (command == null) {
            err.println("eks-access-console: unknown command '" + name + "'" + KubectlHabits.commandHint(name, COMMANDS));
            printUsage(err);
            return USAGE;
        }
        return command.run(Arrays.copyOfRange(args, 1, args.length), in, out, err);
    }

    void printUsage(PrintStream to) {
        to.println("Usage: java -jar backend/target/eks-access-console.jar [<command> [options]]");
        to.println();
        to.println("Without a command the web console starts (http://localhost:8080 by default);");
        to.println("Spring options such as --server.port=9090 may follow.");
        to.println();
        to.println("Commands (they start no web server, database or cluster connection):");
        for (String name : COMMANDS) {
            CliCommand command = create(name);
            to.printf("  %-15s %s%n", command.name(), command.summary());
        }
        to.println();
        to.println("Exit codes: 0 success, 1 the command found a problem, 2 usage error or unusable input.");
    }

    private record HelpCommand(ConsoleCli cli) implements CliCommand {
        @Override
        public String name() {
            return "help";
        }

        @Override
        public String summary() {
            return "show this help";
        }

        @Override
        public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
            cli.printUsage(out);
            return OK;
        }
    }

    private record VersionCommand() implements CliCommand {
        @Override
        public String name() {
            return "version";
        }

        @Override
        public String summary() {
            return "print the console version";
        }

        @Override
        public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
            String version = ConsoleCli.class.getPackage().getImplementationVersion();
            out.println("eks-access-console " + (version == null ? "development" : version));
            return OK;
        }
    }
}
