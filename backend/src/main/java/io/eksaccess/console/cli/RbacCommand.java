package io.eksaccess.console.cli;

import io.eksaccess.console.rbac.PreparedIndex;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the RBAC commands share: options, {@code --from PATH} loading and exit codes. 0 answered
 * (also "not allowed"), 1 answered but some input could not be read (reported, the rest used),
 * 2 usage error or unusable input, each with one line on stderr.
 */
abstract class RbacCommand implements CliCommand {

    private static final String JAR = "java -jar backend/target/eks-access-console.jar ";

    /** Thrown by {@link #answer} for input that leaves no answer (exit 2). */
    static final class UnusableException extends Exception {
        UnusableException(String message) {
            super(message);
        }
    }

    /** Where {@link PreparedCache} looks for its directory and its off switch; tests give their own. */
    Map<String, String> environment = System.getenv();

    /** The options this command takes besides --json, --help and --no-cache. */
    abstract Set<String> options();

    /** Usage lines without the "java -jar …" prefix. */
    abstract String usage();

    /**
     * Prints the answer; problems in the manifests are already printed by {@link #run}.
     *
     * @return whether other input (besides the manifests) had problems, which makes the exit code 1
     */
    abstract boolean answer(RbacArgs args, RbacManifests.Loaded loaded, InputStream in, PrintStream out,
            PrintStream err) throws RbacArgs.UsageException, UnusableException;

    @Override
    public final int run(String[] argv, InputStream in, PrintStream out, PrintStream err) {
        RbacArgs args;
        RbacManifests.Loaded loaded;
        String from;
        PreparedCache cache;
        try {
            Set<String> options = new HashSet<>(options());
            options.add(RbacArgs.NO_CACHE);
            args = RbacArgs.parse(argv, options);
            if (args.help) {
                out.println(usageText());
                return ConsoleCli.OK;
            }
            from = args.required("--from");
            validate(args);
            cache = PreparedCache.of(environment, args.noCache);
            loaded = RbacManifests.load(from, cache);
        } catch (RbacArgs.UsageException e) {
            return usage(err, e.getMessage());
        } catch (RbacManifests.UnusableInputException e) {
            err.println(name() + ": " + e.getMessage());
            return ConsoleCli.USAGE;
        }
        loaded.problems().forEach(problem -> err.println(name() + ": skipped " + problem.line()));
        loaded.warnings().forEach(warning -> err.println(name() + ": warning: " + warning.line()));
        boolean otherProblems;
        try {
            try {
                otherProblems = answer(args, loaded, in, out, err);
            } catch (PreparedIndex.Damaged e) {
                // Every command works out its answer before it prints any of it, so nothing was printed.
                err.println(name() + ": the dump kept in " + cache.directory() + " did not read as written;"
                        + " answered from the dump itself (and kept anew)");
                loaded = RbacManifests.load(from, cache, true);
                otherProblems = answer(args, loaded, in, out, err);
            }
        } catch (RbacManifests.UnusableInputException e) {
            err.println(name() + ": " + e.getMessage());
            return ConsoleCli.USAGE;
        } catch (RbacArgs.UsageException e) {
            return usage(err, e.getMessage());
        } catch (UnusableException e) {
            err.println(name() + ": " + e.getMessage());
            return ConsoleCli.USAGE;
        }
        return loaded.problems().isEmpty() && !otherProblems ? ConsoleCli.OK : ConsoleCli.PROBLEM_FOUND;
    }

    /** Checks the usage before any file is read. */
    void validate(RbacArgs args) throws RbacArgs.UsageException {}

    private int usage(PrintStream err, String problem) {
        err.println(name() + ": " + problem);
        err.println(usageText());
        return ConsoleCli.USAGE;
    }

    private String usageText() {
        StringBuilder text = new StringBuilder();
        String[] lines = usage().split("\n");
        for (int i = 0; i < lines.length; i++) {
            // A line in parentheses is a note on the line before it, not a command line.
            String line = lines[i].startsWith("(") ? "  " + lines[i] : JAR + lines[i];
            text.append(i == 0 ? "Usage: " : "       ").append(line).append('\n');
        }
        text.append("--from PATH: a manifest file or directory (YAML, JSON, List objects, as kubectl get ... -o yaml prints them)\n");
        text.append("--no-cache: read PATH afresh and keep nothing (else the read dump is kept in ~/.cache/eks-access-console/prepared,"
                + " used again only for the very same bytes; " + PreparedCache.NO_CACHE_ENV + "=1 does the same)");
        return text.toString();
    }
}
