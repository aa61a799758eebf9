package io.eksaccess.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher's training run splits its arguments into commands at --then (issue 19). */
class CliTrainingTest {

    @Test
    void commandsAreSplitAtThenAndEmptyOnesDropped() {
        List<String[]> commands = CliTraining.commands(new String[] {"who-can", "--from", "d", "get", "pods", "--then",
            "--then", "version", "--then"});
        assertThat(commands).hasSize(2);
        assertThat(commands.get(0)).containsExactly("who-can", "--from", "d", "get", "pods");
        assertThat(commands.get(1)).containsExactly("version");
        assertThat(CliTraining.commands(new String[0])).isEmpty();
    }
}
