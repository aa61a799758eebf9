package io.eksaccess.console.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleRoleMapperTest {

    private static ConsoleRoleMapper mapper(List<String> requesterGroups) {
        return new ConsoleRoleMapper(new RoleProperties(
                List.of("platform-admins"), List.of("approvers", "leads"), requesterGroups, List.of("audit"),
                List.of("root@example.com")));
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
