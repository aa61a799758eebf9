package io.eksaccess.console.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The command-line face of the jar. A first argument that does not start with "-" names a
 * command; anything else (no arguments, or Spring options such as {@code --server.port=9090})
 * starts the web console. Later features register their commands in {@link #COMMANDS}.
 *
 * <p>Exit codes: 0 success, 1 the command ran and found a problem, 2 usage error.
 */
public final class ConsoleCli {

    public static final int OK = 0;
    public static final int USAGE = 2;

    /** command name → (arguments after the name, cli) → exit code. Insertion order is the help order. */
    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("help", new Command("show this help", (args, cli) -> cli.printUsage(cli.out)));
        COMMANDS.put("version", new Command("print the console version", (args, cli) -> {
            cli.out.println("eks-access-console " + version());
            return OK;
        }));
    }

    private record Command(String summary, BiFunction<String[], ConsoleCli, Integer> action) {}

    private final PrintStream out;
    private final PrintStream err;

    public ConsoleCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** True when the arguments ask for the CLI rather than the web console. */
    public static boolean isCommand(String[] args) {
        if (args.length == 0) {
            return false;
        }
        String first = args[0];
        return first.equals("--help") || first.equals("-h") || !first.startsWith("-");
    }

    public int run(String[] args) {
        String name = args[0].equals("--help") || args[0].equals("-h") ? "help" : args[0];
        Command command = COMMANDS.get(name);
        if (command == null) {
            err.println("eks-access-console: unknown command '" + name + "'");
            printUsage(err);
            return USAGE;
        }
        return command.action().apply(Arrays.copyOfRange(args, 1, args.length), this);
    }

    private int printUsage(PrintStream to) {
        to.println("Usage: java -jar backend/target/eks-access-console.jar [<command> [options]]");
        to.println();
        to.println("Without a command the web console starts (http://localhost:8080 by default);");
        to.println("Spring options such as --server.port=9090 may follow.");
        to.println();
        to.println("Commands (they start no web server, database or cluster connection):");
        COMMANDS.forEach((commandName, command) ->
                to.printf("  %-12s %s%n", commandName, command.summary()));
        return OK;
    }

    static String version() {
        String version = ConsoleCli.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
