package io.eksaccess.console.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.system.ConsoleProperties;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleRoleMapperTest {

    private static ConsoleRoleMapper mapper(List<String> requesterGroups) {
        ConsoleProperties.Roles roles = new ConsoleProperties.Roles(
                List.of("platform-admins"), List.of("approvers", "leads"), requesterGroups, List.of("audit"),
                List.of("root@example.com"));
        return new ConsoleRoleMapper(new ConsoleProperties(
                Path.of("data"), new ConsoleProperties.Oidc(null, null, null, List.of(), "groups", "x"), roles,
                new ConsoleProperties.Clusters(List.of(), new ConsoleProperties.Eks(List.of(), List.of(), null)),
                new ConsoleProperties.Aws(ConsoleProperties.IamChecks.OFF, java.time.Duration.ofMinutes(10), null)));
    }

    @Test
    void everySignedInPersonIsARequesterWhenNoRequesterGroupsAreConfigured() {
        assertThat(mapper(List.of()).rolesFor(List.of())).containsExactly(ConsoleRole.REQUESTER);
    }

    @Test
    void groupsGrantTheirRoles() {
        assertThat(mapper(List.of()).rolesFor(List.of("leads", "audit", "unrelated")))
                .containsExactlyInAnyOrder(ConsoleRole.APPROVER, ConsoleRole.AUDITOR, ConsoleRole.REQUESTER);
        assertThat(mapper(List.of()).rolesFor(List.of("platform-admins"))).contains(ConsoleRole.ADMIN);
    }

    @Test
    void groupNamesMatchExactly() {
        assertThat(mapper(List.of()).rolesFor(List.of("Platform-Admins", "platform-admins-2")))
                .doesNotContain(ConsoleRole.ADMIN);
    }

    @Test
    void configuredRequesterGroupsLeaveOthersWithoutARole() {
        ConsoleRoleMapper strict = mapper(List.of("developers"));
        assertThat(strict.rolesFor(List.of("marketing"))).isEmpty();
        assertThat(strict.rolesFor(List.of("developers"))).containsExactly(ConsoleRole.REQUESTER);
    }

    @Test
    void adminUsersAreAdminsWithoutAnyGroup() {
        assertThat(mapper(List.of()).rolesFor(List.of(), List.of("root@example.com", "root")))
                .containsExactlyInAnyOrder(ConsoleRole.ADMIN, ConsoleRole.REQUESTER);
        assertThat(mapper(List.of()).rolesFor(List.of(), List.of("Root@example.com"))).doesNotContain(ConsoleRole.ADMIN);
        assertThat(mapper(List.of()).rolesFor(List.of("root@example.com"), List.of()))
                .as("a group named like an admin user grants nothing").doesNotContain(ConsoleRole.ADMIN);
    }
}
