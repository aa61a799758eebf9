package io.eksaccess.console.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AccessScope;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.accessentry.AuthenticationMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The access-entry kinds in the one stored contract: round trips, the exact shape, refusals. */
class AccessEntryChangeJsonTest {

    static final String ROLE = "arn:aws:iam::111122223333:role/team/Dev";
    static final String VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    static final String EDIT = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy";

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
                // The ways back: a deleted entry with its policies; a create's and an association's take-backs.
                new AccessEntryChange.CreateAccessEntry(ROLE, "STANDARD", "dev", List.of("devs"), List.of(
                        new AssociatedAccessPolicy(VIEW, AccessScope.namespaces("dev", "team-*")),
                        new AssociatedAccessPolicy(EDIT, AccessScope.cluster()))),
                new AccessEntryChange.DeleteAccessEntry(ROLE, new AccessEntry(ROLE, "STANDARD", null, List.of("devs"),
                        List.of(new AssociatedAccessPolicy(VIEW, AccessScope.cluster())))),
                new AccessEntryChange.DisassociateAccessPolicy(ROLE, VIEW, AccessScope.namespaces("dev")),
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
        // Rows written before the ways back carried more read as they always did.
        assertThat(MappingChangeJson.write(new AccessEntryChange.DeleteAccessEntry(ROLE)))
                .isEqualTo("{\"kind\":\"DELETE_ACCESS_ENTRY\",\"principalArn\":\"" + ROLE + "\"}");
        assertThat(MappingChangeJson.write(new AccessEntryChange.CreateAccessEntry(ROLE, "STANDARD", null, List.of(),
                List.of(new AssociatedAccessPolicy(VIEW, AccessScope.namespaces("dev"))))))
                .isEqualTo("{\"kind\":\"CREATE_ACCESS_ENTRY\",\"principalArn\":\"" + ROLE + "\",\"type\":\"STANDARD\","
                        + "\"kubernetesGroups\":[],\"accessPolicies\":[{\"policyArn\":\"" + VIEW
                        + "\",\"accessScope\":{\"type\":\"namespace\",\"namespaces\":[\"dev\"]}}]}");
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
