package io.eksaccess.console.request;

import io.eksaccess.console.accessentry.AccessPolicyTable;
import io.eksaccess.console.accessentry.AccessScope;
import io.eksaccess.console.apply.AccessEntryApplier;
import io.eksaccess.console.apply.AccessEntryChange;
import io.eksaccess.console.apply.AccessEntryPlan;
import io.eksaccess.console.apply.AccessEntryPlanner;
import io.eksaccess.console.apply.ApplyCommand;
import io.eksaccess.console.apply.ApplyIntent;
import io.eksaccess.console.apply.ApplyIntents;
import io.eksaccess.console.apply.ApplyResult;
import io.eksaccess.console.apply.AwsAuthApplier;
import io.eksaccess.console.apply.Change;
import io.eksaccess.console.apply.ChangePlan;
import io.eksaccess.console.apply.ChangePlanner;
import io.eksaccess.console.apply.LockoutCheck;
import io.eksaccess.console.apply.MappingChange;
import io.eksaccess.console.apply.MappingChangeJson;
import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditOutcome;
import io.eksaccess.console.audit.SignedInDenials;
import io.eksaccess.console.awsauth.AwsAuthValidator;
import io.eksaccess.console.awsauth.Section;
import io.eksaccess.console.cluster.ClusterRegistry;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.identity.ConsoleRole;
import io.eksaccess.console.notification.NotificationEvent;
import io.eksaccess.console.notification.NotificationType;
import io.eksaccess.console.notification.Notifications;
import io.eksaccess.console.rbac.ClusterRbacIndexes;
import io.eksaccess.console.rbac.Decision;
import io.eksaccess.console.rbac.Identity;
import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.system.RequestDenied;
import io.eksaccess.console.system.Sentence;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The request state machine (DESIGN "Request lifecycle", invariant 2). Every transition is one
 * conditional UPDATE inside a transaction that holds the request's row lock, so two reviewers
 * deciding at the same instant are serialized and exactly one of them moves the request on; the
 * apply itself runs outside any transaction, with the request in APPLYING, and its outcome is
 * recorded after. Every transition is audited and announced.
 */
@Service
public class AccessRequests {

    private static final Logger log = LoggerFactory.getLogger(AccessRequests.class);
    private static final AuditActor EXPIRY = AuditActor.system("expiry");
    private static final AuditActor RECOVERY = AuditActor.system("recovery");
    private static final AuditActor REGISTRY = AuditActor.system("registry");

    /** What a requester files. {@code durationHours} null = no end (a permanent mapping or removal). */
    public record Filing(String cluster, Change change, String justification, Integer durationHours) {}

    /** A request with its reviews, as pages and the API show it. */
    public record Details(AccessRequest request, List<Review> reviews, ApprovalPolicy policy) {

        public long approvals() {
            return reviews.stream().filter(r -> r.decision() == Review.Decision.APPROVE).count();
        }
    }

    private final RequestRepository requests;
    private final ApprovalPolicies policies;
    private final ClusterRepository clusters;
    private final AwsAuthApplier applier;
    private final AccessEntryApplier entryApplier;
    private final ApplyIntents intents;
    private final AuditLog audit;
    private final SignedInDenials denials;
    private final Notifications notifications;
    private final TransactionTemplate tx;
    private final ClusterRbacIndexes indexes;
    private final Clock clock = Clock.systemUTC();

    AccessRequests(RequestRepository requests, ApprovalPolicies policies, ClusterRepository clusters,
            AwsAuthApplier applier, AccessEntryApplier entryApplier, ApplyIntents intents, AuditLog audit,
            SignedInDenials denials, Notifications notifications, PlatformTransactionManager transactions,
            ClusterRbacIndexes indexes) {
        this.indexes = indexes;
        this.requests = requests;
        this.policies = policies;
        this.clusters = clusters;
        this.applier = applier;
        this.entryApplier = entryApplier;
        this.intents = intents;
        this.audit = audit;
        this.denials = denials;
        this.notifications = notifications;
        this.tx = new TransactionTemplate(transactions);
    }

    // ---- reading -------------------------------------------------------------------------------

    public Details details(long id) {
        AccessRequest request = requests.find(id).orElseThrow(() -> ConsoleException.notFound("error.request.not-found", id));
        return new Details(request, requests.reviews(id), policies.of(request.cluster()));
    }

    /** The request this one undid (an undo from the history), if it is one. */
    Optional<AccessRequest> undoneBy(long id) {
        return requests.undone(id).flatMap(requests::find);
    }

    /**
     * The requests waiting for this person's review (pending, not theirs, not reviewed by them yet),
     * oldest first, or empty when they approve nowhere: neither by the approver role nor through a
     * policy that names one of their roles or OIDC groups (a group-only approver has a queue like any
     * other). At most two queries whatever the count: the policies are read once and matched here; the
     * queue is not read for someone who approves nowhere. Pages read it through {@link ReviewQueues}
     * (once per page: the nav badge shows it on every page).
     */
    public Optional<List<AccessRequest>> reviewQueueOf(Person person) {
        Map<String, ApprovalPolicy> byCluster = policies.all();
        boolean approves = person.is(ConsoleRole.APPROVER)
                || byCluster.values().stream().anyMatch(policy -> policy.mayApprove(person));
        if (!approves) {
            return Optional.empty();
        }
        return Optional.of(requests.pendingNotReviewedBy(person.subject()).stream()
                .filter(r -> byCluster.getOrDefault(r.cluster(), ApprovalPolicy.defaults(r.cluster())).mayApprove(person))
                .toList());
    }

    /** A requester's home: what is still open, what access they hold now, and what was decided lately. */
    public record RequesterView(List<AccessRequest> open, List<AccessRequest> activeGrants,
            List<AccessRequest> recentlyDecided) {}

    /** How far back "recently decided" reaches, and how many it shows. */
    static final Duration RECENTLY = Duration.ofDays(14);
    static final int RECENT_LIMIT = 5;

