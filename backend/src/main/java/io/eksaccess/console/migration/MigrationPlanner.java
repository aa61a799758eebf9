package io.eksaccess.console.migration;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AccessEntryRules;
import io.eksaccess.console.accessentry.AccessPolicyTable;
import io.eksaccess.console.accessentry.AccessScope;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.accessentry.PrincipalArn;
import io.eksaccess.console.awsauth.AccountMapping;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.EntryError;
import io.eksaccess.console.awsauth.RoleMapping;
import io.eksaccess.console.awsauth.Section;
import io.eksaccess.console.awsauth.UserMapping;
import io.eksaccess.console.awsauth.goyaml.Echo;
import io.eksaccess.console.rbac.Subject;
import io.eksaccess.console.system.Sentence;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * aws-auth (+ the cluster's existing access entries) → the access entries that map the same
 * principals (ACCESS-ENTRIES.md, "Migrating off aws-auth"). Pure: no IAM or EKS calls; role paths
 * that aws-auth stripped are restored separately ({@link RolePaths}).
 *
 * <p>Where eksctl's {@code migrate-to-access-entry} falls short, this does not: only groups that
 * <em>start with</em> {@code system:} are refused (a group named {@code platform-system-admins} is
 * kept), path-stripped IAM Identity Center role ARNs are flagged rather than copied, Fargate pod
 * execution roles become FARGATE_LINUX, and a role mapping that carries a path (which the
 * authenticator never matches) is not turned into access nobody has today.
 */
public final class MigrationPlanner {

    static final String NODE_USERNAME = "system:node:{{EC2PrivateDNSName}}";
    static final String FARGATE_USERNAME = "system:node:{{SessionName}}";
    static final String NODES = "system:nodes";
    static final String BOOTSTRAPPERS = "system:bootstrappers";
    static final String NODE_PROXIER = "system:node-proxier";
    static final String KUBE_PROXY_WINDOWS = "eks:kube-proxy-windows";
    static final String SSO_PATH = "/aws-reserved/sso.amazonaws.com/";
    /** The note of a path-stripped IAM Identity Center role; its first argument is the mapping (mapRoles[i]). */
    static final String SSO_NOTE = "text.migration.note.sso-path";

    private MigrationPlanner() {}

    public static MigrationPlan plan(AwsAuthConfig awsAuth, List<AccessEntry> existing) {
        Builder plan = new Builder(existing);
        // The authenticator keeps one mapping per key, the last one written (WhoIs, MapStore).
        Map<String, RoleMapping> roles = new LinkedHashMap<>();
        for (RoleMapping role : awsAuth.roles()) {
            RoleMapping earlier = roles.put(role.key(), role);
            if (earlier != null) {
                plan.unmigratable(Section.MAP_ROLES, earlier.index(), Sentence.of("text.migration.reason.duplicate",
                        Section.MAP_ROLES.key(), role.index()));
            }
        }
        roles.values().forEach(plan::role);
        Map<String, UserMapping> users = new LinkedHashMap<>();
        for (UserMapping user : awsAuth.users()) {
            UserMapping earlier = users.put(user.key(), user);
            if (earlier != null) {
                plan.unmigratable(Section.MAP_USERS, earlier.index(), Sentence.of("text.migration.reason.duplicate",
                        Section.MAP_USERS.key(), user.index()));
            }
        }
        users.values().forEach(plan::user);
        for (AccountMapping account : awsAuth.accounts()) {
            plan.unmigratable(Section.MAP_ACCOUNTS, account.index() < 0 ? null : account.index(),
                    Sentence.of("text.migration.reason.account", Echo.of(account.accountId())));
        }
        for (EntryError error : awsAuth.errors()) {
            if (error.dropped()) {
                plan.unmigratable(error.section(), error.index(), Sentence.of("text.migration.reason.dropped",
                        error.why()));
            } else {
                // The aws-auth reader's own words for what it kept despite a problem.
                plan.notes.add(Sentence.of("text.migration.note.aws-auth", error.key()
                        + (error.index() == null ? "" : "[" + error.index() + "]"), error.why()));
            }
        }
        return plan.build();
    }

    private static final class Builder {
        private final List<AccessEntry> existing;
        private final List<MigrationPlan.Planned> entries = new ArrayList<>();
        private final List<MigrationPlan.Skipped> skipped = new ArrayList<>();
        private final List<MigrationPlan.Unmigratable> unmigratable = new ArrayList<>();
        private final List<Sentence> notes = new ArrayList<>();
        private boolean rolesPlanned;

        Builder(List<AccessEntry> existing) {
            this.existing = List.copyOf(existing);
        }

        void unmigratable(Section key, Integer index, Sentence reason) {
            unmigratable.add(new MigrationPlan.Unmigratable(key, index, reason));
        }

        void role(RoleMapping role) {
            int index = role.index();
            if (role.sso() != null) {
                unmigratable(Section.MAP_ROLES, index, Sentence.of("text.migration.reason.sso",
                        Echo.of(role.sso().permissionSetName()), Echo.of(role.sso().accountId())));
                return;
            }
            PrincipalArn principal = PrincipalArn.parse(role.roleArn());
            if (principal == null || !principal.isRole()) {
                unmigratable(Section.MAP_ROLES, index, Sentence.of("text.migration.reason.not-role",
                        Echo.of(role.roleArn())));
                return;
            }
            if (!principal.path().equals("/")) {
                unmigratable(Section.MAP_ROLES, index, Sentence.of("text.migration.reason.role-path",
                        Echo.of(principal.path())));
                return;
            }
            if (skip(Section.MAP_ROLES, index, principal)) {
                return;
            }
            List<String> groups = role.groups();
            if (role.username().equals(NODE_USERNAME)) {
                node(index, role, Set.of(BOOTSTRAPPERS, KUBE_PROXY_WINDOWS),
                        groups.contains(KUBE_PROXY_WINDOWS) ? "EC2_WINDOWS" : "EC2_LINUX", List.of(NODES));
                return;
            }
            if (role.username().equals(FARGATE_USERNAME)) {
                node(index, role, Set.of(BOOTSTRAPPERS), "FARGATE_LINUX", List.of(NODES, NODE_PROXIER));
                return;
            }
            standard(Section.MAP_ROLES, index, role.roleArn(), role.username(), groups);
        }

        void user(UserMapping user) {
            PrincipalArn principal = PrincipalArn.parse(user.userArn());
            if (principal == null || principal.isRole()) {
                unmigratable(Section.MAP_USERS, user.index(), Sentence.of("text.migration.reason.not-user",
                        Echo.of(user.userArn())));
                return;
            }
            if (skip(Section.MAP_USERS, user.index(), principal)) {
                return;
            }
            if (user.username().equals(NODE_USERNAME) || user.username().equals(FARGATE_USERNAME)) {
                unmigratable(Section.MAP_USERS, user.index(), Sentence.of("text.migration.reason.node-user",
                        user.username()));
                return;
            }
            standard(Section.MAP_USERS, user.index(), user.userArn(), user.username(), user.groups());
        }

        private boolean skip(Section key, int index, PrincipalArn principal) {
            for (AccessEntry entry : existing) {
                if (principal.samePrincipal(entry.principal())) {
                    skipped.add(new MigrationPlan.Skipped(key, index, Sentence.of("text.migration.reason.has-entry",
                            entry.principalArn())));
                    return true;
                }
            }
            return false;
        }

        /** A node or Fargate role: EKS gives the identity; the mapping's groups must be exactly the node ones. */
        private void node(int index, RoleMapping role, Set<String> optional, String type, List<String> required) {
            List<String> missing = required.stream().filter(g -> !role.groups().contains(g)).toList();
            List<String> extra = role.groups().stream()
                    .filter(g -> !required.contains(g) && !optional.contains(g)).toList();
            if (!missing.isEmpty() || !extra.isEmpty()) {
                unmigratable(Section.MAP_ROLES, index, Sentence.of("text.migration.reason.node-groups",
                        role.username(), missing.isEmpty() ? "" : Sentence.of("text.migration.reason.node-groups.missing",
                                String.join(", ", missing)), extra.isEmpty() ? ""
                                : Sentence.of("text.migration.reason.node-groups.extra", echoAll(extra), type), NODES));
                return;
            }
            add(Section.MAP_ROLES, index, new AccessEntry(role.roleArn(), type, null, List.of(), List.of()));
        }

        /** The principal's partition (a China account's roles are arn:aws-cn:...): EKS names its policies in it. */
        private static String partitionOf(String principalArn) {
            PrincipalArn principal = PrincipalArn.parse(principalArn);
            return principal != null && AwsAuthParser.PARTITIONS.contains(principal.partition()) ? principal.partition() : "aws";
        }

        private void standard(Section key, int index, String arn, String username, List<String> groups) {
            List<String> kept = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            List<AssociatedAccessPolicy> policies = new ArrayList<>();
            for (String group : groups) {
                if (group.equals(Subject.MASTERS)) {
                    if (policies.isEmpty()) {
                        policies.add(new AssociatedAccessPolicy(AccessPolicyTable.arnPrefix(partitionOf(arn))
                                + AccessPolicyTable.CLUSTER_ADMIN, AccessScope.cluster()));
                    }
                } else if (group.startsWith("system:") || group.contains("{{")) {
                    refused.add(group);
                } else if (!kept.contains(group)) {
                    kept.add(group);
                }
            }
            if (!refused.isEmpty()) {
                unmigratable(key, index, Sentence.of(refused.size() == 1 ? "text.migration.reason.group"
                        : "text.migration.reason.groups", echoAll(refused)));
                return;
            }
            for (String prefix : List.of("system:", "eks:", "aws:", "amazon:", "iam:")) {
                if (username.startsWith(prefix)) {
                    unmigratable(key, index, Sentence.of("text.migration.reason.reserved-username", Echo.of(username),
                            prefix, prefix.equals("system:") ? Sentence.of("text.migration.reason.reserved-username.node",
                                    NODE_USERNAME, FARGATE_USERNAME) : ""));
                    return;
                }
            }
            add(key, index, new AccessEntry(arn, AccessEntry.STANDARD, username, kept, policies));
        }

        private void add(Section key, int index, AccessEntry entry) {
            List<AccessEntry> known = new ArrayList<>(existing);
            entries.forEach(planned -> known.add(planned.entry()));
            List<Sentence> problems = new ArrayList<>();
            boolean ssoWithoutPath = false;
            for (Sentence problem : AccessEntryRules.problems(entry, null, known)) {
                if (problem.key().equals(AccessEntryRules.SSO_WITHOUT_PATH)) {
                    ssoWithoutPath = true;
                } else {
                    problems.add(problem);
                }
            }
            if (!problems.isEmpty()) {
                unmigratable(key, index, Sentence.of("text.migration.reason.eks-refuses", Sentence.spaced(problems)));
                return;
            }
            if (entry.principal().isRole()) {
                rolesPlanned = true;
            }
            if (ssoWithoutPath) {
                notes.add(Sentence.of(SSO_NOTE, key.key() + "[" + index + "]", Echo.of(entry.principalArn()),
                        entry.principal().account(), SSO_PATH, entry.principal().name()));
            }
            entries.add(new MigrationPlan.Planned(entry, key, index));
        }

        MigrationPlan build() {
            if (rolesPlanned) {
                notes.add(0, Sentence.of("text.migration.note.role-paths"));
            }
            if (entries.stream().anyMatch(p -> !p.entry().type().equals(AccessEntry.STANDARD))) {
                notes.add(Sentence.of("text.migration.note.node-entries", NODES, BOOTSTRAPPERS));
            }
            List<MigrationPlan.Unmigratable> sorted = new ArrayList<>(unmigratable);
            sorted.sort(Comparator.comparing((MigrationPlan.Unmigratable u) -> u.key().ordinal())
                    .thenComparing(u -> u.index() == null ? -1 : u.index()));
            return new MigrationPlan(entries, skipped, sorted, notes);
        }
    }

    private static String echoAll(List<String> values) {
        return String.join(", ", values.stream().map(Echo::of).toList());
    }
}
