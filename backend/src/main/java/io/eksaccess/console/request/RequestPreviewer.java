package io.eksaccess.console.request;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.apply.AccessEntryApplier;
import io.eksaccess.console.apply.AccessEntryChange;
import io.eksaccess.console.apply.AccessEntryPlan;
import io.eksaccess.console.apply.AwsAuthApplier;
import io.eksaccess.console.apply.Change;
import io.eksaccess.console.apply.ChangePlan;
import io.eksaccess.console.apply.MappingChange;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.Finding;
import io.eksaccess.console.awsauth.RoleMapping;
import io.eksaccess.console.awsauth.Section;
import io.eksaccess.console.awsauth.UserMapping;
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.ClusterSnapshot;
import io.eksaccess.console.rbac.ClusterRbacIndexes;
import io.eksaccess.console.rbac.Identity;
import io.eksaccess.console.rbac.RbacIndex;
import io.eksaccess.console.rbac.RuleGrant;
import io.eksaccess.console.rbac.Subject;
import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.system.Sentence;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Builds the live preview of a change: plan on the current aws-auth, findings, policy, resulting access. */
@Component
class RequestPreviewer {

    static final int MAX_ACCESS_LINES = 60;

    private final AwsAuthApplier applier;
    private final ClusterCaches caches;
    private final AccessRequests requests;
    private final ClusterRbacIndexes indexes;
    private final AccessEntryApplier entryApplier;

    RequestPreviewer(AwsAuthApplier applier, ClusterCaches caches, AccessRequests requests,
            ClusterRbacIndexes indexes, AccessEntryApplier entryApplier) {
        this.applier = applier;
        this.entryApplier = entryApplier;
        this.caches = caches;
        this.requests = requests;
        this.indexes = indexes;
    }

    RequestPreview preview(String cluster, ChangeKind kind, String arn, String username, List<String> groups,
            Integer durationHours) {
        return preview(cluster, kind, arn, username, groups, durationHours, false);
    }

    /** {@code breakGlass}: an admin's urgent change, which the approval policy does not limit. */
    RequestPreview preview(String cluster, ChangeKind kind, String arn, String username, List<String> groups,
            Integer durationHours, boolean breakGlass) {
        return preview(cluster, kind, ChangeFields.mapping(arn, username, groups), durationHours, breakGlass);
    }

    /** Any kind, with all its fields (the access-entry kinds have more than aws-auth's three). */
    RequestPreview preview(String cluster, ChangeKind kind, ChangeFields fields, Integer durationHours,
            boolean breakGlass) {
        String arn = fields.principal();
        String suggestion = suggestUsername(kind, arn);
        if (cluster == null || cluster.isBlank()) {
            return inputProblem(Sentence.of("error.preview.pick-cluster"), suggestion);
        }
        if (kind == null) {
            return inputProblem(Sentence.of("error.preview.pick-kind"), suggestion);
        }
        Change built;
        try {
            built = fields.build(kind);
        } catch (ConsoleException e) {
            return inputProblem(e.sentence(), suggestion);
        }
        Optional<Sentence> limits = RequestLimits.problem(built);
        if (limits.isPresent()) {
            return inputProblem(limits.get(), suggestion);
        }
        List<Sentence> policyProblems = breakGlass ? List.of() : requests.policyProblems(
                new AccessRequests.Filing(cluster, built, "preview", durationHours));
        if (built instanceof AccessEntryChange entryChange) {
            return previewEntry(cluster, entryChange, policyProblems);
        }
        MappingChange change = (MappingChange) built;
        // Planned on the cached aws-auth: a preview runs on every pause in typing, and a client per
        // preview (an STS client too, for EKS) cost a connection each time. The apply re-plans exactly.
        ChangePlan plan = null;
        Sentence planProblem = null;
        try {
            plan = planOnCache(cluster, change).orElse(null);
            if (plan == null) {
                planProblem = Sentence.of("text.preview.aws-auth-unread", cluster);
            }
        } catch (RuntimeException e) {
            planProblem = Sentence.of("text.preview.aws-auth-unplanned", cluster, e.getMessage());
        }
        List<Finding> findings = plan == null ? List.of() : findingsOfEntry(plan, change);
        Access access = access(cluster, change);
        return new RequestPreview(change, null, suggestion, plan, planProblem, findings, policyProblems,
                access.lines(), access.note());
    }

