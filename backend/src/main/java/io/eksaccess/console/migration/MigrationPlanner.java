package io.eksaccess.console.migration;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AccessEntryRules;
import io.eksaccess.console.accessentry.AccessPolicyTable;
import io.eksaccess.console.accessentry.AccessScope;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.accessentry.PrincipalArn;
import io.eksaccess.console.awsauth.AccountMapping;
import io.eksaccess.console.awsauth.AwsAuthConfig;
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
                plan.unmigratable(Section.MAP_ROLES, earlier.index(), "mapRoles[" + role.index() + "] maps the same ARN"
                        + " later, and the authenticator keeps only that one; this entry maps no one today");
            }
        }
        roles.values().forEach(plan::role);
        Map<String, UserMapping> users = new LinkedHashMap<>();
        for (UserMapping user : awsAuth.users()) {
            UserMapping earlier = users.put(user.key(), user);
            if (earlier != null) {
                plan.unmigratable(Section.MAP_USERS, earlier.index(), "mapUsers[" + user.index() + "] maps the same ARN"
                        + " later, and the authenticator keeps only that one; this entry maps no one today");
            }
        }
        users.values().forEach(plan::user);
        for (AccountMapping account : awsAuth.accounts()) {
            plan.unmigratable(Section.MAP_ACCOUNTS, account.index() < 0 ? null : account.index(), "mapAccounts maps"
                    + " every IAM principal of account " + Echo.of(account.accountId()) + " (username: its ARN, no"
                    + " groups); access entries have no account-wide form: create an entry for each principal that"
                    + " needs access. While it stays, the cluster cannot move to API without those principals losing"
                    + " access.");
        }
        for (EntryError error : awsAuth.errors()) {
            if (error.dropped()) {
                plan.unmigratable(error.section(), error.index(), "the authenticator drops it today, so there is"
                        + " nothing to migrate: " + error.message());
            } else {
                // The aws-auth reader's own words for what it kept despite a problem.
                plan.notes.add(Sentence.of("text.migration.note.aws-auth", error.key()
                        + (error.index() == null ? "" : "[" + error.index() + "]"), error.message()));
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

        void unmigratable(Section key, Integer index, String reason) {
            unmigratable.add(new MigrationPlan.Unmigratable(key, index, reason));
        }

        void role(RoleMapping role) {
            int index = role.index();
            if (role.sso() != null) {
                unmigratable(Section.MAP_ROLES, index, "an sso mapping matches the roles of permission set "
                        + Echo.of(role.sso().permissionSetName()) + " by pattern, which access entries cannot; create an"
                        + " entry for the permission set's role, arn:aws:iam::" + Echo.of(role.sso().accountId())
                        + ":role/aws-reserved/sso.amazonaws.com/[REGION/]AWSReservedSSO_"
                        + Echo.of(role.sso().permissionSetName()) + "_… (the authenticator uses sso mappings only with"
                        + " --feature-gates=SSORoleMatch=true)");
                return;
            }
            PrincipalArn principal = PrincipalArn.parse(role.roleArn());
            if (principal == null || !principal.isRole()) {
                unmigratable(Section.MAP_ROLES, index, "rolearn " + Echo.of(role.roleArn()) + " is not an IAM role ARN"
                        + " (arn:aws:iam::ACCOUNT:role/NAME); an access entry needs one");
                return;
            }
            if (!principal.path().equals("/")) {
                unmigratable(Section.MAP_ROLES, index, "rolearn carries the IAM path " + Echo.of(principal.path())
                        + ", and the authenticator compares callers' path-less role ARNs, so this mapping matches no"
                        + " one today; an entry would grant access nobody has now. Remove it, or map the role without"
                        + " its path if it should work.");
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
                unmigratable(Section.MAP_USERS, user.index(), "userarn " + Echo.of(user.userArn()) + " is not an IAM"
                        + " user ARN (arn:aws:iam::ACCOUNT:user/[PATH/]NAME); an access entry needs one");
                return;
            }
            if (skip(Section.MAP_USERS, user.index(), principal)) {
                return;
            }
            if (user.username().equals(NODE_USERNAME) || user.username().equals(FARGATE_USERNAME)) {
                unmigratable(Section.MAP_USERS, user.index(), "username " + user.username() + " is a node identity,"
                        + " and node entries (EC2_LINUX, FARGATE_LINUX) must be IAM roles, not users");
                return;
            }
            standard(Section.MAP_USERS, user.index(), user.userArn(), user.username(), user.groups());
        }

        private boolean skip(Section key, int index, PrincipalArn principal) {
            for (AccessEntry entry : existing) {
                if (principal.samePrincipal(entry.principal())) {
                    skipped.add(new MigrationPlan.Skipped(key, index, "the principal already has an access entry ("
                            + entry.principalArn() + "); from API_AND_CONFIG_MAP on, that entry is used and this"
                            + " mapping ignored. Compare the two and change the entry if it should match."));
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
                unmigratable(Section.MAP_ROLES, index, "username " + role.username() + " is a node identity, but the"
                        + " groups are not a node role's" + (missing.isEmpty() ? "" : " (missing "
                        + String.join(", ", missing) + ")") + (extra.isEmpty() ? "" : " (also " + echoAll(extra)
                        + ", which a " + type + " entry cannot carry: EKS gives node entries their own groups)")
                        + "; bind that RBAC to " + NODES + " instead, or map the role as a STANDARD entry without"
                        + " the node username");
                return;
            }
            add(Section.MAP_ROLES, index, new AccessEntry(role.roleArn(), type, null, List.of(), List.of()));
        }

        private void standard(Section key, int index, String arn, String username, List<String> groups) {
            List<String> kept = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            List<AssociatedAccessPolicy> policies = new ArrayList<>();
            for (String group : groups) {
                if (group.equals(Subject.MASTERS)) {
                    if (policies.isEmpty()) {
                        policies.add(new AssociatedAccessPolicy(AccessPolicyTable.ARN_PREFIX
                                + AccessPolicyTable.CLUSTER_ADMIN, AccessScope.cluster()));
                    }
                } else if (group.startsWith("system:") || group.contains("{{")) {
                    refused.add(group);
                } else if (!kept.contains(group)) {
                    kept.add(group);
                }
            }
            if (!refused.isEmpty()) {
                unmigratable(key, index, "group" + (refused.size() == 1 ? " " : "s ") + echoAll(refused) + " cannot be"
                        + " in an access entry (EKS refuses kubernetesGroups starting with system:, and an entry's"
                        + " groups are plain names, not templates); bind that RBAC to a group of your own, map it"
                        + " here, then plan again");
                return;
            }
            for (String prefix : List.of("system:", "eks:", "aws:", "amazon:", "iam:")) {
                if (username.startsWith(prefix)) {
                    unmigratable(key, index, "username " + Echo.of(username) + " starts with " + prefix + ", which EKS"
                            + " reserves in access entries" + (prefix.equals("system:") ? " (only the node patterns "
                            + NODE_USERNAME + " and " + FARGATE_USERNAME + " with the node groups become node"
                            + " entries)" : "") + "; choose another username and move its RBAC bindings to it");
                    return;
                }
            }
            add(key, index, new AccessEntry(arn, AccessEntry.STANDARD, username, kept, policies));
        }

        private void add(Section key, int index, AccessEntry entry) {
            List<AccessEntry> known = new ArrayList<>(existing);
            entries.forEach(planned -> known.add(planned.entry()));
            List<String> problems = new ArrayList<>();
            boolean ssoWithoutPath = false;
            for (String problem : AccessEntryRules.problems(entry, null, known)) {
                if (problem.startsWith("An IAM Identity Center role's ARN carries its path")) {
                    ssoWithoutPath = true;
                } else {
                    problems.add(problem);
                }
            }
            if (!problems.isEmpty()) {
                unmigratable(key, index, "EKS would refuse the entry: " + String.join(" ", problems));
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
