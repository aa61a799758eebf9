package io.eksaccess.console.identity;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/** Turns a person's OIDC groups into console roles, as {@code console.roles.*} configures. */
@Component
public class ConsoleRoleMapper {

    private final RoleProperties roles;

    public ConsoleRoleMapper(RoleProperties roles) {
        this.roles = roles;
    }

    public Set<ConsoleRole> rolesFor(Collection<String> groups) {
        return rolesFor(groups, List.of());
    }

    /** @param identities the person's email and preferred username, matched against {@code admin-users} */
    public Set<ConsoleRole> rolesFor(Collection<String> groups, Collection<String> identities) {
        Set<ConsoleRole> granted = EnumSet.noneOf(ConsoleRole.class);
        grantIfMember(granted, ConsoleRole.ADMIN, roles.adminGroups(), groups);
        grantIfMember(granted, ConsoleRole.ADMIN, roles.adminUsers(), identities);
        grantIfMember(granted, ConsoleRole.APPROVER, roles.approverGroups(), groups);
        grantIfMember(granted, ConsoleRole.AUDITOR, roles.auditorGroups(), groups);
        if (roles.requesterGroups().isEmpty()) {
            granted.add(ConsoleRole.REQUESTER);
        } else {
            grantIfMember(granted, ConsoleRole.REQUESTER, roles.requesterGroups(), groups);
        }
        return granted;
    }

    /** The groups that grant a role, for messages that tell a person what to ask for. */
    public List<String> groupsGranting(ConsoleRole role) {
        return switch (role) {
            case ADMIN -> roles.adminGroups();
            case APPROVER -> roles.approverGroups();
            case REQUESTER -> roles.requesterGroups();
            case AUDITOR -> roles.auditorGroups();
        };
    }

    private static void grantIfMember(
            Set<ConsoleRole> granted, ConsoleRole role, List<String> roleGroups, Collection<String> groups) {
        if (roleGroups.stream().anyMatch(groups::contains)) {
            granted.add(role);
        }
    }
}
