package io.eksaccess.console.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.apply.MappingChange;
import io.eksaccess.console.system.ConsoleException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The field checks that turn form and API input into a change (its stored form: MappingChangeJsonTest). */
class ChangeKindTest {

    @Test
    void buildSaysWhichFieldIsWrong() {
        assertThatThrownBy(() -> ChangeKind.MAP_ROLE.build(" ", "u", List.of()))
                .isInstanceOf(ConsoleException.class).hasMessage("an IAM ARN is required");
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

    /** Every partition the authenticator reads (AwsAuthParser.PARTITIONS) can be mapped; others are refused. */
    @Test
    void mappingsAcceptEveryPartitionTheAuthenticatorKnows() {
        for (String partition : List.of("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f",
                "aws-eusc")) {
            String role = "arn:" + partition + ":iam::111122223333:role/Dev";
            assertThat(((MappingChange.MapRole) ChangeKind.MAP_ROLE.build(role, "dev:{{SessionName}}", List.of("g")))
                    .entry().roleArn()).as(partition).isEqualTo(role);
            String user = "arn:" + partition + ":iam::111122223333:user/a";
            assertThat(((MappingChange.MapUser) ChangeKind.MAP_USER.build(user, "a", List.of("g"))).entry().userArn())
                    .as(partition).isEqualTo(user);
        }
        assertThatThrownBy(() -> ChangeKind.MAP_ROLE.build("arn:aws-moon:iam::111122223333:role/Dev", "d", List.of()))
                .hasMessageContaining("arn:aws-moon:iam::111122223333:role/Dev");
    }

    @Test
    void roleUsernameSuggestionCarriesTheSessionName() {
        assertThat(RequestPreviewer.suggestUsername(ChangeKind.MAP_ROLE, "arn:aws:iam::111122223333:role/team/Dev"))
                .isEqualTo("Dev:{{SessionName}}");
        assertThat(RequestPreviewer.suggestUsername(ChangeKind.MAP_ROLE, "")).isEqualTo("{{SessionName}}");
        assertThat(RequestPreviewer.suggestUsername(ChangeKind.MAP_USER, "arn:aws:iam::111122223333:user/a")).isNull();
    }
}
