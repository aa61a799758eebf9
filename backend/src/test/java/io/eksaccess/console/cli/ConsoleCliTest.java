package io.eksaccess.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ConsoleCli cli = new ConsoleCli(
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void helpPrintsUsageAndSucceeds() {
        assertThat(cli.run(new String[] {"--help"})).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("Usage: java -jar backend/target/eks-access-console.jar [<command> [options]]")
                .contains("help", "version");
    }

    @Test
    void unknownCommandIsAUsageErrorOnStderr() {
        assertThat(cli.run(new String[] {"frobnicate"})).isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("unknown command 'frobnicate'")
                .contains("Usage:");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void commandsAreToldApartFromSpringOptions() {
        assertThat(ConsoleCli.isCommand(new String[] {})).isFalse();
        assertThat(ConsoleCli.isCommand(new String[] {"--server.port=9090"})).isFalse();
        assertThat(ConsoleCli.isCommand(new String[] {"--help"})).isTrue();
        assertThat(ConsoleCli.isCommand(new String[] {"-h"})).isTrue();
        assertThat(ConsoleCli.isCommand(new String[] {"version"})).isTrue();
        // As other tools print their version: a command, never a web console starting on port 8080.
        assertThat(ConsoleCli.isCommand(new String[] {"--version"})).isTrue();
    }

    @Test
    void dashDashVersionPrintsTheVersion() {
        assertThat(cli.run(new String[] {"--version"})).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("eks-access-console ");
    }

    @Test
    void aMistypedCommandOrASubcommandTypedAsOneIsNamed() {
        assertThat(cli.run(new String[] {"whocan"})).isEqualTo(ConsoleCli.USAGE);
        assertThat(cli.run(new String[] {"validate"})).isEqualTo(ConsoleCli.USAGE);
        assertThat(cli.run(new String[] {"xyzzy"})).isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("unknown command 'whocan'; did you mean 'who-can'?")
                .contains("unknown command 'validate'; did you mean 'aws-auth validate'?")
                .contains("unknown command 'xyzzy'\n");
    }

    /** What a kubectl user types by habit is still exit 2, and says what to write instead; the usage says it once. */
    @Test
    void kubectlHabitsGetAHintWithTheirUsageError() {
        String dump = "--from=/nonexistent/rbac.yaml";
        String[][] habits = {
            {"who-can", dump, "-A", "get", "pods"},
            {"who-can", dump, "-o", "json", "get", "pods"},
            {"can-i", dump, "--as", "alice", "get", "pods"},
            {"can-i", dump, "--as-group", "devs", "get", "pods"},
            {"who-can", "--kubeconfig", "/root/.kube/config", "get", "pods"},
            {"who-can", "get", "pods"},
        };
        for (String[] habit : habits) {
            assertThat(cli.run(habit)).as(String.join(" ", habit)).isEqualTo(ConsoleCli.USAGE);
        }
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("unknown option -A: without -n the question is cluster-wide")
                .contains("unknown option -o: write --json for JSON")
                .contains("unknown option --as: give the user with --user U")
                .contains("unknown option --as-group: give each group with --group G")
                .contains("unknown option --kubeconfig: this command reads a dump, not a cluster: --from PATH")
                .contains("missing --from PATH (a cluster dump, e.g. kubectl get clusterroles,clusterrolebindings,roles,"
                        + "rolebindings -A -o yaml > rbac.yaml)");
    }

    @Test
    void aNoteUnderAUsageLineIsNotPrintedAsACommand() {
        assertThat(cli.run(new String[] {"can-i", "--help"})).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("         (--user, one or more --group, or both)")
                .doesNotContain("eks-access-console.jar (--user");
    }
}
