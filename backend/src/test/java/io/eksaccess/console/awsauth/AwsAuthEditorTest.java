package io.eksaccess.console.awsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.system.ConsoleException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AwsAuthEditorTest {

    private static final String ROLES = """
            # managed by the platform team
            - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
              username: system:node:{{EC2PrivateDNSName}}
              groups:
                - system:bootstrappers
                - system:nodes
            - rolearn:   arn:aws:iam::111122223333:role/Admins   # odd spacing kept
              username: "admin:{{SessionName}}"
              groups: [system:masters]

            # developers
            - rolearn: arn:aws:iam::111122223333:role/Dev
              username: dev:{{SessionName}}
              groups: [developers]
            """;

    private static Map<String, String> data() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("mapRoles", ROLES);
        data.put("mapUsers", "- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n");
        data.put("other", "untouched: true\n");
        return data;
    }

    @Test
    void removingAnEntryDeletesOnlyItsLines() {
        Map<String, String> after = AwsAuthEditor.apply(data(), new AwsAuthEdit.RemoveRole(1));
        assertThat(after.get("mapRoles")).isEqualTo(ROLES.replace("""
                - rolearn:   arn:aws:iam::111122223333:role/Admins   # odd spacing kept
                  username: "admin:{{SessionName}}"
                  groups: [system:masters]
                """, ""));
        assertThat(after.get("mapUsers")).isEqualTo(data().get("mapUsers"));
        assertThat(after.get("other")).isEqualTo("untouched: true\n");
        assertThat(AwsAuthParser.parse(after).roles()).extracting(RoleMapping::roleArn)
                .containsExactly("arn:aws:iam::111122223333:role/NodeInstanceRole", "arn:aws:iam::111122223333:role/Dev");
    }

    @Test
    void updatingAnEntryReplacesOnlyItsLinesAndShowsAsOneHunk() {
        AwsAuthEdit.RoleEntry entry = new AwsAuthEdit.RoleEntry("arn:aws:iam::111122223333:role/Dev", null,
                "dev:{{SessionName}}", List.of("developers", "viewers"));
        Map<String, String> after = AwsAuthEditor.apply(data(), new AwsAuthEdit.UpdateRole(2, entry));
        List<String> diff = UnifiedDiff.render("mapRoles", ROLES, after.get("mapRoles"));
        assertThat(diff).containsExactly(
                "--- a/mapRoles",
                "+++ b/mapRoles",
                "@@ -11,4 +11,6 @@",
                " # developers",
                " - rolearn: arn:aws:iam::111122223333:role/Dev",
                " username: dev:{{SessionName}}".replace(" username", "   username"),
                "-  groups: [developers]",
                "+  groups:",
                "+    - developers",
                "+    - viewers");
        RoleMapping dev = AwsAuthParser.parse(after).roles().get(2);
        assertThat(dev.groups()).containsExactly("developers", "viewers");
    }

    @Test
    void addedEntriesGoAfterTheLastOneWithTheListsIndentationAndReadBackExactly() {
        Map<String, String> data = Map.of("mapRoles", "  - rolearn: arn:aws:iam::1:role/A\n    username: a\n  # end\n");
        AwsAuthEdit.RoleEntry entry = new AwsAuthEdit.RoleEntry("arn:aws:iam::1:role/B", null, "{{SessionName}}",
                List.of("yes", "123", "a: b", "#x", "system:masters"));
        Map<String, String> after = AwsAuthEditor.apply(data, new AwsAuthEdit.AddRole(entry));
        assertThat(after.get("mapRoles")).startsWith("  - rolearn: arn:aws:iam::1:role/A\n    username: a\n  - rolearn: ")
                .endsWith("  # end\n");
        RoleMapping added = AwsAuthParser.parse(after).roles().get(1);
        assertThat(added.username()).isEqualTo("{{SessionName}}");
        assertThat(added.groups()).containsExactly("yes", "123", "a: b", "#x", "system:masters");
    }

    @Test
    void addingToAnEmptyOrMissingSectionCreatesIt() {
        Map<String, String> after = AwsAuthEditor.apply(Map.of(), new AwsAuthEdit.AddAccount("111122223333"));
        assertThat(after.get("mapAccounts")).isEqualTo("- \"111122223333\"\n");
        Map<String, String> users = AwsAuthEditor.apply(Map.of("mapUsers", "# none yet\n"),
                new AwsAuthEdit.AddUser(new AwsAuthEdit.UserEntry("arn:aws:iam::1:user/bob", "bob", List.of())));
        assertThat(users.get("mapUsers")).isEqualTo("# none yet\n- userarn: arn:aws:iam::1:user/bob\n  username: bob\n  groups: []\n");
    }

    @Test
    void flowStyleListsAreRefusedRatherThanRewritten() {
        assertThatThrownBy(() -> AwsAuthEditor.apply(Map.of("mapRoles", "[{rolearn: a}]"), new AwsAuthEdit.RemoveRole(0)))
                .isInstanceOf(ConsoleException.class).hasMessageContaining("not a block list");
    }

    @Test
    void editsThatWouldExposeALaterDocumentAreRefused() {
        assertThatThrownBy(() -> AwsAuthEditor.apply(Map.of("mapRoles", "- rolearn: a\n---\n- rolearn: b\n"),
                new AwsAuthEdit.RemoveRole(0))).isInstanceOf(ConsoleException.class);
    }

    @Test
    void unchangedDataHasAnEmptyDiff() {
        assertThat(UnifiedDiff.render("mapRoles", ROLES, ROLES)).isEmpty();
    }

    /** Property: over generated valid maps, removing entry k changes exactly that entry's lines and nothing else. */
    @Test
    void oneEntryEditsTouchOnlyThatEntry() {
        Random random = new Random(7);
        AwsAuthCorpus corpus = new AwsAuthCorpus(99);
        int checked = 0;
        int refused = 0;
        for (int n = 0; n < 3000 && checked < 300; n++) {
            Map<String, String> data = corpus.next();
            AwsAuthConfig before = AwsAuthParser.parse(data);
            if (before.hasErrors() || before.roles().isEmpty()) {
                continue;
            }
            RoleMapping target = before.roles().get(random.nextInt(before.roles().size()));
            Map<String, String> after;
            try {
                after = AwsAuthEditor.apply(data, new AwsAuthEdit.RemoveRole(target.index()));
            } catch (ConsoleException e) {
                refused++;
                continue; // flow-style lists, several documents
            }
            checked++;
            List<String> lines = AwsAuthEditor.splitLines(data.get("mapRoles"));
            List<String> expected = new ArrayList<>(lines);
            int first = target.lines().first() - 1;
            while (!lines.get(first).stripLeading().startsWith("-")) {
                first--;
            }
            expected.subList(first, target.lines().last()).clear();
            assertThat(after.get("mapRoles")).isEqualTo(String.join("", expected));
            for (String key : data.keySet()) {
                if (!key.equals("mapRoles")) {
                    assertThat(after.get(key)).isEqualTo(data.get(key));
                }
            }
            List<RoleMapping> remaining = AwsAuthParser.parse(after).roles();
            assertThat(remaining).as(data.get("mapRoles") + "\n=>\n" + after.get("mapRoles")).extracting(RoleMapping::username).containsExactlyElementsOf(before.roles().stream()
                    .filter(r -> r != target).map(RoleMapping::username).toList());
        }
        assertThat(checked).isGreaterThan(100);
        assertThat(refused).as("refusals (flow lists, anchors, several documents) stay the exception").isLessThan(checked / 4);
    }

    /** Property: serializing an unchanged map is the identity. */
    @Test
    void parseThenWriteUnchangedIsByteIdentical() {
        AwsAuthCorpus corpus = new AwsAuthCorpus(5);
        for (int n = 0; n < 500; n++) {
            Map<String, String> data = corpus.next();
            assertThat(AwsAuthParser.parse(data).data()).isEqualTo(data);
            assertThat(UnifiedDiff.render("mapRoles", data.getOrDefault("mapRoles", ""),
                    AwsAuthParser.parse(data).data().getOrDefault("mapRoles", ""))).isEmpty();
        }
    }
}
