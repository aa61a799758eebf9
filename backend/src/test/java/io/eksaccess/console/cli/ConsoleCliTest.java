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
    }
}