    /** The rules a change's principal would hold, and why none are shown when there are none. */
    record Access(List<RequestPreview.AccessLine> lines, Sentence note) {}

    /**
     * What the principal could do once the change is applied, from the cluster's cached RBAC index:
     * the preview runs on every pause in typing and a request's page on every view, so neither asks
     * the API server or builds an index of its own.
     */
    Access access(String cluster, Change change) {
        if (change instanceof AccessEntryChange.Batch) {
            return new Access(List.of(), Sentence.of("text.preview.access.batch"));
        }
        if (change instanceof AccessEntryChange entryChange) {
            AccessEntryApplier.CachedPlan cached = entryApplier.planOnCache(cluster, entryChange);
            return cached.plan() == null ? new Access(List.of(), cached.problem())
                    : entryAccess(cluster, cached.plan());
        }
        ChangeKind kind = ChangeKind.of(change);
        if (!kind.maps()) {
            return new Access(List.of(), kind.account() ? Sentence.of("text.preview.access.account")
                    : Sentence.of("text.preview.access.removed"));
        }
        Optional<ClusterRbacIndexes.View> view = indexes.view(cluster);
        if (view.isEmpty()) {
            return new Access(List.of(), Sentence.of("text.preview.access.rbac-unread", cluster));
        }
        String username = change instanceof MappingChange.MapRole r ? r.entry().username()
                : ((MappingChange.MapUser) change).entry().username();
        List<String> groups = change instanceof MappingChange.MapRole r ? r.entry().groups()
                : ((MappingChange.MapUser) change).entry().groups();
        List<RequestPreview.AccessLine> lines = accessOf(view.get().index(), username.trim(), groups);
        return new Access(lines, lines.isEmpty() ? Sentence.of("text.preview.access.nothing") : null);
    }

    /**
     * The plan of a request on the cached aws-auth (no API server call on a page render), for the
     * diff and findings a reviewer sees before deciding; empty when the cluster has not been read.
     */
    Optional<ChangePlan> planOnCache(AccessRequest request) {
        return planOnCache(request.cluster(), request.change());
    }

