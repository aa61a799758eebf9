package io.eksaccess.console.awsauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input ends in a clear error, never a stack trace or a hang (speed is left to benchmarks). */
class HostileInputTest {

    @Test
    void billionLaughsIsRefusedAsExcessiveAliasing() {
        StringBuilder yaml = new StringBuilder("- rolearn: x\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 12; i++) {
            yaml.append("  a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }
        AwsAuthConfig config = AwsAuthParser.parse(Map.of("mapRoles", yaml.toString(), "mapUsers", "- &x [*x]\n"));
        assertThat(config.roles()).isEmpty();
        assertThat(config.errors()).extracting(EntryError::message)
                .anyMatch(m -> m.contains("excessive aliasing")).anyMatch(m -> m.contains("contains itself"));
    }

    @Test
    void deepNestingAndHugeSectionsAreErrors() {
        AwsAuthConfig deep = AwsAuthParser.parse(Map.of("mapRoles", "[".repeat(100_000)));
        assertThat(deep.errors()).singleElement().extracting(EntryError::message).asString().contains("nested deeper");
        AwsAuthConfig huge = AwsAuthParser.parse(Map.of("mapRoles",
                "- rolearn: arn:aws:iam::1:role/A\n  username: u\n".repeat(120_000))); // ~5 MB
        assertThat(huge.roles()).isEmpty();
        assertThat(huge.errors()).singleElement().extracting(EntryError::message).asString().contains("exceeds the limit");
    }

    @Test
    void binaryAndNonYamlAreErrors() {
        AwsAuthConfig config = AwsAuthParser.parse(Map.of("mapRoles", "\u0000\u0001\u0002binary", "mapUsers", "- a: [b\n  c: }"));
        assertThat(config.errors()).hasSize(2).allMatch(e -> e.index() == null && e.message().contains("cannot be read"));
    }
}
