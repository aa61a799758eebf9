package io.eksaccess.console.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The launcher's CDS training run (.ci/cli/eks-access-console, issue 19): several commands in one
 * JVM, so one {@code -XX:ArchiveClassesAtExit} archive holds what each of them loads, a cache miss
 * and the cache hits after it alike (their classes, lambda proxies and method-handle forms). A
 * dynamic archive is recorded from one JVM only, and {@code java -jar} runs one command and exits.
 * Usage: {@code java -cp APP.jar io.eksaccess.console.cli.CliTraining CMD ARGS… [--then CMD ARGS…]…};
 * output is discarded, exit codes are not checked: it only has to run the code.
 */
public final class CliTraining {

    static final String THEN = "--then";

    private CliTraining() {}

    public static void main(String[] args) {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        for (String[] command : commands(args)) {
            try {
                new ConsoleCli(System.in, discard, discard).run(command);
            } catch (RuntimeException e) {
                // a training step that fails only leaves its classes out of the archive
            }
        }
    }

    static List<String[]> commands(String[] args) {
        List<String[]> commands = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= args.length; i++) {
            if (i == args.length || args[i].equals(THEN)) {
                if (i > start) {
                    commands.add(Arrays.copyOfRange(args, start, i));
                }
                start = i + 1;
            }
        }
        return commands;
    }
}
