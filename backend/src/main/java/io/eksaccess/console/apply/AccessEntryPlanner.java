package io.eksaccess.console.apply;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AccessEntryRules;
import io.eksaccess.console.accessentry.AccessPolicyTable;
import io.eksaccess.console.accessentry.AccessScope;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.accessentry.AuthenticationMode;
import io.eksaccess.console.accessentry.PrincipalArn;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.RoleMapping;
import io.eksaccess.console.awsauth.UserMapping;
import io.eksaccess.console.system.Sentence;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Plans an {@link AccessEntryChange} on a cluster's entries, the way {@link ChangePlanner} plans an
 * aws-auth change: what EKS would refuse (ACCESS-ENTRIES.md, in the console's words, via
 * {@link AccessEntryRules}), whether it is already so, the way back, and the lockout check across
 * every path to cluster-admin. Pure: the filing plans on the synced cache, the apply on a fresh read.
 *
 * @param clusterAccount the cluster's AWS account (node entries must be roles in it), null: unchecked
 * @param awsAuth the cluster's aws-auth, null when unknown (then it grants no one admin here: fail closed)
 * @param adminGroups groups that make their members cluster admins (system:masters, cluster-admin bindings)
 * @param consoleArn the IAM ARN the console signs in to the cluster with (its own entry is protected), or null
 * @param clusterPartition the cluster's AWS partition (aws, aws-cn, ...): access policy ARNs must be in it;
 *     null: any partition the console knows
 */