    /** One query: this person's open requests, active grants and the latest decisions. */
    public RequesterView requesterView(Person person) {
        Instant now = clock.instant();
        List<AccessRequest> mine = requests.filedByOpenActiveOrResolvedSince(person.subject(), now.minus(RECENTLY));
        List<AccessRequest> open = mine.stream()
                .filter(r -> r.state() == RequestState.PENDING || r.state() == RequestState.APPROVED
                        || r.state() == RequestState.APPLYING)
                .sorted(Comparator.comparing(AccessRequest::createdAt))
                .toList();
        List<AccessRequest> grants = mine.stream()
                .filter(r -> r.state() == RequestState.APPLIED && (r.grantEndsAt() == null || r.grantEndsAt().isAfter(now)))
                .sorted(Comparator.comparing(AccessRequest::grantEndsAt,
                        Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
        List<AccessRequest> decided = mine.stream()
                .filter(r -> r.resolvedAt() != null && r.resolvedAt().isAfter(now.minus(RECENTLY)))
                .sorted(Comparator.comparing(AccessRequest::resolvedAt).reversed())
                .limit(RECENT_LIMIT)
                .toList();
        return new RequesterView(open, grants, decided);
    }

    /** Requests whose apply failed (an admin retries them), oldest first. */
    public List<AccessRequest> failedApplies() {
        return requests.inState(RequestState.FAILED);
    }

    /** Grants past their end that the expiry job could not revoke (it keeps trying; the message says why). */
    public List<AccessRequest> unrevokedGrants() {
        return requests.unrevokedBy(clock.instant());
    }

    /** Open requests for one cluster (pending, approved or being applied), oldest first. */
    public List<AccessRequest> openFor(String cluster) {
        return requests.openFor(cluster);
    }

    /** The latest applied changes on one cluster, newest first. */
    public List<AccessRequest> lastAppliedOn(String cluster, int limit) {
        return requests.lastAppliedOn(cluster, limit);
    }

    /** Break-glass requests filed since then (null: ever). */
    public long breakGlassSince(Instant since) {
        return requests.breakGlassSince(since);
    }

    public List<AccessRequest> filedBy(Person person) {
        return requests.filedBy(person.subject(), 200);
    }

    public List<AccessRequest> recent() {
        return requests.recent(500);
    }

    /** Whether this person may see every request (the "All" tab and others' request pages). */
    public static boolean seesAll(Person person) {
        return person.is(ConsoleRole.APPROVER) || person.is(ConsoleRole.AUDITOR) || person.is(ConsoleRole.ADMIN);
    }

    /** A request this person may look at: their own, or any for approvers, auditors, admins and eligible reviewers. */
    public Details viewableBy(long id, Person person) {
        Details details = details(id);
        if (!visibleTo(details.request(), details.policy(), person)) {
            // The same answer as for a missing one, so ids of others' requests cannot be enumerated.
            throw ConsoleException.notFound("error.request.not-found", id);
        }
        return details;
    }

    private static boolean visibleTo(AccessRequest request, ApprovalPolicy policy, Person person) {
        return request.filedBy(person) || seesAll(person) || policy.mayApprove(person);
    }

    /** The request, or "not found" for someone who may not see it (whatever they try to do with it). */
    private AccessRequest visible(long id, Person person) {
        AccessRequest request = requests.find(id).orElseThrow(() -> ConsoleException.notFound("error.request.not-found", id));
        if (!visibleTo(request, policies.of(request.cluster()), person)) {
            throw ConsoleException.notFound("error.request.not-found", id);
        }
        return request;
    }

    // ---- the problems a filing would have, for the form's live preview and for filing itself ---

    /** Policy problems of a filing; empty when the policy allows it. */
    public List<Sentence> policyProblems(Filing filing) {
        ApprovalPolicy policy = policies.of(filing.cluster());
        List<Sentence> problems = new ArrayList<>();
        if (filing.durationHours() != null && filing.durationHours() > policy.maxGrantHours()) {
            problems.add(Sentence.of("error.filing.grant-too-long", filing.cluster(),
                    Durations.sentence(policy.maxGrantHours())));
        }
        if (filing.durationHours() != null && filing.durationHours() < 1) {
            problems.add(Sentence.of("error.filing.grant-too-short"));
        }
        if (!policy.allowMasters() && grantsMasters(filing.change())) {
            problems.add(Sentence.of("error.filing.masters", filing.cluster()));
        }
        // The access-entry equivalent of system:masters is the same policy decision (for every item of a batch;
        // a created entry can carry ClusterAdmin too, when it restores a deleted one).
        List<Change> items = filing.change() instanceof AccessEntryChange.Batch batch ? List.copyOf(batch.changes())
                : List.of(filing.change());
        for (int i = 0; i < items.size() && !policy.allowMasters(); i++) {
            Change item = items.get(i);
            Optional<Sentence> adminGroup = clusterAdminGroup(filing.cluster(), item);
            if (adminGroup.isPresent()) {
                problems.add(aboutItem(filing, items, i, adminGroup.get()));
            }
            if (grantsClusterAdminPolicy(item)) {
                problems.add(aboutItem(filing, items, i, Sentence.of("error.filing.cluster-admin", filing.cluster())));
            }
        }
        ChangeKind kind = ChangeKind.of(filing.change());
        if (filing.durationHours() != null && !kind.timeBound()) {
            problems.add(Sentence.of("error.filing.not-time-bound", kind.name()));
        }
        return problems;
    }

    /**
     * What EKS would refuse of an access-entry filing on the cluster as the console last synced it (no
     * call to EKS), the lockout check, and EKS's quota; empty for aws-auth changes and when it would go.
     */
    public List<Sentence> accessEntryProblems(String cluster, Change change) {
        if (!(change instanceof AccessEntryChange entryChange)) {
            return List.of();
        }
        AccessEntryApplier.CachedPlan cached = entryApplier.planOnCache(cluster, entryChange);
        if (cached.plan() == null) {
            return List.of(cached.problem());
        }
        AccessEntryPlan plan = cached.plan();
        List<Sentence> problems = new ArrayList<>(plan.reasons());
        // At filing any entry of the principal refuses a create (EKS would); the apply, reading EKS
        // afresh, takes an identical one as already in place (a retry, or a crash after the write).
        if (entryChange instanceof AccessEntryChange.CreateAccessEntry && plan.before() != null && problems.isEmpty()) {
            problems.add(Sentence.of("error.filing.entry-exists", plan.before().principalArn()));
        }
        // The same for each CREATE of a batch whose principal had an entry before it (the planner refuses a second CREATE).
        if (entryChange instanceof AccessEntryChange.Batch batch && problems.isEmpty()
                && cached.items().size() == batch.changes().size()) {
            Set<String> created = new HashSet<>();
            for (int i = 0; i < batch.changes().size(); i++) {
                AccessEntryPlan item = cached.items().get(i);
                if (item.change() instanceof AccessEntryChange.CreateAccessEntry c && created.add(c.principalArn())
                        && item.before() != null) {
                    problems.add(Sentence.of("error.filing.batch-item", AccessEntryPlanner.itemName(i,
                            batch.changes().size(), c), Sentence.of("error.filing.batch-entry-exists",
                            item.before().principalArn())));
                }
            }
        }
        return problems;
    }

    /** In a batch, a problem names the item it is about. */
    private static Sentence aboutItem(Filing filing, List<Change> items, int index, Sentence problem) {
        return filing.change() instanceof AccessEntryChange.Batch
                ? Sentence.of("error.filing.batch-item",
                        AccessEntryPlanner.itemName(index, items.size(), (AccessEntryChange) items.get(index)), problem)
                : problem;
    }

    /** Every verb on every resource of every group, cluster-wide: what cluster-admin (and system:masters) may do. */
    private static final io.eksaccess.console.rbac.AccessRequest EVERYTHING =
            io.eksaccess.console.rbac.AccessRequest.resource("*", "*", "*", "", "", "");

    /**
     * system:masters by another name: a group the change gives that RBAC on the cluster (as last synced) lets
     * do everything cluster-wide, e.g. one bound to cluster-admin. Nothing when the cluster's RBAC is not read
     * yet (the preview says what the groups allow, and the approval checks again).
     */
    private Optional<Sentence> clusterAdminGroup(String cluster, Change change) {
        List<String> groups = change instanceof MappingChange.MapRole || change instanceof MappingChange.MapUser
                ? groupsOf(change)
                : change instanceof AccessEntryChange.CreateAccessEntry c ? c.kubernetesGroups()
                : change instanceof AccessEntryChange.UpdateAccessEntry u && u.kubernetesGroups() != null
                        ? u.kubernetesGroups() : List.of();
        if (groups.isEmpty()) {
            return Optional.empty();
        }
        Optional<ClusterRbacIndexes.View> view = indexes.view(cluster);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        for (String group : groups) {
            if (group.equals(LockoutCheck.MASTERS)) {
                continue; // refused as itself
            }
            Decision decision = view.get().index().canI(new Identity(Identity.PROBE_USER, List.of(group)), EVERYTHING);
            if (decision.allowed()) {
                return Optional.of(Sentence.of("error.filing.masters-equivalent", cluster, group, decision.reason()));
            }
        }
        return Optional.empty();
    }

    /** An association of AmazonEKSClusterAdminPolicy, alone or in a restored entry (the way back of a delete). */
    private static boolean grantsClusterAdminPolicy(Change change) {
        // In any partition: arn:aws-cn:... grants the same as arn:aws:...
        return (change instanceof AccessEntryChange.AssociateAccessPolicy a && AccessPolicyTable.isClusterAdmin(a.policyArn()))
                || (change instanceof AccessEntryChange.CreateAccessEntry c
                        && c.accessPolicies().stream().anyMatch(p -> AccessPolicyTable.isClusterAdmin(p.policyArn())));
    }

    private static boolean grantsMasters(Change change) {
        return (change instanceof MappingChange.MapRole c && c.entry().groups().contains(LockoutCheck.MASTERS))
                || (change instanceof MappingChange.MapUser u && u.entry().groups().contains(LockoutCheck.MASTERS));
    }

    /**
     * A new mapping the apply would refuse as never matching (AWSAUTH-005), for every filing: typed fields are
     * checked when built (ChangeKind), but an undo's way back or another built change is checked only here.
     */
    private static List<Sentence> unusableMapping(Change change) {
        Sentence problem = null;
        if (change instanceof MappingChange.MapRole role && role.entry().roleArn() != null) {
            problem = AwsAuthValidator.mappingArnProblem(role.entry().roleArn(), Section.MAP_ROLES);
        } else if (change instanceof MappingChange.MapUser user && user.entry().userArn() != null) {
            problem = AwsAuthValidator.mappingArnProblem(user.entry().userArn(), Section.MAP_USERS);
        }
        return problem == null ? List.of() : List.of(problem);
    }

    // ---- transitions -----------------------------------------------------------------------------

    public AccessRequest file(Filing filing, Person requester) {
        return file(filing, requester, null);
    }

    /** @param undoes the applied request whose way back this files (checked again under its row lock), or null */
    private AccessRequest file(Filing filing, Person requester, Long undoes) {
        if (filing.cluster() == null || clusters.findByName(filing.cluster()).isEmpty()) {
            throw ConsoleException.invalid("error.request.no-cluster", RequestLimits.echo(filing.cluster()));
        }
        if (filing.justification() == null || filing.justification().isBlank()) {
            throw ConsoleException.invalid("error.request.justification-required");
        }
        RequestLimits.text("text.limits.field.justification", filing.justification());
        RequestLimits.change(filing.change());
        if (filing.change() instanceof AccessEntryChange.SetAuthenticationMode && !requester.is(ConsoleRole.ADMIN)) {
            throw ConsoleException.forbidden("error.entry.mode-admins-only");
        }
        List<Sentence> problems = new ArrayList<>(policyProblems(filing));
        problems.addAll(unusableMapping(filing.change()));
        problems.addAll(accessEntryProblems(filing.cluster(), filing.change()));
        if (!problems.isEmpty()) {
            throw ConsoleException.invalidBecause(Sentence.joined(firstOf(problems)));
        }
        ApprovalPolicy policy = policies.of(filing.cluster());
        long id = tx.execute(status -> {
            if (undoes != null) {
                // Two undos of one request at once (a double click, two tabs) file one: the second waits here.
                AccessRequest undone = requests.lock(undoes).orElseThrow(() -> ConsoleException.notFound(
                        "error.request.not-found", undoes));
                checkUndoable(undone);
            }
            long newId = requests.insert(filing.cluster(), requester, MappingChangeJson.write(filing.change()),
                    filing.justification().strip(), filing.durationHours(), RequestState.PENDING, false, false,
                    policy.approvalsNeeded(), clock.instant().plus(Duration.ofHours(policy.requestTtlHours())),
                    undoes);
            AccessRequest filed = requests.find(newId).orElseThrow();
            audit(requester.actor(), AuditAction.REQUEST_FILED, filed, Map.of("justification",
                    filed.justification()), AuditOutcome.SUCCESS);
            notify(NotificationType.REQUEST_FILED, filed, requester.displayName() + " asks to "
                    + describe(filed.change()) + " on " + filed.cluster());
            return newId;
        });
        return requests.find(id).orElseThrow();
    }

    /** How many of a filing's problems a refusal names (a 500-item batch at fault would echo itself many times over). */
    static final int MAX_PROBLEMS = 10;

    /** The first {@link #MAX_PROBLEMS} problems, then how many more there are. */
    static List<Sentence> firstOf(List<Sentence> problems) {
        if (problems.size() <= MAX_PROBLEMS) {
            return problems;
        }
        List<Sentence> first = new ArrayList<>(problems.subList(0, MAX_PROBLEMS));
        first.add(Sentence.of("error.filing.more-problems", problems.size() - MAX_PROBLEMS));
        return first;
    }

    /**
     * Files these changes as requests of one person, all or none, leaving out those already open on the
     * cluster. The cluster's filings through here are serialized, so a double click on a migration step (or
     * two admins at once) files each change once.
     *
     * @return the ids filed; empty when every change is open already
     */
    public List<Long> fileUnlessOpen(String cluster, List<Change> changes, String justification, Person person) {
        return tx.execute(status -> {
            requests.lockFilingsOf(cluster);
            List<AccessRequest> open = requests.openFor(cluster);
            return changes.stream().filter(change -> open.stream().noneMatch(r -> r.change().equals(change)))
                    .map(change -> file(new Filing(cluster, change, justification, null), person).id()).toList();
        });
    }

    /**
     * Undo from the history: files the way back stored when the request was applied (planned before its
     * write) as a new request of this person's, through the same checks and approvals as any filing. A
     * batch's way back is one batch (each item's inverse, in reverse order); a deleted entry comes back with
     * every policy it had.
     *
     * @param justification the person's reason (required: the history says why), stored after "Undo of request #id: "
     */
    public AccessRequest fileUndo(long id, String justification, Person person) {
        AccessRequest request = visible(id, person);
        checkUndoable(request);
        if (justification == null || justification.isBlank()) {
            throw ConsoleException.invalid("error.request.undo-justification-required", id).onField("justification");
        }
        String why = "Undo of request #" + id + ": " + justification.strip();
        int length = justification.strip().codePointCount(0, justification.strip().length());
        int room = RequestLimits.MAX_TEXT - (why.length() - justification.strip().length());
        if (length > room) {
            // The stored justification has the same limit as any other; the prefix takes part of it.
            throw ConsoleException.invalid("error.request.undo-justification-too-long", length, room)
                    .onField("justification");
        }
        return file(new Filing(request.cluster(), request.inverse(), why, null), person, id);
    }

    /**
     * Applied, with a way back, not itself an undo, and no undo of it open: an applied undo ends the request
     * (REVOKED). An undo's way back would restore what it undid as a new request without an end: a grant for
     * 8 hours would come back for good, so it takes a new request that says how long.
     */
    private void checkUndoable(AccessRequest request) {
        if (request.state() != RequestState.APPLIED) {
            throw ConsoleException.conflict("error.request.undo-state", request.id(), words(request.state()));
        }
        Optional<Long> undid = requests.undone(request.id());
        if (undid.isPresent()) {
            throw ConsoleException.conflict("error.request.undo-of-undo", request.id(), undid.get());
        }
        if (request.inverse() == null) {
            throw ConsoleException.conflict("error.request.undo-none", request.id());
        }
        Optional<Long> open = requests.openUndoOf(request.id());
        if (open.isPresent()) {
            throw ConsoleException.conflict("error.request.undo-open", request.id(), open.get());
        }
        Optional<AccessRequest> ended = endedSourceOfWayBack(request);
        if (ended.isPresent()) {
            throw ConsoleException.conflict("error.request.undo-ended-source", request.id(), ended.get().id());
        }
    }

    /**
     * The request that gave the access this applied request's way back would give again, when that access
     * has ended since this one was applied (its grant's end, or an undo). A removal (or change) of a
     * time-bound grant's mapping stores that mapping as its way back; once the grant is over, undoing the
     * removal would give it again without an end. The source is the latest earlier request about the same
     * principal (and policy); access from elsewhere (a permanent request, a hand edit) is not held back.
     */
    public Optional<AccessRequest> endedSourceOfWayBack(AccessRequest request) {
        Change back = request.inverse();
        if (back == null || !gives(back) || back.principal() == null || back.principal().isEmpty()
                || request.appliedAt() == null) {
            return Optional.empty();
        }
        return requests.appliedBefore(request.cluster(), back.principal(), request.appliedAt(), request.id()).stream()
                .filter(earlier -> samePolicy(earlier.change(), back))
                .findFirst()
                .filter(source -> gives(source.change()) && source.state() == RequestState.REVOKED
                        && !source.updatedAt().isBefore(request.appliedAt()));
    }

    /** A change that gives (or reshapes) a principal's access, rather than taking it away. */
    private static boolean gives(Change change) {
        return change instanceof MappingChange.MapRole || change instanceof MappingChange.MapUser
                || change instanceof MappingChange.MapAccount || change instanceof AccessEntryChange.CreateAccessEntry
                || change instanceof AccessEntryChange.UpdateAccessEntry
                || change instanceof AccessEntryChange.AssociateAccessPolicy;
    }

    /** Two changes of one principal's access policies are related only when they name the same policy. */
    private static boolean samePolicy(Change a, Change b) {
        String policyA = policyOf(a);
        String policyB = policyOf(b);
        return policyA == null || policyB == null || policyA.equals(policyB);
    }

    private static String policyOf(Change change) {
        if (change instanceof AccessEntryChange.AssociateAccessPolicy c) {
            return c.policyArn();
        } else if (change instanceof AccessEntryChange.DisassociateAccessPolicy c) {
            return c.policyArn();
        }
        return null;
    }

    /**
     * The policy as it is now, not as it was at filing: a policy tightened since (no more system:masters,
     * shorter grants) binds the requests still waiting for an approval or for their apply. Break-glass is
     * the admin's own override and is not held to it.
     */
    private void stillWithinPolicy(AccessRequest request) {
        if (request.breakGlass()) {
            return;
        }
        List<Sentence> now = policyProblems(new Filing(request.cluster(), request.change(), request.justification(),
                request.durationHours()));
        if (!now.isEmpty()) {
            throw ConsoleException.conflict("error.request.policy-changed", request.cluster(), request.id(),
                    Sentence.joined(firstOf(now)));
        }
    }

    /**
     * Appends a review. A reject ends the request; reaching the threshold approves it (and, when the
     * policy says so, starts the apply, claimed by exactly this transaction).
     */
    public AccessRequest review(long id, Person reviewer, Review.Decision decision, String comment) {
        return refusalsAudited(reviewer, AuditAction.REQUEST_REVIEWED, id, () -> reviewChecked(id, reviewer, decision,
                comment));
    }

    private AccessRequest reviewChecked(long id, Person reviewer, Review.Decision decision, String comment) {
        RequestLimits.text("text.limits.field.comment", comment);
        visible(id, reviewer);
        if (decision == null) {
            throw ConsoleException.invalid("error.request.decision-required").onField("decision");
        }
        if (comment == null || comment.isBlank()) {
            throw ConsoleException.invalid("error.request.comment-required").onField("comment");
        }
        boolean startApply = Boolean.TRUE.equals(tx.execute(status -> {
            AccessRequest request = requests.lock(id).orElseThrow(() -> ConsoleException.notFound("error.request.not-found", id));
            ApprovalPolicy policy = policies.of(request.cluster());
            if (request.filedBy(reviewer)) {
                throw ConsoleException.forbidden("error.request.self-review");
            }
            if (!policy.mayApprove(reviewer)) {
                throw ConsoleException.forbidden("error.request.not-an-approver", request.cluster(),
                        policy.approversInWords());
            }
            if (!request.state().open()) {
                throw ConsoleException.conflict("error.request.review-resolved", id, words(request.state()));
            }
            List<Review> reviews = requests.reviews(id);
            if (reviews.stream().anyMatch(r -> r.reviewerSubject().equals(reviewer.subject()))) {
                throw ConsoleException.conflict("error.request.already-reviewed", id);
            }
            if (decision == Review.Decision.APPROVE) {
                stillWithinPolicy(request);
            }
            requests.insertReview(id, reviewer, decision, comment.strip());
            Map<String, String> details = new LinkedHashMap<>();
            details.put("decision", decision.name());
            details.put("comment", comment.strip());
            audit(reviewer.actor(), AuditAction.REQUEST_REVIEWED, request, details, AuditOutcome.SUCCESS);
            notify(NotificationType.REQUEST_REVIEWED, request, reviewer.displayName() + " "
                    + (decision == Review.Decision.APPROVE ? "approved" : "rejected") + " request #" + id);
            if (decision == Review.Decision.REJECT) {
                String why = "rejected by " + reviewer.displayName() + ": " + comment.strip();
                requests.transition(id, RequestState.PENDING, RequestState.REJECTED, why);
                audit(reviewer.actor(), AuditAction.REQUEST_REJECTED, request, Map.of("reason", why),
                        AuditOutcome.SUCCESS);
                return false;
            }
            long approvals = reviews.stream().filter(r -> r.decision() == Review.Decision.APPROVE).count() + 1;
            // Raised on the request when the policy was (ApprovalPolicies.save); the policy's too, should they race.
            if (approvals < Math.max(request.approvalsNeeded(), policy.approvalsNeeded())) {
                return false;
            }
            requests.transition(id, RequestState.PENDING, RequestState.APPROVED, null);
            audit(reviewer.actor(), AuditAction.REQUEST_APPROVED, request,
                    Map.of("approvals", Long.toString(approvals)), AuditOutcome.SUCCESS);
            return policy.autoApply() && requests.transition(id, RequestState.APPROVED, RequestState.APPLYING, null);
        }));
        if (startApply) {
            runApply(id, reviewer.actor());
        }
        return requests.find(id).orElseThrow();
    }

    public AccessRequest cancel(long id, Person requester) {
        return refusalsAudited(requester, AuditAction.REQUEST_CANCELLED, id, () -> cancelChecked(id, requester));
    }

    private AccessRequest cancelChecked(long id, Person requester) {
        visible(id, requester);
        tx.executeWithoutResult(status -> {
            AccessRequest request = requests.lock(id).orElseThrow(() -> ConsoleException.notFound("error.request.not-found", id));
            if (!request.filedBy(requester)) {
                throw ConsoleException.forbidden("error.request.cancel-not-yours", id);
            }
            if (!request.state().open()) {
                throw ConsoleException.conflict("error.request.cancel-resolved", id, words(request.state()));
            }
            requests.transition(id, RequestState.PENDING, RequestState.CANCELLED, "cancelled by the requester");
            audit(requester.actor(), AuditAction.REQUEST_CANCELLED, request, Map.of(), AuditOutcome.SUCCESS);
        });
        return requests.find(id).orElseThrow();
    }

    /**
     * Starts the apply by hand: an eligible approver for an APPROVED request whose policy waits for a
     * click, or an admin retrying a FAILED one. Exactly one caller claims it.
     */
    public AccessRequest startApply(long id, Person person) {
        return refusalsAudited(person, AuditAction.REQUEST_APPLIED, id, () -> startApplyChecked(id, person));
    }

    private AccessRequest startApplyChecked(long id, Person person) {
        AccessRequest request = visible(id, person);
        boolean claimed;
        if (request.state() == RequestState.FAILED) {
            if (!person.is(ConsoleRole.ADMIN)) {
                throw ConsoleException.forbidden("error.request.retry-admin-only");
            }
            stillWithinPolicy(request);
            claimed = requests.transition(id, RequestState.FAILED, RequestState.APPLYING, null);
        } else if (request.state() == RequestState.APPROVED) {
            if (!policies.of(request.cluster()).mayApprove(person) && !person.is(ConsoleRole.ADMIN)) {
                throw ConsoleException.forbidden("error.request.apply-approver-only", request.cluster());
            }
            stillWithinPolicy(request);
            claimed = requests.transition(id, RequestState.APPROVED, RequestState.APPLYING, null);
        } else {
            throw ConsoleException.conflict("error.request.apply-state", id, words(request.state()));
        }
        if (!claimed) {
            throw ConsoleException.conflict("error.request.apply-raced", id);
        }
        runApply(id, person.actor());
        return requests.find(id).orElseThrow();
    }

    /**
     * Break-glass: an admin's urgent change, applied now without reviews, never without validation and
     * audit; the lockout check is overridden only when {@code overrideLockout} was confirmed.
     */
    public AccessRequest breakGlass(String cluster, Change change, String reason, boolean overrideLockout,
            Person admin) {
        if (!admin.is(ConsoleRole.ADMIN)) {
            throw ConsoleException.forbidden("error.request.break-glass-admin-only");
        }
        if (reason == null || reason.isBlank()) {
            throw ConsoleException.invalid("error.request.break-glass-reason").onField("reason");
        }
        RequestLimits.text("text.limits.field.reason", reason);
        RequestLimits.change(change);
        if (clusters.findByName(cluster).isEmpty()) {
            throw ConsoleException.invalid("error.request.no-cluster", RequestLimits.echo(cluster));
        }
        long id = tx.execute(status -> requests.insert(cluster, admin, MappingChangeJson.write(change), reason.strip(), null,
                RequestState.APPLYING, true, overrideLockout, 1, clock.instant()));
        runApply(id, admin.actor());
        return requests.find(id).orElseThrow();
    }

    /** The apply of a claimed (APPLYING) request, outside any transaction; records the outcome after. */
    void runApply(long id, AuditActor actor) {
        AccessRequest request = requests.find(id).orElseThrow();
        Optional<AccessRequest> undone = requests.undone(id).flatMap(requests::find);
        if (undone.isPresent() && undone.get().state() != RequestState.APPLIED) {
            // Its grant ended (or it was undone) meanwhile: the way back would now take access given since.
            finish(request, new ApplyResult(ApplyResult.Status.REFUSED, "request #" + undone.get().id() + " is "
                    + words(undone.get().state()) + " now, so there is nothing to undo; nothing was changed",
                    List.of(), null, null, 0, null), actor);
            return;
        }
        Optional<AccessRequest> endedSource = undone.flatMap(this::endedSourceOfWayBack);
        if (endedSource.isPresent()) {
            // Filed while that grant still ran; approved after it ended: its way back would now outlive it.
            finish(request, new ApplyResult(ApplyResult.Status.REFUSED, "request #" + undone.get().id()
                    + " took away access that request #" + endedSource.get().id() + " gave, which has ended since;"
                    + " undoing it would give that access again without its end, so nothing was changed;"
                    + " file a new request for the access, with the duration it needs",
                    List.of(), null, null, 0, null), actor);
            return;
        }
        ApplyResult result;
        try {
            result = apply(new ApplyCommand(request.cluster(), request.change(), actor, id,
                    (request.breakGlass() ? "break-glass: " : "") + request.justification(),
                    request.breakGlass() && request.overrideLockout()));
        } catch (RuntimeException e) {
            // Also when the write-ahead audit could not be written: nothing was applied then (fail closed).
            log.warn("request={} apply failed: {}", id, e.toString());
            result = new ApplyResult(ApplyResult.Status.FAILED, "the apply could not run: " + e.getMessage(),
                    List.of(), null, null, 0, null);
        }
        finish(request, result, actor);
    }

    private void finish(AccessRequest request, ApplyResult result, AuditActor actor) {
        long id = request.id();
        if (result.status() == ApplyResult.Status.IN_PROGRESS) {
            // Stays APPLYING and says so; apply recovery finishes the intent and then the request (finishFromIntent).
            requests.recordProgress(id, result.message());
            return;
        }
        tx.executeWithoutResult(status -> {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("status", result.status().name());
            details.put("message", result.message());
            if (result.beforeHash() != null) {
                details.put("beforeHash", result.beforeHash());
                details.put("afterHash", String.valueOf(result.afterHash()));
            }
            if (result.succeeded()) {
                // No way back means the access existed before: the grant then has no end to enforce.
                Integer hours = request.breakGlass() || result.inverse() == null ? null : request.durationHours();
                if (!requests.recordApplied(id, result.message(), result.diff(), result.beforeHash(),
                        result.afterHash(), MappingChangeJson.write(result.inverse()), hours)) {
                    return; // someone else (recovery) recorded it first
                }
                // An applied undo ends what it undid (before any audit row: the chain lock comes last).
                Optional<AccessRequest> undone = requests.undone(id).flatMap(requests::find)
                        .filter(u -> requests.recordRevoked(u.id(), "undone by request #" + id));
                audit(actor, AuditAction.REQUEST_APPLIED, request, details, AuditOutcome.SUCCESS);
                undone.ifPresent(u -> audit(actor, AuditAction.REQUEST_REVOKED, u, Map.of("undoneBy", "#" + id),
                        AuditOutcome.SUCCESS));
                notify(NotificationType.REQUEST_APPLIED, request, "request #" + id + " applied on "
                        + request.cluster() + ": " + describe(request.change()));
            } else {
                String message = failureInWords(result);
                if (!requests.recordFailed(id, message, result.diff())) {
                    return;
                }
                audit(actor, AuditAction.REQUEST_FAILED, request, details, AuditOutcome.FAILURE);
                notify(NotificationType.REQUEST_FAILED, request, "request #" + id + " could not be applied on "
                        + request.cluster() + ": " + message);
            }
            if (request.breakGlass()) {
                Map<String, String> breakGlass = new LinkedHashMap<>(details);
                breakGlass.put("reason", request.justification());
                breakGlass.put("overrideLockout", Boolean.toString(request.overrideLockout()));
                audit(actor, AuditAction.BREAK_GLASS_APPLIED, request, breakGlass,
                        result.succeeded() ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE);
            }
        });
    }

    private static String failureInWords(ApplyResult result) {
        return switch (result.status()) {
            case REFUSED -> "refused: " + result.message();
            case CONFLICT -> "conflict: " + result.message();
            default -> result.message();
        };
    }

    /**
     * A cluster removed from the registry ends the requests still waiting for it (pending or approved, not
     * yet applying, or failed and waiting for a retry): approved or retried later, they would apply to
     * whatever cluster is next registered under its name. Grants with an end are closed now, nothing
     * revoked: the console no longer reaches that cluster, and their revoke must never fire on a cluster
     * registered later under the name (their access, where the cluster still exists, is no longer managed
     * here; the outcome says so). Then {@link RenamedClusterRequests} retires the rows. In the removal's
     * transaction.
     */
    @EventListener
    @Order(Ordered.HIGHEST_PRECEDENCE)
    void onClusterRemoved(ClusterRegistry.Removed removed) {
        for (AccessRequest open : requests.openFor(removed.cluster())) {
            if ((open.state() == RequestState.PENDING || open.state() == RequestState.APPROVED)
                    && requests.transition(open.id(), open.state(), RequestState.CANCELLED, "cancelled: cluster "
                            + removed.cluster() + " was removed from the console before the request was applied")) {
                audit(REGISTRY, AuditAction.REQUEST_CANCELLED, open, Map.of("reason", "cluster removed"),
                        AuditOutcome.SUCCESS);
            }
        }
        for (AccessRequest failed : requests.inStateOn(removed.cluster(), RequestState.FAILED)) {
            if (requests.transition(failed.id(), RequestState.FAILED,
                    RequestState.CANCELLED, "cancelled: cluster " + removed.cluster()
                            + " was removed from the console before the request could be retried")) {
                audit(REGISTRY, AuditAction.REQUEST_CANCELLED, failed, Map.of("reason", "cluster removed"),
                        AuditOutcome.SUCCESS);
            }
        }
        for (AccessRequest grant : requests.grantsOn(removed.cluster())) {
            String why = "cluster removed; nothing revoked: " + removed.cluster() + " was removed from the console"
                    + " before the grant's end (" + grant.grantEndsAt() + "), so the console no longer ends it;"
                    + " where that cluster still exists, its access stays until someone removes it there";
            if (requests.recordRevoked(grant.id(), why)) {
                Map<String, String> details = new LinkedHashMap<>();
                details.put("reason", "cluster removed; nothing revoked");
                details.put("grantEndsAt", String.valueOf(grant.grantEndsAt()));
                details.put("retiredAs", removed.retiredAs());
                audit(REGISTRY, AuditAction.REQUEST_REVOKED, grant, details, AuditOutcome.SUCCESS);
            }
        }
    }

    // ---- time-driven transitions (ScheduledJobs, one replica) -------------------------------------

    /** PENDING past its time-to-live → EXPIRED. */
    public int expireUnreviewed() {
        int expired = 0;
        for (AccessRequest request : requests.pendingPast(clock.instant())) {
            boolean moved = Boolean.TRUE.equals(tx.execute(status -> {
                if (!requests.transition(request.id(), RequestState.PENDING, RequestState.EXPIRED,
                        "expired: nobody reviewed it before " + request.expiresAt())) {
                    return false;
                }
                audit(AuditActor.system("expiry"), AuditAction.REQUEST_EXPIRED, request,
                        Map.of("expiresAt", request.expiresAt().toString()), AuditOutcome.SUCCESS);
                return true;
            }));
            expired += moved ? 1 : 0;
        }
        return expired;
    }

    /** Tells requesters about grants that end within {@code lead}, once each. */
    public int warnExpiring(Duration lead) {
        int warned = 0;
        for (AccessRequest request : requests.grantsNotWarnedEndingBy(clock.instant().plus(lead))) {
            boolean sent = Boolean.TRUE.equals(tx.execute(status -> {
                if (!requests.markExpiringNotified(request.id())) {
                    return false;
                }
                notifications.publish(new NotificationEvent(NotificationType.GRANT_EXPIRING, request.cluster(),
                        request.id(), "the access of request #" + request.id() + " on " + request.cluster()
                                + " ends at " + request.grantEndsAt() + "; file a new request to extend it",
                        extendLink(request), Map.of("grantEndsAt", request.grantEndsAt().toString(),
                                "requester", request.requesterName()),
                        clock.instant()));
                return true;
            }));
            warned += sent ? 1 : 0;
        }
        return warned;
    }

    /** APPLIED past the grant end → apply the stored inverse as the system → REVOKED. */
    public int revokeEnded() {
        int revoked = 0;
        for (AccessRequest request : requests.grantsEndingBy(clock.instant())) {
            if (request.inverse() == null) {
                continue;
            }
            ApplyResult result;
            Optional<AccessRequest> claimed = claimedSince(request);
            Optional<AccessRequest> runsOn = claimed.isPresent() ? Optional.empty() : handedToLaterGrant(request);
            try {
                result = runsOn.isPresent() ? nothingTakenBack(request, runsOn.get(), "for longer",
                        "so it stays until that grant's end, which takes it back")
                        : claimed.isPresent() ? nothingTakenBack(request, claimed.get(), "without an end",
                        "so it stays as that request's")
                        : apply(new ApplyCommand(request.cluster(), request.inverse(), EXPIRY, request.id(),
                        "grant of request #" + request.id() + " ended at " + request.grantEndsAt(), false,
                        ApplyCommand.Purpose.REVOKE));
            } catch (RuntimeException e) {
                result = new ApplyResult(ApplyResult.Status.FAILED, "the revoke could not run: " + e.getMessage(),
                        List.of(), null, null, 0, null);
            }
            revoked += recordRevoke(request, result, EXPIRY) ? 1 : 0;
        }
        return revoked;
    }

    /** The outcome of a grant's end that leaves its access to a later request for the same access. */
    private static ApplyResult nothingTakenBack(AccessRequest grant, AccessRequest later, String how, String so) {
        return new ApplyResult(ApplyResult.Status.NO_CHANGE, AwsAuthApplier.NOTHING_TAKEN_BACK + "request #" + later.id()
                + " asked for the same access for " + grant.change().principal() + " " + how + " after this grant gave it"
                + " (it found it in place), " + so, List.of(), null, null, 0, null);
    }

    /**
     * A later request for the same role or user mapping (or the same association, scope and all) without an
     * end, applied while this grant ran and finding it in place (so it stored no way back and had nothing to
     * write): the cluster cannot show it, yet the access is now asked for for good, and this grant's end must
     * not take it away.
     */
    private Optional<AccessRequest> claimedSince(AccessRequest grant) {
        if (grant.appliedAt() != null && grant.change() instanceof AccessEntryChange.AssociateAccessPolicy associated) {
            return requests.laterPermanentAssociating(grant.cluster(), associated.principalArn(), associated.policyArn(),
                    grant.appliedAt()).filter(later -> later.change() instanceof AccessEntryChange.AssociateAccessPolicy same
                            && same.accessScope().sameAs(associated.accessScope()));
        }
        if (!(grant.inverse() instanceof MappingChange wayBack) || wayBack instanceof MappingChange.MapAccount
                || wayBack instanceof MappingChange.UnmapAccount || wayBack.principal() == null || grant.appliedAt() == null
                || !(grant.change() instanceof MappingChange.MapRole || grant.change() instanceof MappingChange.MapUser)) {
            return Optional.empty();
        }
        return requests.laterPermanentAskingFor(grant.cluster(), wayBack.principal(), grant.appliedAt());
    }

    /**
     * A later grant of the same role or user mapping that found it in place (no way back, recorded without an
     * end) and runs longer than this one: it is given this grant's way back and its own end, so the access
     * stays until then and its end takes it back. Empty when there is none.
     */
    private Optional<AccessRequest> handedToLaterGrant(AccessRequest grant) {
        if (!(grant.inverse() instanceof MappingChange wayBack) || wayBack.principal() == null
                || grant.appliedAt() == null
                || !(grant.change() instanceof MappingChange.MapRole || grant.change() instanceof MappingChange.MapUser)) {
            return Optional.empty();
        }
        return requests.laterGrantFoundInPlace(grant.cluster(), wayBack.principal(), grant.appliedAt(), clock.instant())
                .filter(later -> requests.takeOverWayBack(later.id(), MappingChangeJson.write(wayBack)));
    }

    /** REVOKED when the way back was applied; otherwise stays APPLIED, says why, and the next run tries again. */
    private boolean recordRevoke(AccessRequest request, ApplyResult outcome, AuditActor actor) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("status", outcome.status().name());
        details.put("message", outcome.message());
        details.put("grantEndsAt", String.valueOf(request.grantEndsAt()));
        if (outcome.succeeded()) {
            // Access added since on what the grant gave stays: said on the request, in the audit and to people.
            String message = outcome.message() == null ? "" : outcome.message();
            boolean nothing = message.startsWith(AwsAuthApplier.NOTHING_TAKEN_BACK);
            boolean inPart = message.startsWith(AccessEntryApplier.TAKEN_BACK_IN_PART) || nothing;
            String revoked = message.startsWith(AccessEntryApplier.TAKEN_BACK_IN_PART) ? "the grant ended and was " + message
                    : nothing ? "the grant ended; " + message
                    : message.startsWith("taken back: ") ? "revoked at the end of the grant; " + message
                    : "revoked at the end of the grant";
            return Boolean.TRUE.equals(tx.execute(status -> {
                if (!requests.recordRevoked(request.id(), revoked)) {
                    return false;
                }
                if (inPart) {
                    details.put("takenBackInPart", "true");
                    handOver(request).ifPresent(ids -> details.put("wayBackHandedTo", ids));
                }
                if (!nothing) { // nothing of it was taken back (it is another request's now, or gone): nothing to hand over
                    handOverMapping(request).ifPresent(ids -> details.put("wayBackHandedTo", ids));
                }
                audit(actor, AuditAction.REQUEST_REVOKED, request, details, AuditOutcome.SUCCESS);
                if (inPart) {
                    notify(NotificationType.REQUEST_FAILED, request, "the grant of request #" + request.id()
                            + (nothing ? " ended; " : " ended and was ") + message);
                }
                return true;
            }));
        }
        String why = "could not revoke yet: " + failureInWords(outcome);
        tx.executeWithoutResult(status -> {
            requests.recordRevokeProblem(request.id(), why);
            audit(actor, AuditAction.REQUEST_REVOKED, request, details, AuditOutcome.FAILURE);
            notify(NotificationType.REQUEST_FAILED, request, "the grant of request #" + request.id() + " ended but "
                    + why);
        });
        return false;
    }

    /**
     * Later changes to the mapping this grant changed, whose way back still records it as the grant left it:
     * now that the grant has ended, their way back records it without what the grant gave, so their end or
     * undo does not give it again (e.g. a second time-bound grant of another group that ends later).
     * Inside the revoke's transaction.
     *
     * @return the requests whose way back changed ("#12, #14"), or empty
     */
    private Optional<String> handOverMapping(AccessRequest ended) {
        if (!(ended.inverse() instanceof MappingChange endedWayBack) || endedWayBack.granted() == null
                || endedWayBack.principal() == null) {
            return Optional.empty();
        }
        List<String> handed = new ArrayList<>();
        for (AccessRequest later : requests.appliedAfterWithMappingInverse(ended.cluster(), ended.id(),
                endedWayBack.principal())) {
            MappingChange wayBack = later.inverse() instanceof MappingChange m
                    ? ChangePlanner.handedOver(m, endedWayBack) : null;
            if (wayBack != null && requests.replaceInverse(later.id(), MappingChangeJson.write(wayBack))) {
                handed.add("#" + later.id());
            }
        }
        return handed.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", handed));
    }

    /**
     * An association this grant gave (or re-scoped) was re-scoped since by later requests, whose way back
     * restores this grant's scope: now that it has ended, theirs take back to what this grant's way back
     * would have (no association, or the scope it had before the grant) instead: their end, or an undo, must
     * not bring back access whose grant is over. Inside the revoke's transaction.
     *
     * @return the requests whose way back changed ("#12, #14"), or empty
     */
    private Optional<String> handOver(AccessRequest ended) {
        AccessScope gave;
        if (ended.inverse() instanceof AccessEntryChange.DisassociateAccessPolicy taken && taken.grantedScope() != null) {
            gave = taken.grantedScope();
        } else if (ended.inverse() instanceof AccessEntryChange.AssociateAccessPolicy restore
                && restore.grantedScope() != null) {
            gave = restore.grantedScope();
        } else {
            return Optional.empty();
        }
        AccessEntryChange endedWayBack = (AccessEntryChange) ended.inverse();
        String policyArn = endedWayBack instanceof AccessEntryChange.DisassociateAccessPolicy d ? d.policyArn()
                : ((AccessEntryChange.AssociateAccessPolicy) endedWayBack).policyArn();
        List<String> handed = new ArrayList<>();
        for (AccessRequest later : requests.appliedWithInverse(ended.cluster(), "ASSOCIATE_ACCESS_POLICY",
                endedWayBack.principal(), policyArn)) {
            if (later.id() > ended.id() && later.inverse() instanceof AccessEntryChange.AssociateAccessPolicy back
                    && back.accessScope().sameAs(gave)
                    && later.change() instanceof AccessEntryChange.AssociateAccessPolicy rescope
                    && requests.replaceInverse(later.id(), MappingChangeJson.write(
                            endedWayBack instanceof AccessEntryChange.AssociateAccessPolicy restore
                                    ? new AccessEntryChange.AssociateAccessPolicy(rescope.principalArn(), rescope.policyArn(),
                                            restore.accessScope(), rescope.accessScope())
                                    : new AccessEntryChange.DisassociateAccessPolicy(rescope.principalArn(),
                                            rescope.policyArn(), rescope.accessScope())))) {
                handed.add("#" + later.id());
            }
        }
        return handed.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", handed));
    }

    /**
     * The one path that finishes a request from an intent a dead process left: the outcome stored on
     * the intent (with the way back planned before its write) is recorded as if the apply or revoke
     * had returned. Called when apply recovery finished the intent, and by {@link #recoverApplying}
     * for intents that were finished but whose request was not.
     */
    public void finishFromIntent(long intentId) {
        ApplyIntent intent = intents.find(intentId).orElse(null);
        if (intent == null || intent.requestId() == null || intent.state() != ApplyIntent.State.DONE) {
            return;
        }
        AccessRequest request = requests.find(intent.requestId()).orElse(null);
        if (request == null) {
            return;
        }
        if (intent.purpose() == ApplyCommand.Purpose.REVOKE) {
            if (request.state() == RequestState.APPLIED) {
                recordRevoke(request, intent.result(), RECOVERY);
            }
        } else if (request.state() == RequestState.APPLYING) {
            finish(request, intent.result(), RECOVERY);
        } else if (request.state() == RequestState.FAILED && intent.succeeded()
                && requests.transition(request.id(), RequestState.FAILED, RequestState.APPLYING, null)) {
            // Its first try was reported failed (the outcome could not be stored), yet recovery applied it.
            finish(requests.find(request.id()).orElseThrow(), intent.result(), RECOVERY);
        }
    }

    /**
     * Finishes requests a dead replica left in APPLYING (untouched since {@code staleBefore}) from
     * their stored intent: finished → record its outcome; still pending → apply recovery holds it
     * and finishes the request through {@link #finishFromIntent}; none stored → the process died
     * before the intent, so nothing was written and the apply runs now.
     */
    public int recoverApplying(Instant staleBefore) {
        int recovered = 0;
        for (AccessRequest request : requests.inState(RequestState.APPLYING)) {
            if (!requests.claimStaleApplying(request.id(), staleBefore)) {
                continue;
            }
            var intent = intents.latestFor(request.id(), ApplyCommand.Purpose.APPLY);
            log.info("request={} decision=recover (left in APPLYING since {}, intent {})", request.id(),
                    request.updatedAt(), intent.map(i -> i.id() + " " + i.state()).orElse("none"));
            if (intent.isEmpty()) {
                runApply(request.id(), RECOVERY);
            } else if (intent.get().state() == ApplyIntent.State.DONE) {
                finishFromIntent(intent.get().id());
            }
            recovered++;
        }
        return recovered;
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** aws-auth changes to the aws-auth applier, access-entry changes to EKS; the same intents and outcome. */
    private ApplyResult apply(ApplyCommand command) {
        return command.change() instanceof AccessEntryChange ? entryApplier.apply(command) : applier.apply(command);
    }

    /** A new-request link prefilled with this request's change (the "extend" action). */
    public static String extendLink(AccessRequest request) {
        StringBuilder link = new StringBuilder("/requests/new?cluster=").append(encode(request.cluster()))
                .append("&kind=").append(request.kind().name())
                .append(request.kind().account() ? "&arn=" : "&arn=").append(encode(request.principal()));
        if (request.change() instanceof AccessEntryChange.AssociateAccessPolicy a) {
            link.append("&policyArn=").append(encode(a.policyArn())).append("&scopeType=").append(a.accessScope().type());
            if (!a.accessScope().namespaces().isEmpty()) {
                link.append("&namespaces=").append(encode(String.join(",", a.accessScope().namespaces())));
            }
        } else if (request.change() instanceof AccessEntryChange.CreateAccessEntry c) {
            link.append("&type=").append(encode(c.type()));
        }
        if (request.username() != null) {
            link.append("&username=").append(encode(request.username()));
        }
        if (!request.groups().isEmpty()) {
            link.append("&groups=").append(encode(String.join(",", request.groups())));
        }
        if (request.durationHours() != null) {
            link.append("&duration=").append(request.durationHours());
        }
        return link.toString();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String describe(Change change) {
        if (change instanceof AccessEntryChange entry) {
            return describeEntry(entry);
        }
        ChangeKind kind = ChangeKind.of(change);
        return switch (kind) {
            case MAP_ROLE, MAP_USER -> ((MappingChange) change).granted() == null
                    ? "map " + change.principal() + " as " + usernameOf(change) + " into " + groupNames(change)
                    : "take back what the undone change did to the mapping of " + change.principal() + ", back to "
                            + usernameOf(change) + " into " + groupNames(change) + " (changes made since stay)";
            case UNMAP_ROLE, UNMAP_USER -> ((MappingChange) change).granted() == null ? "unmap " + change.principal()
                    : "take back what was given to " + change.principal() + " (changes made since stay)";
            case MAP_ACCOUNT -> "map account " + change.principal();
            case UNMAP_ACCOUNT -> "unmap account " + change.principal();
            default -> throw new IllegalStateException(kind.name());
        };
    }

    private static String describeEntry(AccessEntryChange change) {
        if (change instanceof AccessEntryChange.CreateAccessEntry c) {
            return "create a " + c.type() + " access entry for " + c.principalArn()
                    + (c.username() == null ? "" : " as " + c.username())
                    + (c.kubernetesGroups().isEmpty() ? "" : " into " + String.join(", ", c.kubernetesGroups()))
                    + (c.accessPolicies().isEmpty() ? "" : " with " + String.join(", ", c.accessPolicies().stream()
                            .map(p -> p.policyName() + " (" + p.accessScope().describe() + ")").toList()));
        } else if (change instanceof AccessEntryChange.UpdateAccessEntry c) {
            return "update the access entry of " + c.principalArn() + (c.username() == null ? "" : " to " + c.username())
                    + " with groups " + (c.kubernetesGroups().isEmpty() ? "none" : String.join(", ", c.kubernetesGroups()));
        } else if (change instanceof AccessEntryChange.DeleteAccessEntry c) {
            return c.granted() == null ? "delete the access entry of " + c.principalArn()
                    : "take back the access entry of " + c.principalArn() + " as it was created (access added to it since stays)";
        } else if (change instanceof AccessEntryChange.AssociateAccessPolicy c) {
            return "associate " + c.policyArn().substring(c.policyArn().lastIndexOf('/') + 1) + " ("
                    + c.accessScope().describe() + ") with " + c.principalArn();
        } else if (change instanceof AccessEntryChange.DisassociateAccessPolicy c) {
            return "disassociate " + c.policyArn().substring(c.policyArn().lastIndexOf('/') + 1) + " from "
                    + c.principalArn();
        }
        if (change instanceof AccessEntryChange.Batch batch) {
            long creates = batch.changes().stream().filter(c -> c instanceof AccessEntryChange.CreateAccessEntry).count();
            long associates = batch.changes().stream().filter(c -> c instanceof AccessEntryChange.AssociateAccessPolicy).count();
            long others = batch.changes().size() - creates - associates;
            return "a batch of " + batch.changes().size() + " access-entry change(s): " + creates + " entry creation(s), "
                    + associates + " policy association(s)" + (others == 0 ? "" : ", " + others + " other(s)");
        }
        return "set the authentication mode to " + ((AccessEntryChange.SetAuthenticationMode) change).mode();
    }

    private static String groupNames(Change change) {
        return groupsOf(change).isEmpty() ? "no groups" : String.join(", ", groupsOf(change));
    }

    private static String usernameOf(Change change) {
        return change instanceof MappingChange.MapRole r ? r.entry().username()
                : ((MappingChange.MapUser) change).entry().username();
    }

    private static List<String> groupsOf(Change change) {
        return change instanceof MappingChange.MapRole r ? r.entry().groups()
                : ((MappingChange.MapUser) change).entry().groups();
    }

    static String words(RequestState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Runs a transition and, when it is refused (not allowed, not visible, already resolved), audits
     * the attempt as DENIED. Recorded after the transition's transaction rolled back, in one of its
     * own, so the refusal stays while nothing of the refused transition does.
     */
    private AccessRequest refusalsAudited(Person person, AuditAction attempted, long id,
            java.util.function.Supplier<AccessRequest> transition) {
        try {
            return transition.get();
        } catch (ConsoleException e) {
            if (e.kind() != ConsoleException.Kind.INVALID) {
                // Not-found names no cluster: whether the id exists is not told, not even to the audit reader.
                String cluster = e.kind() == ConsoleException.Kind.NOT_FOUND ? null
                        : requests.find(id).map(AccessRequest::cluster).orElse(null);
                Map<String, String> details = new LinkedHashMap<>();
                details.put("requestId", Long.toString(id));
                details.put("refused", e.getMessage());
                // Limited per person like any refusal of theirs: a loop of refused reviews is no way to grow the history.
                denials.record(person.actor(), attempted, cluster, "requests/" + id, details);
                // One row per refusal: the web layer's 403 audit stands back for this request.
                RequestAttributes web = RequestContextHolder.getRequestAttributes();
                if (web != null) {
                    web.setAttribute(RequestDenied.REFUSAL_AUDITED, true, RequestAttributes.SCOPE_REQUEST);
                }
            }
            throw e;
        }
    }

    private void audit(AuditActor actor, AuditAction action, AccessRequest request, Map<String, String> extra,
            AuditOutcome outcome) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("requestId", Long.toString(request.id()));
        details.put("change", describe(request.change()));
        details.putAll(extra);
        audit.record(actor, action, request.cluster(), "requests/" + request.id(), details, outcome);
    }

    private void notify(NotificationType type, AccessRequest request, String summary) {
        notifications.publish(new NotificationEvent(type, request.cluster(), request.id(), summary, request.link(),
                Map.of("state", requests.find(request.id()).map(r -> r.state().name()).orElse("")), clock.instant()));
    }
}
