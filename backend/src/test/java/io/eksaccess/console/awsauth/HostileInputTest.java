package io.eksaccess.console.awsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.awsauth.goyaml.Echo;
import io.eksaccess.console.testsupport.HostileDocuments;
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

    @Test
    void nestingThroughAliasesCountsAgainstTheDepthLimit() {
        String hostile = HostileDocuments.deepAliasChain();
        assertThat(hostile.length()).isBetween(7_900, 8_200);
        // Used to end in StackOverflowError: each list is 990 deep, together 3,960.
        assertThatThrownBy(() -> AwsAuthParser.read(Map.of("mapRoles", hostile)))
                .isInstanceOf(AwsAuthUnreadableException.class)
                .hasMessageContaining("mapRoles").hasMessageContaining("nested deeper than 1000 levels")
                .hasMessageContaining("aliases");
        AwsAuthConfig parsed = AwsAuthParser.parse(Map.of("mapRoles", hostile, "mapUsers", "- userarn: arn:aws:iam::1:user/a\n"));
        assertThat(parsed.users()).hasSize(1);
        assertThat(parsed.errors()).singleElement().extracting(EntryError::message).asString()
                .contains("beyond what the console reads").contains("nested deeper");
        // mapAccounts (decoded into []string, which never descends into lists) meets the text's limit.
        assertThatThrownBy(() -> AwsAuthParser.read(Map.of("mapAccounts", "[".repeat(1_001))))
                .isInstanceOf(AwsAuthUnreadableException.class).hasMessageStartingWith("mapAccounts: line 1: nested deeper");
    }

    @Test
    void aliasExpansionHasANodeBudgetBelowWhatGoYamlsRatioAllows() {
        // 200,000 scalars and five aliases of them: 1.2 million values, a ratio go-yaml lets through.
        String anchored = "- &big [" + "x,".repeat(200_000) + "x]\n- [*big, *big, *big, *big, *big]\n";
        assertThatThrownBy(() -> AwsAuthParser.read(Map.of("mapRoles", anchored)))
                .isInstanceOf(AwsAuthUnreadableException.class).hasMessageContaining("once aliases are expanded");
        // The 48-alias bomb is go-yaml's own "excessive aliasing": the authenticator ignores the section.
        AwsAuthConfig bomb = AwsAuthParser.parse(Map.of("mapRoles", HostileDocuments.aliasBombManifest()));
        assertThat(bomb.errors()).singleElement().extracting(EntryError::message).asString().contains("excessive aliasing");
    }

    @Test
    void echoedInputIsCappedInEveryParserError() throws Exception {
        String huge = "y".repeat(1_000_000);
        AwsAuthConfig config = AwsAuthParser.read(Map.of(
                "mapRoles", "- rolearn: [" + huge + "]\n- sso: {accountID: \"" + huge + "\", permissionSetName: a}\n",
                "mapUsers", "\"" + huge + "\"",
                "mapAccounts", "- !!int " + huge + "\n- &" + huge + " 1\n"));
        assertThat(config.errors()).hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(e -> assertThat(e.message().length()).as(Echo.of(e.message())).isLessThan(600));
        assertThat(AwsAuthParser.parse(Map.of("mapRoles", "- *" + huge + "\n")).errors())
                .singleElement().extracting(e -> e.message().length()).isNotNull()
                .satisfies(length -> assertThat((Integer) length).isLessThan(600));
        assertThat(Echo.of(huge)).hasSizeLessThan(Echo.MAX_CHARS + 40).endsWith("(1000000 characters)");
    }
}
