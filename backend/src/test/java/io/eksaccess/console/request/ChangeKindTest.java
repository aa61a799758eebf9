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

    @Test
    void roleUsernameSuggestionCarriesTheSessionName() {
        assertThat(RequestPreviewer.suggestUsername(ChangeKind.MAP_ROLE, "arn:aws:iam::111122223333:role/team/Dev"))
                .isEqualTo("Dev:{{SessionName}}");
        assertThat(RequestPreviewer.suggestUsername(ChangeKind.MAP_ROLE, "")).isEqualTo("{{SessionName}}");
        assertThat(RequestPreviewer.suggestUsername(ChangeKind.MAP_USER, "arn:aws:iam::111122223333:user/a")).isNull();
    }
}
