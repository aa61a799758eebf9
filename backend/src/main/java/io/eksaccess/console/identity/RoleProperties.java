package io.eksaccess.console.identity;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code console.roles.*}: OIDC groups per console role. An empty {@code requesterGroups} makes every
 * signed-in person a requester, as the design says. {@code adminUsers} names admins by email or
 * preferred username, for issuers that send no groups (Dex's static passwords) and for bootstrapping.
 */
@ConfigurationProperties("console.roles")
public record RoleProperties(
        @DefaultValue("console-admins") List<String> adminGroups,
        @DefaultValue("console-approvers") List<String> approverGroups,
        @DefaultValue List<String> requesterGroups,
        @DefaultValue("console-auditors") List<String> auditorGroups,
        @DefaultValue List<String> adminUsers) {}
