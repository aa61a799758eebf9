package io.eksaccess.console.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * One offline command of the jar ({@code java -jar eks-access-console.jar <name> …}). Commands
 * start no web server, database or cluster connection. Register new ones in {@link ConsoleCli}.
 */
public interface CliCommand {

    /** The first word on the command line. */
    String name();

    /** One line for {@code --help}. */
    String summary();

    /**
     * @param args the arguments after the command's name
     * @return the exit code: {@link ConsoleCli#OK}, {@link ConsoleCli#PROBLEM_FOUND} or {@link ConsoleCli#USAGE}
     */
    int run(String[] args, InputStream in, PrintStream out, PrintStream err);
}