public record AccessEntryPlanner(String clusterAccount, AwsAuthConfig awsAuth, Set<String> adminGroups,
        String consoleArn, String clusterPartition) {

    /** EKS's quota of access entries per cluster. */
    public static final int QUOTA = 3000;
    static final String CLUSTER_ADMIN_POLICY = AccessPolicyTable.ARN_PREFIX + AccessPolicyTable.CLUSTER_ADMIN;

    public AccessEntryPlanner {
        adminGroups = Set.copyOf(adminGroups);
    }

    /** A planner that takes access policy ARNs of any partition the console knows. */
    public AccessEntryPlanner(String clusterAccount, AwsAuthConfig awsAuth, Set<String> adminGroups, String consoleArn) {
        this(clusterAccount, awsAuth, adminGroups, consoleArn, null);
    }

    public AccessEntryPlan plan(AuthenticationMode mode, List<AccessEntry> entries, AccessEntryChange change) {
        if (change instanceof AccessEntryChange.Batch batch) {
            return planBatch(mode, entries, batch).whole();
        }
        List<Sentence> errors = new ArrayList<>();
        if (change instanceof AccessEntryChange.SetAuthenticationMode set) {
            return planMode(mode, entries, set, errors);
        }
        if (!mode.readsAccessEntries()) {
            errors.add(Sentence.of("text.entry-plan.config-map-mode"));
            return refused(change, errors, mode, entries);
        }
        AccessEntry before = find(entries, change.principal());
        AccessEntry after = before;
        Change inverse = null;
        boolean noChange = false;
        List<Sentence> kept = new ArrayList<>();
        if (change instanceof AccessEntryChange.CreateAccessEntry c) {
            AccessEntry wanted = new AccessEntry(c.principalArn(), c.type(), c.username(), c.kubernetesGroups(),
                    c.accessPolicies());
            if (before != null && sameIdentity(before, wanted)) {
                // In place (a retry), or in place but for policies still to associate (a restore cut short).
                List<AssociatedAccessPolicy> policies = new ArrayList<>(before.associatedAccessPolicies());
                for (AssociatedAccessPolicy policy : c.accessPolicies()) {
                    AssociatedAccessPolicy existing = association(before, policy.policyArn());
                    if (existing == null || !existing.accessScope().sameAs(policy.accessScope())) {
                        policies.remove(existing);
                        policies.add(policy);
                    }
                }
                noChange = policies.equals(before.associatedAccessPolicies());
                if (!noChange) {
                    after = withPolicies(before, policies);
                    inverse = new AccessEntryChange.DeleteAccessEntry(c.principalArn(), wanted);
                }
            } else {
                errors.addAll(AccessEntryRules.problems(wanted, clusterAccount, entries));
                if (before == null && entries.size() >= QUOTA) {
                    errors.add(Sentence.of("text.entry-plan.quota", entries.size(), QUOTA));
                }
                if (!c.accessPolicies().isEmpty() && !AccessEntry.STANDARD.equals(wanted.type())) {
                    errors.add(Sentence.of("text.entry-plan.policies-standard-only", wanted.principalArn(), wanted.type()));
                }
                for (AssociatedAccessPolicy policy : c.accessPolicies()) {
                    errors.addAll(scopeProblems(new AccessEntryChange.AssociateAccessPolicy(c.principalArn(),
                            policy.policyArn(), policy.accessScope())));
                }
                after = wanted;
                // What this create gives, so that taking it back leaves what others added since.
                inverse = new AccessEntryChange.DeleteAccessEntry(c.principalArn(), wanted);
            }
        } else if (change instanceof AccessEntryChange.UpdateAccessEntry c) {
            if (before == null) {
                errors.add(Sentence.of("text.entry-plan.no-entry-update", c.principalArn()));
            } else {
                AccessEntry wanted = new AccessEntry(before.principalArn(), before.type(),
                        c.username() == null ? before.username() : c.username(), c.kubernetesGroups(),
                        before.associatedAccessPolicies());
                if (sameIdentity(before, wanted)) {
                    noChange = true;
                } else {
                    if (!AccessEntry.STANDARD.equals(before.type())) {
                        errors.add(Sentence.of("text.entry-plan.identity-standard-only", before.principalArn(),
                                before.type()));
                    }
                    errors.addAll(AccessEntryRules.problems(wanted, clusterAccount, List.of()));
                    after = wanted;
                    inverse = new AccessEntryChange.UpdateAccessEntry(before.principalArn(), before.username(),
                            before.kubernetesGroups());
                }
            }
        } else if (change instanceof AccessEntryChange.DeleteAccessEntry c) {
            if (before == null) {
                noChange = true;
            } else {
                after = c.granted() == null ? null : takeBack(before, c.granted(), kept);
                noChange = before.equals(after);
                // The associations go with the entry; the way back restores it with every one of them.
                boolean standard = AccessEntry.STANDARD.equals(before.type());
                inverse = after != null ? null : new AccessEntryChange.CreateAccessEntry(before.principalArn(),
                        before.type(), standard ? before.username() : null,
                        standard ? before.kubernetesGroups() : List.of(),
                        standard ? before.associatedAccessPolicies() : List.of());
            }
        } else if (change instanceof AccessEntryChange.AssociateAccessPolicy c && c.grantedScope() != null
                && (before == null || association(before, c.policyArn()) == null
                        || !association(before, c.policyArn()).accessScope().sameAs(c.grantedScope()))) {
            // The way back of a re-scope, whose scope is no longer in place: what replaced it stays.
            noChange = true;
            AssociatedAccessPolicy now = before == null ? null : association(before, c.policyArn());
            kept.add(now == null ? Sentence.of("text.entry-plan.kept.disassociated",
                            c.policyArn().substring(c.policyArn().lastIndexOf('/') + 1), c.principalArn(),
                            c.accessScope().describe())
                    : Sentence.of("text.entry-plan.kept.rescoped", now.policyName(), c.principalArn(),
                            now.accessScope().describe(), c.grantedScope().describe()));
        } else if (change instanceof AccessEntryChange.AssociateAccessPolicy c) {
            if (before == null) {
                errors.add(Sentence.of("text.entry-plan.no-entry-associate", c.principalArn()));
            } else if (!AccessEntry.STANDARD.equals(before.type())) {
                errors.add(Sentence.of("text.entry-plan.policies-standard-only", before.principalArn(), before.type()));
            } else {
                errors.addAll(scopeProblems(c));
                AssociatedAccessPolicy existing = association(before, c.policyArn());
                if (existing != null && existing.accessScope().sameAs(c.accessScope())) {
                    noChange = true;
                } else {
                    List<AssociatedAccessPolicy> policies = new ArrayList<>(before.associatedAccessPolicies());
                    policies.removeIf(p -> p.policyArn().equals(c.policyArn()));
                    policies.add(new AssociatedAccessPolicy(c.policyArn(), c.accessScope()));
                    after = withPolicies(before, policies);
                    inverse = existing == null ? new AccessEntryChange.DisassociateAccessPolicy(c.principalArn(), c.policyArn(),
                            c.accessScope())
                            : new AccessEntryChange.AssociateAccessPolicy(c.principalArn(), c.policyArn(),
                                    existing.accessScope(), c.accessScope());
                }
            }
        } else if (change instanceof AccessEntryChange.DisassociateAccessPolicy c) {
            AssociatedAccessPolicy existing = before == null ? null : association(before, c.policyArn());
            if (existing == null) {
                noChange = true;
            } else if (c.grantedScope() != null && !existing.accessScope().sameAs(c.grantedScope())) {
                // Re-scoped since by another change: that scope is not what this grant gave, so it stays.
                noChange = true;
                kept.add(Sentence.of("text.entry-plan.kept.rescoped", existing.policyName(), before.principalArn(),
                        existing.accessScope().describe(), c.grantedScope().describe()));
            } else {
                List<AssociatedAccessPolicy> policies = new ArrayList<>(before.associatedAccessPolicies());
                policies.removeIf(p -> p.policyArn().equals(c.policyArn()));
                after = withPolicies(before, policies);
                inverse = new AccessEntryChange.AssociateAccessPolicy(c.principalArn(), c.policyArn(), existing.accessScope());
            }
        }
        List<AccessEntry> entriesAfter = replace(entries, before, after);
        List<Sentence> lockout = noChange || !errors.isEmpty() ? List.of()
                : lockout(mode, entries, mode, entriesAfter, before, after);
        return new AccessEntryPlan(change, errors, lockout, noChange && errors.isEmpty(), before, noChange ? before : after,
                mode, mode, noChange ? entries : entriesAfter, noChange ? null : inverse,
                noChange ? List.of() : diff(before, after), kept);
    }

    /**
     * The entry once what a create gave ({@code granted}) is taken back: null (deleted) when it still
     * holds only that; otherwise the entry stays with what was added since, and {@code kept} says what
     * and why. Groups the grant gave go when the identity is still the grant's; a later update of the
     * username or groups (EKS replaces groups whole) made them that change's, and they stay.
     */
    private static AccessEntry takeBack(AccessEntry before, AccessEntry granted, List<Sentence> kept) {
        List<AssociatedAccessPolicy> added = before.associatedAccessPolicies().stream()
                .filter(p -> granted.associatedAccessPolicies().stream().noneMatch(g -> g.policyArn().equals(p.policyArn())
                        && g.accessScope().sameAs(p.accessScope())))
                .toList();
        // Without groups it is still the grant's identity: one taken back already (a retry, or recovery), or emptied since.
        boolean identityAsGranted = sameIdentity(before, granted) || (before.kubernetesGroups().isEmpty()
                && sameIdentity(before, new AccessEntry(granted.principalArn(), granted.type(), granted.username(), List.of(),
                        List.of())));
        if (identityAsGranted && added.isEmpty()) {
            return null;
        }
        for (AssociatedAccessPolicy policy : added) {
            kept.add(Sentence.of("text.entry-plan.kept.policy-added", policy.policyName(), policy.accessScope().describe(),
                    before.principalArn()));
        }
        if (!identityAsGranted) {
            kept.add(Sentence.of("text.entry-plan.kept.identity-changed", String.valueOf(before.username()),
                    String.valueOf(before.kubernetesGroups()), before.principalArn(),
                    String.valueOf(granted.kubernetesGroups())));
        }
        kept.add(Sentence.of("text.entry-plan.kept.entry", before.principalArn()));
        return new AccessEntry(before.principalArn(), before.type(), before.username(),
                identityAsGranted ? List.of() : before.kubernetesGroups(), added);
    }

    /**
     * A batch planned item by item, each on the entries the items before it leave (an ASSOCIATE may
     * follow the CREATE of its entry; the quota counts the whole batch).
     *
     * @param whole errors name their item ("change 3 of 12 (…): …"); the lockout check is made on the
     *     batch's end state only, as its items are applied one after the other within one intent
     *     (an entry created for a system:masters principal holds no policy until its ASSOCIATE follows);
     *     the way back is the inverse of every item that changes something, in reverse order; the diff
     *     is each touched principal's entry before the batch and after it
     * @param items the plan of each item, in order (their lockout lists are not the batch's)
     */
    public record BatchPlan(AccessEntryPlan whole, List<AccessEntryPlan> items) {}

    public BatchPlan planBatch(AuthenticationMode mode, List<AccessEntry> entries, AccessEntryChange.Batch batch) {
        List<Sentence> errors = new ArrayList<>();
        List<AccessEntryPlan> items = new ArrayList<>();
        int size = batch.changes().size();
        if (size == 0) {
            errors.add(Sentence.of("text.entry-plan.batch-empty"));
        } else if (size > AccessEntryChange.Batch.MAX_ITEMS) {
            errors.add(Sentence.of("text.entry-plan.batch-too-big", size, AccessEntryChange.Batch.MAX_ITEMS));
        }
        if (!errors.isEmpty()) {
            return new BatchPlan(new AccessEntryPlan(batch, errors, List.of(), false, null, null, mode, mode, entries, null,
                    List.of()), items);
        }
        List<AccessEntry> state = entries;
        java.util.Map<String, Integer> createdBy = new java.util.HashMap<>();
        List<Change> inverses = new ArrayList<>();
        java.util.LinkedHashSet<String> touched = new java.util.LinkedHashSet<>();
        for (int i = 0; i < size; i++) {
            AccessEntryChange item = batch.changes().get(i);
            Sentence which = itemName(i, size, item);
            if (item instanceof AccessEntryChange.SetAuthenticationMode || item instanceof AccessEntryChange.Batch) {
                errors.add(Sentence.of("text.entry-plan.batch-not-entry", which, AccessEntryJson.kindOf(item)));
                continue;
            }
            AccessEntryPlan plan = plan(mode, state, item);
            items.add(plan);
            plan.errors().forEach(error -> errors.add(Sentence.of("text.entry-plan.batch-item", which, error)));
            PrincipalArn principal = PrincipalArn.parse(item.principal());
            // The same principal whatever the path or case of its name, as EKS matches them.
            String key = principal == null ? item.principal() : String.join(":", principal.partition(), principal.account(),
                    principal.isRole() ? "role" : "user", principal.name().toLowerCase(java.util.Locale.ROOT));
            if (item instanceof AccessEntryChange.CreateAccessEntry) {
                Integer earlier = createdBy.putIfAbsent(key, i + 1);
                if (earlier != null) {
                    errors.add(Sentence.of("text.entry-plan.batch-created-twice", which, earlier, item.principal()));
                }
            }
            if (!plan.errors().isEmpty() || plan.noChange()) {
                continue;
            }
            touched.add(item.principal());
            state = plan.entriesAfter();
            if (plan.inverse() != null) {
                inverses.add(0, plan.inverse());
            }
        }
        boolean noChange = errors.isEmpty() && touched.isEmpty();
        List<Sentence> lockout = !errors.isEmpty() || noChange ? List.of()
                : lockout(mode, entries, mode, state, consoleEntry(entries), consoleEntry(state));
        List<String> diff = new ArrayList<>();
        for (String arn : touched) {
            diff.addAll(diff(find(entries, arn), find(state, arn)));
        }
        Change inverse = inverses.isEmpty() ? null
                : new AccessEntryChange.Batch(inverses.stream().map(AccessEntryChange.class::cast).toList());
        return new BatchPlan(new AccessEntryPlan(batch, errors, lockout, noChange, null, null, mode, mode, state,
                noChange ? null : inverse, diff), items);
    }

    /** "change 3 of 12 (CREATE_ACCESS_ENTRY arn:…)": how refusals and the apply's outcome name an item. */
    public static Sentence itemName(int index, int size, AccessEntryChange item) {
        return Sentence.of("text.entry-plan.item", index + 1, size, AccessEntryJson.kindOf(item)
                + (item.principal().isEmpty() ? "" : " " + shorten(item.principal())));
    }

    private AccessEntry consoleEntry(List<AccessEntry> entries) {
        return consoleArn == null ? null : find(entries, consoleArn);
    }

    private AccessEntryPlan planMode(AuthenticationMode mode, List<AccessEntry> entries,
            AccessEntryChange.SetAuthenticationMode set, List<Sentence> errors) {
        if (set.mode() == mode) {
            return new AccessEntryPlan(set, List.of(), List.of(), true, null, null, mode, mode, entries, null, List.of());
        }
        if (set.mode().ordinal() < mode.ordinal()) {
            errors.add(Sentence.of("text.entry-plan.mode-one-way", mode.name(), set.mode().name()));
        } else if (set.mode().ordinal() - mode.ordinal() > 1) {
            errors.add(Sentence.of("text.entry-plan.mode-one-step", mode.name()));
        }
        List<Sentence> lockout = errors.isEmpty() ? lockout(mode, entries, set.mode(), entries, null, null) : List.of();
        return new AccessEntryPlan(set, errors, lockout, false, null, null, mode, set.mode(), entries, null,
                List.of("authenticationMode: " + mode + " → " + set.mode()));
    }

    private AccessEntryPlan refused(AccessEntryChange change, List<Sentence> errors, AuthenticationMode mode,
            List<AccessEntry> entries) {
        return new AccessEntryPlan(change, errors, List.of(), false, null, null, mode, mode, entries, null, List.of());
    }

    /**
     * DESIGN invariant 5 across every path: the change may not leave the cluster without a principal that is
     * cluster admin (aws-auth into an admin group, an entry's groups bound to cluster-admin, or
     * AmazonEKSClusterAdminPolicy at cluster scope), nor alter the console's own entry.
     */
    private List<Sentence> lockout(AuthenticationMode modeBefore, List<AccessEntry> before, AuthenticationMode modeAfter,
            List<AccessEntry> after, AccessEntry entryBefore, AccessEntry entryAfter) {
        List<Sentence> problems = new ArrayList<>();
        if (consoleArn != null && entryBefore != null && modeBefore.readsAccessEntries()) {
            PrincipalArn console = PrincipalArn.parse(consoleArn);
            if (console != null && console.samePrincipal(entryBefore.principal()) && !Objects.equals(entryBefore, entryAfter)) {
                problems.add(Sentence.of("text.entry-plan.lockout.console-entry", consoleArn));
            }
        }
        if (admins(modeBefore, before) > 0 && admins(modeAfter, after) == 0) {
            problems.add(Sentence.of("text.entry-plan.lockout.no-admin",
                    String.join(", ", adminGroups.stream().sorted().toList())));
        }
        return problems;
    }

    /** Principals that are cluster admins under this mode and these entries. */
    long admins(AuthenticationMode mode, List<AccessEntry> entries) {
        long count = 0;
        if (mode.readsAccessEntries()) {
            for (AccessEntry entry : entries) {
                if (entry.associatedAccessPolicies().stream().anyMatch(p -> AccessPolicyTable.isClusterAdmin(p.policyArn())
                        && p.accessScope().isCluster()) || entry.effectiveGroups().stream().anyMatch(adminGroups::contains)) {
                    count++;
                }
            }
        }
        if (awsAuth != null && mode.readsAwsAuth()) {
            for (RoleMapping role : awsAuth.roles()) {
                // In API_AND_CONFIG_MAP a principal's entry wins over its aws-auth mapping.
                if (role.groups().stream().anyMatch(adminGroups::contains)
                        && (!mode.readsAccessEntries() || find(entries, role.roleArn()) == null)) {
                    count++;
                }
            }
            for (UserMapping user : awsAuth.users()) {
                if (user.groups().stream().anyMatch(adminGroups::contains)
                        && (!mode.readsAccessEntries() || find(entries, user.userArn()) == null)) {
                    count++;
                }
            }
        }
        return count;
    }

    private List<Sentence> scopeProblems(AccessEntryChange.AssociateAccessPolicy c) {
        List<Sentence> problems = new ArrayList<>();
        Sentence arnProblem = policyArnProblem(c.policyArn(), clusterPartition);
        if (arnProblem != null) {
            problems.add(arnProblem);
        }
        AccessScope scope = c.accessScope();
        if (!scope.isCluster() && !AccessScope.NAMESPACE.equals(scope.type())) {
            problems.add(Sentence.of("text.entry-plan.scope-type", shorten(scope.type())));
        } else if (!scope.isCluster() && scope.namespaces().isEmpty()) {
            problems.add(Sentence.of("text.entry-plan.scope-no-namespaces"));
        } else if (scope.isCluster() && !scope.namespaces().isEmpty()) {
            problems.add(Sentence.of("text.entry-plan.scope-cluster-namespaces"));
        }
        return problems;
    }

    /**
     * Why EKS would refuse this access policy ARN on a cluster of that partition (null: any known one), or
     * null: it must read arn:PARTITION:eks::aws:cluster-access-policy/NAME in the cluster's partition.
     */
    public static Sentence policyArnProblem(String policyArn, String clusterPartition) {
        String partition = AccessPolicyTable.partitionOf(policyArn);
        String example = AccessPolicyTable.arnPrefix(clusterPartition == null ? "aws" : clusterPartition)
                + AccessPolicyTable.VIEW;
        if (partition == null) {
            String[] sections = policyArn == null ? new String[0] : policyArn.split(":", 3);
            if (sections.length == 3 && sections[0].equals("arn") && sections[2].startsWith("eks::aws:cluster-access-policy/")
                    && !AwsAuthParser.PARTITIONS.contains(sections[1])) {
                return Sentence.of("text.entry-plan.policy-unknown-partition", shorten(policyArn), shorten(sections[1]),
                        String.join(", ", AwsAuthParser.PARTITIONS), example);
            }
            return Sentence.of("text.entry-plan.policy-arn", shorten(policyArn), example);
        }
        if (clusterPartition != null && !clusterPartition.equals(partition)) {
            return Sentence.of("text.entry-plan.policy-partition", shorten(policyArn), partition, clusterPartition,
                    AccessPolicyTable.arnPrefix(clusterPartition) + policyArn.substring(policyArn.lastIndexOf('/') + 1));
        }
        return null;
    }

    public static AccessEntry find(List<AccessEntry> entries, String principalArn) {
        PrincipalArn wanted = PrincipalArn.parse(principalArn);
        for (AccessEntry entry : entries) {
            if (entry.principalArn().equals(principalArn) || (wanted != null && wanted.samePrincipal(entry.principal()))) {
                return entry;
            }
        }
        return null;
    }

    private static AssociatedAccessPolicy association(AccessEntry entry, String policyArn) {
        return entry.associatedAccessPolicies().stream().filter(p -> p.policyArn().equals(policyArn)).findFirst().orElse(null);
    }

    /** Same type and groups, and the same username unless the wanted one is EKS's default (null). */
    private static boolean sameIdentity(AccessEntry have, AccessEntry wanted) {
        return have.type().equals(wanted.type()) && Set.copyOf(have.kubernetesGroups()).equals(Set.copyOf(wanted.kubernetesGroups()))
                && (wanted.username() == null || wanted.username().equals(have.username()));
    }

    private static AccessEntry withPolicies(AccessEntry entry, List<AssociatedAccessPolicy> policies) {
        return new AccessEntry(entry.principalArn(), entry.type(), entry.username(), entry.kubernetesGroups(), policies);
    }

    private static List<AccessEntry> replace(List<AccessEntry> entries, AccessEntry before, AccessEntry after) {
        List<AccessEntry> result = new ArrayList<>(entries);
        if (before != null) {
            result.remove(before);
        }
        if (after != null) {
            result.add(after);
        }
        return result;
    }

    /** The entry before and after, one line each, as a reviewer reads a diff. */
    static List<String> diff(AccessEntry before, AccessEntry after) {
        List<String> lines = new ArrayList<>();
        if (before != null) {
            lines.add("- " + describe(before));
        }
        if (after != null) {
            lines.add("+ " + describe(after));
        }
        return lines;
    }

    static String describe(AccessEntry entry) {
        StringBuilder text = new StringBuilder(entry.principalArn()).append(" ").append(entry.type());
        if (entry.username() != null) {
            text.append(" username=").append(entry.username());
        }
        text.append(" groups=").append(entry.kubernetesGroups());
        for (AssociatedAccessPolicy policy : entry.associatedAccessPolicies()) {
            text.append(" policy=").append(policy.policyName()).append("@").append(policy.accessScope().describe());
        }
        return text.toString();
    }

    private static String shorten(String text) {
        return text == null ? "" : text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
