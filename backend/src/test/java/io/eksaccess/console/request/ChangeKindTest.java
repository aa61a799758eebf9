package io.eksaccess.console.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.apply.MappingChange;
import io.eksaccess.console.awsauth.AwsAuthEdit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored and API form of a change, and the field checks that turn form input into one. */
class ChangeJsonTest {

    @Test
    void everyKindSurvivesTheRoundTrip() {
        List<MappingChange> changes = List.of(
                new MappingChange.MapRole(new AwsAuthEdit.RoleEntry("arn:aws:iam::111122223333:role/Dev", null,
                        "dev:{{SessionName}}", List.of("readers", "writers"))),
                new MappingChange.MapRole(new AwsAuthEdit.RoleEntry("arn:aws:iam::111122223333:role/NoGroups", null,
                        "n", List.of())),
                new MappingChange.UnmapRole("arn:aws:iam::111122223333:role/Dev"),
                new MappingChange.MapUser(new AwsAuthEdit.UserEntry("arn:aws:iam::111122223333:user/alice", "alice",
                        List.of("devs"))),
                new MappingChange.UnmapUser("arn:aws:iam::111122223333:user/alice"),
                new MappingChange.MapAccount("111122223333"),
                new MappingChange.UnmapAccount("111122223333"));
        for (MappingChange change : changes) {
            assertThat(ChangeJson.read(ChangeJson.write(change))).isEqualTo(change);
        }
        assertThat(ChangeJson.write(changes.get(0))).isEqualTo("""
                {"kind":"MAP_ROLE","arn":"arn:aws:iam::111122223333:role/Dev","username":"dev:{{SessionName}}",\
                "groups":["readers","writers"]}""");
        assertThat(ChangeJson.write(changes.get(5))).isEqualTo("{\"kind\":\"MAP_ACCOUNT\",\"accountId\":\"111122223333\"}");
    }

    @Test
    void buildSaysWhichFieldIsWrong() {
        assertThatThrownBy(() -> ChangeKind.MAP_ROLE.build(" ", "u", List.of()))
                .isInstanceOf(RequestException.class).hasMessage("an IAM ARN is required");
        assertThatThrownBy(() -> ChangeKind.MAP_ROLE.build("role/Dev", "u", List.of()))
                .hasMessageContaining("is not an ARN");
        assertThatThrownBy(() -> ChangeKind.MAP_ROLE.build("arn:aws:iam::111122223333:role/Dev", "", List.of()))
                .hasMessageContaining("{{SessionName}}");
        assertThatThrownBy(() -> ChangeKind.MAP_ACCOUNT.build("1234", null, null))
                .hasMessageContaining("12 digits");
        assertThat(ChangeKind.UNMAP_USER.build(" arn:aws:iam::111122223333:user/a ", null, null))
                .isEqualTo(new MappingChange.UnmapUser("arn:aws:iam::111122223333:user/a"));
        assertThat(ChangeKind.splitGroups(" a, b,,a ")).containsExactly("a", "b", "a");
        assertThat(((MappingChange.MapUser) ChangeKind.MAP_USER.build("arn:aws:iam::111122223333:user/a", "a",
                List.of("x", " x ", ""))).entry().groups()).containsExactly("x");
    }

    @Test
    void roleUsernameSuggestionCarriesTheSessionName() {
        assertThat(RequestPreviewer.suggestUsername(ChangeKind.MAP_ROLE, "arn:aws:iam::111122223333:role/team/Dev"))
                .isEqualTo("Dev:{{SessionName}}");
        assertThat(RequestPreviewer.suggestUsername(ChangeKind.MAP_ROLE, "")).isEqualTo("{{SessionName}}");
        assertThat(RequestPreviewer.suggestUsername(ChangeKind.MAP_USER, "arn:aws:iam::111122223333:user/a")).isNull();
    }
}