    private Optional<ChangePlan> planOnCache(String cluster, Change change) {
        if (!(change instanceof MappingChange mapping)) {
            return Optional.empty();
        }
        Optional<ClusterSnapshot> snapshot = caches.cache(cluster).map(ClusterCache::snapshot)
                .filter(s -> s.status().lastSyncedAt() != null);
        if (snapshot.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> data = snapshot.get().awsAuth().map(cm -> cm.getData() == null
                ? Map.<String, String>of() : cm.getData()).orElse(Map.of());
        // The applier's own planning, so the page warns with the same lockout check the apply will run.
        return Optional.of(applier.planOn(cluster, data, mapping));
    }

    /**
     * An access-entry request's entry before (-) and after (+), planned on the synced entries, for the
     * reviewer's page and the approve dialog; empty for aws-auth requests (their diff is the plan's).
     */
    Optional<List<String>> entryDiffOnCache(AccessRequest request) {
        if (!(request.change() instanceof AccessEntryChange change)) {
            return Optional.empty();
        }
        AccessEntryApplier.CachedPlan cached = entryApplier.planOnCache(request.cluster(), change);
        if (cached.plan() == null) {
            // A note inside the diff's lines (indented, in brackets): the diff is lines of text, not sentences.
            return Optional.of(List.of("  (" + cached.problem().text() + ")"));
        }
        return Optional.of(cached.plan().noChange() ? List.of("  (" + Sentence.of("text.preview.entry-diff.no-change").text()
                + ")") : cached.plan().diff());
    }

    /**
     * One row per item of a batch, for the reviewer: the change in words and what its principal could do
     * once the whole batch is applied (policies ∪ RBAC of the entry's identity, on the synced entries
     * and the cached RBAC index), the first few rules only.
     *
     * @param after the principal's access after the batch, or why it is not shown
     */
    record BatchRow(int number, String kind, String principal, String change, List<Sentence> after) {}

    static final int MAX_BATCH_ACCESS_LINES = 6;

    /** Empty for a change that is not a batch. */
    Optional<List<BatchRow>> batchRows(String cluster, Change change) {
        if (!(change instanceof AccessEntryChange.Batch batch)) {
            return Optional.empty();
        }
        AccessEntryApplier.CachedPlan cached = entryApplier.planOnCache(cluster, batch);
        Optional<ClusterRbacIndexes.View> view = indexes.view(cluster);
        java.util.Map<String, List<Sentence>> byPrincipal = new java.util.HashMap<>();
        List<BatchRow> rows = new ArrayList<>();
        for (int i = 0; i < batch.changes().size(); i++) {
            AccessEntryChange item = batch.changes().get(i);
            List<Sentence> after = byPrincipal.computeIfAbsent(item.principal(), arn -> {
                if (cached.plan() == null) {
                    return List.of(cached.problem());
                }
                AccessEntry entry = io.eksaccess.console.apply.AccessEntryPlanner.find(cached.plan().entriesAfter(), arn);
                if (entry == null) {
                    return List.of(Sentence.of("text.preview.batch.no-entry"));
                }
                List<Sentence> lines = new ArrayList<>();
                entry.associatedAccessPolicies().forEach(p -> lines.add(Sentence.of("text.preview.batch.policy",
                        p.policyName(), p.accessScope().describe())));
                if (view.isEmpty()) {
                    lines.add(Sentence.of("text.preview.batch.rbac-unread", cluster));
                    return lines;
                }
                List<RequestPreview.AccessLine> rules = accessOf(view.get().index(), entry.effectiveUsername(),
                        entry.effectiveGroups());
                for (int r = 0; r < rules.size(); r++) {
                    if (lines.size() == MAX_BATCH_ACCESS_LINES) {
                        lines.add(Sentence.of("text.preview.batch.more", rules.size() - r));
                        break;
                    }
                    lines.add(Sentence.of("text.preview.batch.rule", rules.get(r).where(), rules.get(r).verbs(),
                            rules.get(r).what()));
                }
                return lines.isEmpty() ? List.of(Sentence.of("text.preview.batch.nothing")) : lines;
            });
            rows.add(new BatchRow(i + 1, io.eksaccess.console.apply.MappingChangeJson.kindOf(item), item.principal(),
                    AccessRequests.describe(item), after));
        }
        return Optional.of(rows);
    }

    List<Finding> findingsOf(ChangePlan plan) {
        return findingsOfEntry(plan, plan.change());
    }

    /**
     * An access-entry change planned on the synced entries (no call to EKS): what EKS or the lockout
     * check would refuse, the entry before and after, and what the principal could do afterwards.
     */
    private RequestPreview previewEntry(String cluster, AccessEntryChange change, List<Sentence> policyProblems) {
        AccessEntryApplier.CachedPlan cached = entryApplier.planOnCache(cluster, change);
        if (cached.plan() == null) {
            return new RequestPreview(change, null, null, null, cached.problem(), List.of(), policyProblems, List.of(),
                    null, List.of());
        }
        AccessEntryPlan plan = cached.plan();
        List<Sentence> problems = new ArrayList<>(policyProblems);
        problems.addAll(plan.reasons());
        Access access = entryAccess(cluster, plan);
        List<String> diff = plan.noChange() ? List.of("(" + Sentence.of("text.preview.entry-diff.no-change").text() + ")")
                : plan.diff();
        return new RequestPreview(change, null, null, null, null, List.of(), problems, access.lines(), access.note(),
                diff);
    }

    /**
     * What the principal could do after the change: RBAC of the entry's username and groups ∪ its
     * access policies, the identity the who-can engine gives an entry ({@link AccessEntry#effectiveUsername},
     * {@link AccessEntry#effectiveGroups}), from the cached RBAC index.
     */
    private Access entryAccess(String cluster, AccessEntryPlan plan) {
        if (plan.change() instanceof AccessEntryChange.SetAuthenticationMode set) {
            return new Access(List.of(), set.mode() == io.eksaccess.console.accessentry.AuthenticationMode.API
                    ? Sentence.of("text.preview.access.mode-api") : Sentence.of("text.preview.access.mode-both"));
        }
        AccessEntry after = plan.after();
        if (after == null || !plan.modeAfter().readsAccessEntries()) {
            return new Access(List.of(), plan.modeAfter().readsAwsAuth() ? Sentence.of("text.preview.access.no-entry-aws-auth")
                    : Sentence.of("text.preview.access.no-entry"));
        }
        List<RequestPreview.AccessLine> lines = new ArrayList<>();
        for (AssociatedAccessPolicy policy : after.associatedAccessPolicies()) {
            lines.add(new RequestPreview.AccessLine(policy.accessScope().describe(), "(policy)", policy.policyName(),
                    "access policy " + policy.policyName()));
        }
        Optional<ClusterRbacIndexes.View> view = indexes.view(cluster);
        if (view.isEmpty()) {
            return new Access(lines, Sentence.of("text.preview.access.policies-only", cluster));
        }
        lines.addAll(accessOf(view.get().index(), after.effectiveUsername(), after.effectiveGroups()));
        return new Access(lines, lines.isEmpty() ? Sentence.of("text.preview.access.entry-nothing") : null);
    }

    private static RequestPreview inputProblem(Sentence problem, String suggestion) {
        return new RequestPreview(null, problem, suggestion, null, null, List.of(), List.of(), List.of(), null);
    }

    /** For roles, {@code <role name>:{{SessionName}}}: each session shows up under its own name in audit logs. */
    static String suggestUsername(ChangeKind kind, String arn) {
        if (kind != ChangeKind.MAP_ROLE || arn == null || !arn.contains(":role/")) {
            return kind == ChangeKind.MAP_ROLE ? "{{SessionName}}" : null;
        }
        String name = arn.substring(arn.lastIndexOf('/') + 1).trim();
        return (name.isEmpty() ? "" : name + ":") + "{{SessionName}}";
    }

    /** The findings about the entry the change writes (pre-existing findings elsewhere are not this request's). */
    private static List<Finding> findingsOfEntry(ChangePlan plan, MappingChange change) {
        AwsAuthConfig after = plan.afterConfig();
        Section section;
        int index = -1;
        if (change instanceof MappingChange.MapRole c) {
            section = Section.MAP_ROLES;
            for (RoleMapping role : after.roles()) {
                if (role.roleArn().equalsIgnoreCase(c.entry().roleArn())) {
                    index = role.index();
                }
            }
        } else if (change instanceof MappingChange.MapUser c) {
            section = Section.MAP_USERS;
            for (UserMapping user : after.users()) {
                if (user.userArn().equalsIgnoreCase(c.entry().userArn())) {
                    index = user.index();
                }
            }
        } else {
            return List.of();
        }
        int entry = index;
        return plan.findings().stream()
                .filter(f -> f.section() == section && f.index() != null && f.index() == entry)
                .toList();
    }

    private static List<RequestPreview.AccessLine> accessOf(RbacIndex index, String username, List<String> groups) {
        List<String> all = new ArrayList<>(groups);
        if (!all.contains(Subject.AUTHENTICATED)) {
            all.add(Subject.AUTHENTICATED);
        }
        List<RequestPreview.AccessLine> lines = new ArrayList<>();
        for (RuleGrant grant : index.rulesFor(new Identity(username, all))) {
            // Everyone gets the system:authenticated discovery rules; only show what this mapping adds.
            if (Subject.AUTHENTICATED.equals(grant.via().name())) {
                continue;
            }
            if (lines.size() == MAX_ACCESS_LINES) {
                lines.add(new RequestPreview.AccessLine("…", "", "more rules not shown", ""));
                break;
            }
            PolicyRule rule = grant.rule();
            String what = !rule.getNonResourceURLs().isEmpty() ? String.join(", ", rule.getNonResourceURLs())
                    : String.join(", ", rule.getResources())
                            + (rule.getResourceNames().isEmpty() ? "" : " " + rule.getResourceNames());
            lines.add(new RequestPreview.AccessLine(
                    grant.namespace() == null ? "cluster-wide" : grant.namespace(),
                    String.join(", ", rule.getVerbs()), what,
                    (grant.binding() == null ? "" : grant.binding() + " ") + "via " + grant.via().kind() + " "
                            + grant.via().name()));
        }
        return lines;
    }
}
