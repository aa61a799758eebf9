package io.eksaccess.console.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.accessentry.AccessScope;
import io.eksaccess.console.accessentry.AuthenticationMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The access-entry kinds in the one stored contract: round trips, the exact shape, refusals. */
class AccessEntryChangeJsonTest {

    static final String ROLE = "arn:aws:iam::111122223333:role/team/Dev";
    static final String VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";

    @Test
    void everyAccessEntryKindRoundTripsBesideTheAwsAuthKinds() {
        List<Change> changes = List.of(
                new AccessEntryChange.CreateAccessEntry(ROLE, "STANDARD", "dev:{{SessionName}}", List.of("devs")),
                new AccessEntryChange.CreateAccessEntry(ROLE, "EC2_LINUX", null, List.of()),
                new AccessEntryChange.UpdateAccessEntry(ROLE, null, List.of("a", "b")),
                new AccessEntryChange.DeleteAccessEntry(ROLE),
                new AccessEntryChange.AssociateAccessPolicy(ROLE, VIEW, AccessScope.cluster()),
                new AccessEntryChange.AssociateAccessPolicy(ROLE, VIEW, AccessScope.namespaces("dev", "team-*")),
                new AccessEntryChange.DisassociateAccessPolicy(ROLE, VIEW),
                new AccessEntryChange.SetAuthenticationMode(AuthenticationMode.API_AND_CONFIG_MAP),
                new MappingChange.UnmapRole(ROLE));
        for (Change change : changes) {
            assertThat(MappingChangeJson.read(MappingChangeJson.write(change))).isEqualTo(change);
        }
    }

    @Test
    void theShapeUsesTheEksApiFieldNames() {
        assertThat(MappingChangeJson.write(new AccessEntryChange.AssociateAccessPolicy(ROLE, VIEW,
                AccessScope.namespaces("dev"))))
                .isEqualTo("{\"kind\":\"ASSOCIATE_ACCESS_POLICY\",\"principalArn\":\"" + ROLE + "\",\"policyArn\":\""
                        + VIEW + "\",\"accessScope\":{\"type\":\"namespace\",\"namespaces\":[\"dev\"]}}");
        assertThat(MappingChangeJson.write(new AccessEntryChange.CreateAccessEntry(ROLE, "STANDARD", null, List.of("g"))))
                .isEqualTo("{\"kind\":\"CREATE_ACCESS_ENTRY\",\"principalArn\":\"" + ROLE
                        + "\",\"type\":\"STANDARD\",\"kubernetesGroups\":[\"g\"]}");
        assertThat(MappingChangeJson.write(new AccessEntryChange.SetAuthenticationMode(AuthenticationMode.API)))
                .isEqualTo("{\"kind\":\"SET_AUTHENTICATION_MODE\",\"authenticationMode\":\"API\"}");
        assertThat(MappingChangeJson.kindOf(new AccessEntryChange.DeleteAccessEntry(ROLE))).isEqualTo("DELETE_ACCESS_ENTRY");
    }

    @Test
    void malformedRowsAreRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> MappingChangeJson.read("{\"kind\":\"ASSOCIATE_ACCESS_POLICY\",\"principalArn\":\"x\","
                + "\"policyArn\":\"y\"}")).hasMessageContaining("'accessScope' is missing");
        assertThatThrownBy(() -> MappingChangeJson.read("{\"kind\":\"DELETE_ACCESS_ENTRY\"}"))
                .hasMessageContaining("'principalArn' is missing");
        assertThatThrownBy(() -> MappingChangeJson.read("{\"kind\":\"SET_AUTHENTICATION_MODE\",\"authenticationMode\":\"X\"}"))
                .hasMessageContaining("unknown authentication mode 'X'");
    }
}
