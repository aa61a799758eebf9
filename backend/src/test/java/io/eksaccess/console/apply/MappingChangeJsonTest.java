package io.eksaccess.console.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.awsauth.AwsAuthEdit.RoleEntry;
import io.eksaccess.console.awsauth.AwsAuthEdit.UserEntry;
import io.eksaccess.console.awsauth.SsoMatcher;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored form of changes is a contract with rows already written: round trips and the exact shape. */
class MappingChangeJsonTest {

    @Test
    void everyKindRoundTrips() {
        List<MappingChange> changes = List.of(
                new MappingChange.MapRole(new RoleEntry("arn:aws:iam::1:role/a", null, "a:{{SessionName}}", List.of("g1", "g2"))),
                new MappingChange.MapRole(new RoleEntry(null, new SsoMatcher("Admin", "111122223333", ""), "sso", List.of())),
                new MappingChange.UnmapRole("arn:aws:iam::1:role/a"),
                new MappingChange.MapUser(new UserEntry("arn:aws:iam::1:user/u", "u", List.of("g"))),
                new MappingChange.UnmapUser("arn:aws:iam::1:user/u"),
                new MappingChange.MapAccount("111122223333"),
                new MappingChange.UnmapAccount("111122223333"));
        for (MappingChange change : changes) {
            assertThat(MappingChangeJson.read(MappingChangeJson.write(change))).isEqualTo(change);
        }
    }

    @Test
    void theShapeIsStable() {
        assertThat(MappingChangeJson.write(new MappingChange.MapRole(new RoleEntry("arn:aws:iam::1:role/a", null, "a",
                List.of("g")))))
                .isEqualTo("{\"kind\":\"MAP_ROLE\",\"arn\":\"arn:aws:iam::1:role/a\",\"username\":\"a\",\"groups\":[\"g\"]}");
        assertThat(MappingChangeJson.write(new MappingChange.UnmapUser("arn:aws:iam::1:user/u")))
                .isEqualTo("{\"kind\":\"UNMAP_USER\",\"arn\":\"arn:aws:iam::1:user/u\"}");
        assertThat(MappingChangeJson.write(new MappingChange.MapAccount("1"))).isEqualTo("{\"kind\":\"MAP_ACCOUNT\",\"accountId\":\"1\"}");
        // Key order as PostgreSQL's jsonb returns it is irrelevant.
        assertThat(MappingChangeJson.read("{\"groups\": [], \"arn\": \"x\", \"kind\": \"MAP_USER\", \"username\": \"u\"}"))
                .isEqualTo(new MappingChange.MapUser(new UserEntry("x", "u", List.of())));
    }

    @Test
    void unknownOrIncompleteTextIsRefusedWithAReason() {
        assertThatThrownBy(() -> MappingChangeJson.read("{\"kind\":\"DELETE_CLUSTER\"}")).hasMessageContaining("DELETE_CLUSTER");
        assertThatThrownBy(() -> MappingChangeJson.read("{\"kind\":\"UNMAP_ROLE\"}")).hasMessageContaining("'arn' is missing");
        assertThatThrownBy(() -> MappingChangeJson.read("[]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> MappingChangeJson.read("{")).isInstanceOf(IllegalArgumentException.class);
    }
}
