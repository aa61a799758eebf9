package io.eksaccess.console.migration;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.accessentry.AuthenticationMode;
import io.eksaccess.console.accessentry.ClusterAccessEntries;
import io.eksaccess.console.apply.AccessEntryChange;
import io.eksaccess.console.apply.Change;
import io.eksaccess.console.apply.MappingChange;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.RoleMapping;
import io.eksaccess.console.awsauth.Section;
import io.eksaccess.console.awsauth.UserMapping;
import io.eksaccess.console.rbac.RbacIndex;
import io.eksaccess.console.request.AccessRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a cluster's migration stands, worked out from the state itself (the synced mode, entries
 * and aws-auth), never from a stored progress marker: a step undone from the history, or done by
 * hand, shows as such. Each step lists the changes it still needs; the page files each as its own
 * request through the normal approvals (step 2's as one {@link AccessEntryChange.Batch}), tagged
 * {@link #TAG} in its justification.
 */
final class MigrationSteps {

    /** Starts the justification of every request the page files, so the history shows them as one migration. */
    static final String TAG = "Migration to access entries";

    enum Status { DONE, READY, BLOCKED }

    /**
     * {@code changes}: what filing the step asks for now (requests already open for one of them are not
     * filed again); {@code actionable}: its button is offered (step 3, reading back, also once verified).
     */
    record Step(int number, Status status, List<Change> changes, List<AccessRequest> open, boolean actionable) {

        public boolean done() {
            return status == Status.DONE;
        }

        public boolean ready() {
            return status == Status.READY;
        }

        Step rereadable(boolean can) {
            return new Step(number, status, changes, open, actionable || can);
        }

        Step withOpen(List<AccessRequest> all) {
            return new Step(number, status, changes, all.stream().filter(r -> changes.contains(r.change())).toList(),
                    actionable);
        }
    }

    /** {@code verification}: aws-auth's answers against the synced entries' answers; null until step 2 is done. */
    record Progress(List<Step> steps, EquivalenceCheck.Result verification, boolean verified) {

        Step step(int number) {
            return steps.get(number - 1);
        }

        /** The same steps with the cluster's open requests now (a cached result is computed without them). */
        Progress withOpen(List<AccessRequest> open) {
            return new Progress(steps.stream().map(s -> s.withOpen(open)).toList(), verification, verified);
        }
    }

    private MigrationSteps() {}

    /**
     * @param target the plan as if no entry existed yet (role paths restored): every entry the migration makes
     * @param plan the plan on the entries there are now ({@code skipped} = principals that have one)
     * @param index the cluster's RBAC, null when not read yet (nothing can be verified then)
     * @param open the cluster's open requests
     * @param entriesRead whether {@code current} is what EKS holds (false: switched, but not synced since)
     */
    static Progress of(AuthenticationMode mode, AwsAuthConfig awsAuth, ClusterAccessEntries current, MigrationPlan target,
            MigrationPlan plan, RbacIndex index, List<AccessRequest> open, boolean entriesRead) {
        boolean switched = mode != AuthenticationMode.CONFIG_MAP;
        List<Change> step1 = switched ? List.of()
                : List.of(new AccessEntryChange.SetAuthenticationMode(AuthenticationMode.API_AND_CONFIG_MAP));
        List<Change> step2 = entryChanges(current, target, plan);
        // Filed as ONE reviewable request: the batch of every entry and association still missing.
        List<Change> step2Filing = step2.isEmpty() ? List.of() : List.of(new AccessEntryChange.Batch(
                step2.stream().map(AccessEntryChange.class::cast).toList()));
        List<Change> step4 = unmappings(awsAuth, current, target);
        // Nothing left in aws-auth that has an entry to go to: the mappings are removed (or there were none).
        boolean removed = switched && target.entries().isEmpty();
        boolean created = switched && entriesRead && step2.isEmpty();
        EquivalenceCheck.Result verification = null;
        if (created && !removed && index != null) {
            // Today's answers as aws-auth alone gives them, against the entries alone as last read back from EKS.
            ClusterAccessEntries awsAuthOnly = new ClusterAccessEntries(current.clusterName(), AuthenticationMode.CONFIG_MAP,
                    current.entries());
            verification = EquivalenceCheck.check(awsAuth, awsAuthOnly, plan, index);
        }
        boolean verified = removed || (verification != null && verification.equivalent() && plan.entries().isEmpty());
        boolean api = mode == AuthenticationMode.API;
        List<Step> steps = List.of(
                step(1, switched, true, step1, open),
                step(2, created, switched && entriesRead, step2Filing, open),
                step(3, verified, created, List.of(), open).rereadable(created && !removed),
                step(4, removed, verified, step4, open),
                step(5, api, removed, api ? List.of()
                        : List.of(new AccessEntryChange.SetAuthenticationMode(AuthenticationMode.API)), open));
        return new Progress(steps, verification, verified);
    }

    private static Step step(int number, boolean done, boolean previousDone, List<Change> changes, List<AccessRequest> open) {
        List<AccessRequest> openForStep = open.stream().filter(r -> changes.contains(r.change())).toList();
        Status status = done ? Status.DONE : previousDone ? Status.READY : Status.BLOCKED;
        return new Step(number, status, changes, openForStep, status == Status.READY);
    }

    /**
     * Step 2, the items of its one batch: an ASSOCIATE for each planned policy that an entry the migration
     * made (or an identical one) lacks, a CREATE for each planned entry without a policy, then each entry
     * with policies followed at once by its ASSOCIATEs (EKS needs the entry first). An entry that existed
     * before with other contents is the administrator's (the plan skips it) and is left alone.
     *
     * <p>In API_AND_CONFIG_MAP an entry wins over aws-auth, so a {@code system:masters} principal has no
     * cluster-admin between its CREATE and its ASSOCIATE: the pairs are adjacent, and the filing's lockout
     * check is made on the batch's end state (the apply takes the batch back whole if an item fails).
     */
    static List<Change> entryChanges(ClusterAccessEntries current, MigrationPlan target, MigrationPlan plan) {
        List<Change> associations = new ArrayList<>();
        List<Change> creates = new ArrayList<>();
        List<Change> withPolicies = new ArrayList<>();
        for (MigrationPlan.Planned planned : target.entries()) {
            AccessEntry want = planned.entry();
            AccessEntry have = entry(current, want.principalArn());
            if (have == null) {
                if (plan.entries().stream().anyMatch(p -> p.entry().principalArn().equals(want.principalArn()))) {
                    List<Change> into = want.associatedAccessPolicies().isEmpty() ? creates : withPolicies;
                    into.add(new AccessEntryChange.CreateAccessEntry(want.principalArn(), want.type(), want.username(),
                            want.kubernetesGroups()));
                    for (AssociatedAccessPolicy policy : want.associatedAccessPolicies()) {
                        into.add(new AccessEntryChange.AssociateAccessPolicy(want.principalArn(), policy.policyArn(),
                                policy.accessScope()));
                    }
                }
                continue;
            }
            boolean ours = Objects.equals(have.type(), want.type())
                    && (want.username() == null || want.username().equals(have.username()))
                    && new java.util.HashSet<>(have.kubernetesGroups()).equals(new java.util.HashSet<>(want.kubernetesGroups()));
            if (!ours) {
                continue;
            }
            for (AssociatedAccessPolicy policy : want.associatedAccessPolicies()) {
                boolean associated = have.associatedAccessPolicies().stream()
                        .anyMatch(a -> a.policyArn().equals(policy.policyArn()) && a.accessScope().equals(policy.accessScope()));
                if (!associated) {
                    associations.add(new AccessEntryChange.AssociateAccessPolicy(want.principalArn(), policy.policyArn(),
                            policy.accessScope()));
                }
            }
        }
        List<Change> changes = new ArrayList<>(associations);
        changes.addAll(creates);
        changes.addAll(withPolicies);
        return changes;
    }

    /** Step 4: the aws-auth mappings the plan carries over whose principal now has its entry, by the ARN aws-auth writes. */
    static List<Change> unmappings(AwsAuthConfig awsAuth, ClusterAccessEntries current, MigrationPlan target) {
        List<Change> changes = new ArrayList<>();
        for (MigrationPlan.Planned planned : target.entries()) {
            if (entry(current, planned.entry().principalArn()) == null) {
                continue;
            }
            Change change = null;
            if (planned.from() == Section.MAP_ROLES) {
                change = awsAuth.roles().stream().filter(r -> r.index() == planned.index()).findFirst()
                        .map(RoleMapping::roleArn).map(MappingChange.UnmapRole::new).orElse(null);
            } else if (planned.from() == Section.MAP_USERS) {
                change = awsAuth.users().stream().filter(u -> u.index() == planned.index()).findFirst()
                        .map(UserMapping::userArn).map(MappingChange.UnmapUser::new).orElse(null);
            }
            if (change != null && !changes.contains(change)) {
                changes.add(change);
            }
        }
        return changes;
    }

    private static AccessEntry entry(ClusterAccessEntries current, String principalArn) {
        return current.entries().stream().filter(e -> e.principalArn().equals(principalArn)).findFirst().orElse(null);
    }
}
