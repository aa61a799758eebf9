package io.eksaccess.console.apply;

import io.eksaccess.console.accessentry.AccessEntriesLookup;
import io.eksaccess.console.accessentry.AccessEntriesWritten;
import io.eksaccess.console.accessentry.AccessPolicyTable;
import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AccessScope;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.accessentry.AuthenticationMode;
import io.eksaccess.console.accessentry.SyncedAccessEntries;
import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditOutcome;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.AwsAuthUnreadableException;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterProperties;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.ClusterSource;
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.EksAccessEntries;
import io.eksaccess.console.cluster.eks.EksAccessEntryWriter;
import io.eksaccess.console.system.Sentence;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Carries out access-entry changes the way {@link AwsAuthApplier} carries out aws-auth ones (DESIGN
 * invariants 1, 3, 5): intent stored and locked, its audit record committed; then read the
 * principal's entry (and the mode) from EKS → plan on it → refuse on errors or lockout → store the
 * way back → write (with a {@code clientRequestToken} derived from the intent, so a retry is one
 * change) → read back until EKS shows it (writes are eventually consistent; bounded) → outcome
 * audited and stored; then the cluster's entries are re-synced and {@link AccessEntriesWritten} published.
 */
@Service
public class AccessEntryApplier {

    public static final String ALREADY_HAD_ACCESS =
            "EKS already had this: the access existed before; nothing will be taken back at the end";
    /** How a take-back that left access others added since begins its message (the request records it so). */
    public static final String TAKEN_BACK_IN_PART = "taken back in part; kept: ";
    private static final Logger log = LoggerFactory.getLogger(AccessEntryApplier.class);

    private final ClusterRepository clusters;
    private final ClusterCaches caches;
    private final AccessEntriesLookup entries;
    private final AuditLog audit;
    private final ApplyIntents intents;
    private final ConsoleCallerIdentity consoleIdentity;
    private final ApplicationEventPublisher events;
    private final java.net.URI endpointOverride;
    private final Duration readBackTimeout;
    private final Duration modeChangeTimeout;
    private final Duration modeChangePollInterval;
    private final boolean haltAfterIntent;
    private final boolean haltAfterUpdate;

    AccessEntryApplier(ClusterRepository clusters, ClusterCaches caches, AccessEntriesLookup entries, AuditLog audit,
            ApplyIntents intents, ConsoleCallerIdentity consoleIdentity, ApplicationEventPublisher events,
            ClusterProperties properties,
            @Value("${console.apply.access-entries.read-back-timeout:60s}") Duration readBackTimeout,
            @Value("${console.apply.access-entries.mode-change-timeout:20m}") Duration modeChangeTimeout,
            @Value("${console.apply.access-entries.mode-change-poll-interval:10s}") Duration modeChangePollInterval,
            @Value("${console.apply.halt-after-intent:false}") boolean haltAfterIntent,
            @Value("${console.apply.halt-after-update:false}") boolean haltAfterUpdate) {
        this.clusters = clusters;
        this.caches = caches;
        this.entries = entries;
        this.audit = audit;
        this.intents = intents;
        this.consoleIdentity = consoleIdentity;
        this.events = events;
        this.endpointOverride = properties.eks() == null ? null : properties.eks().endpointOverride();
        this.readBackTimeout = readBackTimeout;
        this.modeChangeTimeout = modeChangeTimeout;
        this.modeChangePollInterval = modeChangePollInterval;
        this.haltAfterIntent = haltAfterIntent;
        this.haltAfterUpdate = haltAfterUpdate;
    }

    /** A plan on the synced cache (never a call to EKS: filing and the preview run it), or why there is none. */
    public record CachedPlan(AccessEntryPlan plan, Sentence problem, List<AccessEntryPlan> items) {

        public CachedPlan(AccessEntryPlan plan, Sentence problem) {
            this(plan, problem, List.of());
        }
    }

    public CachedPlan planOnCache(String clusterName, AccessEntryChange change) {
        Optional<Cluster> found = clusters.findByName(clusterName);
        if (found.isEmpty()) {
            return new CachedPlan(null, Sentence.of("text.entry-plan.cache.no-cluster", clusterName));
        }
        Cluster cluster = found.get();
        // As ClusterCaches.readsAccessEntries: a kubeconfig cluster described as an EKS cluster (the demo's pairing) is one.
        boolean eksBacked = cluster.source() == ClusterSource.EKS || cluster.source() == ClusterSource.KUBECONFIG;
        if (!eksBacked || cluster.eksClusterName() == null || cluster.awsRegion() == null) {
            return new CachedPlan(null, Sentence.of("text.entry-plan.cache.not-eks", clusterName));
        }
        AuthenticationMode mode = mode(cluster.eksAuthenticationMode());
        List<AccessEntry> current = List.of();
        if (mode.readsAccessEntries()) {
            Optional<SyncedAccessEntries> synced = entries.synced(cluster);
            if (synced.isEmpty()) {
                // A mode going back or skipping a step is refused whatever the entries are: say that, not "try later".
                if (change instanceof AccessEntryChange.SetAuthenticationMode set && !isNextStep(mode, set.mode())) {
                    return new CachedPlan(planner(cluster).plan(mode, List.of(), change), null);
                }
                return new CachedPlan(null, entries.unread(cluster)
                        .map(u -> Sentence.of("text.entry-plan.cache.unread-state", clusterName, String.valueOf(u.state())))
                        .orElse(Sentence.of("text.entry-plan.cache.unread", clusterName)));
            }
            current = synced.get().entries().entries();
        }
        if (change instanceof AccessEntryChange.Batch batch) {
            AccessEntryPlanner.BatchPlan planned = planner(cluster).planBatch(mode, current, batch);
            return new CachedPlan(planned.whole(), null, planned.items());
        }
        return new CachedPlan(planner(cluster).plan(mode, current, change), null);
    }

    private static boolean isNextStep(AuthenticationMode from, AuthenticationMode to) {
        return to == from || to.ordinal() == from.ordinal() + 1;
    }

    /** Applies the change, or says in the result why not. Throws (having written nothing) when the intent cannot be stored. */
    public ApplyResult apply(ApplyCommand command) {
        Cluster cluster = cluster(command.cluster());
        try (ApplyIntents.Lease lease = intents.begin(command)) {
            return carryOut(cluster, lease.id(), command, command.actor(), false);
        }
    }

    /** Finishes an intent whose process died, to the true state; called by {@link ApplyRecovery} holding its lease. */
    ApplyResult recover(ApplyIntent intent) {
        if (intent.eksUpdateId() != null) {
            return pollModeChange(intent); // EKS took the change: follow its update, never send it again
        }
        return carryOut(cluster(intent.cluster()), intent.id(), intent.command(), ApplyRecovery.ACTOR, true);
    }

    /**
     * One look at a mode change's EKS update (called by {@link ApplyRecovery} holding the lease, every poll
     * interval and after a restart): still running → IN_PROGRESS, the intent stays PENDING; ended (or past
     * {@code mode-change-timeout}) → the outcome is recorded as {@link #carryOut} records it.
     */
    ApplyResult pollModeChange(ApplyIntent intent) {
        Cluster cluster = cluster(intent.cluster());
        AccessEntryChange change = (AccessEntryChange) intent.change();
        ApplyResult result;
        try (EksAccessEntryWriter writer = writer(cluster)) {
            result = awaitUpdate(writer, cluster.eksClusterName(), intent.eksUpdateId(), intent.diff(), Instant.now(),
                    intent.createdAt().plus(modeChangeTimeout));
            if (result == null) {
                result = readBack(cluster, writer, planner(cluster), change)
                        ? new ApplyResult(ApplyResult.Status.APPLIED, "applied (EKS update " + intent.eksUpdateId()
                                + " Successful)", intent.diff(), intent.beforeHash(), intent.afterHash(), 1, intent.inverse())
                        : new ApplyResult(ApplyResult.Status.FAILED, "EKS reported update " + intent.eksUpdateId()
                                + " Successful, but the cluster did not show the mode within " + readBackTimeout.toSeconds()
                                + "s; retry the apply", intent.diff(), null, null, 1, intent.inverse());
            }
        } catch (AwsServiceException | SdkClientException e) {
            log.warn("cluster={} intent={} update={} could not be polled now, will retry: {}", cluster.name(), intent.id(),
                    intent.eksUpdateId(), awsMessage(e));
            result = inProgress(intent.eksUpdateId(), intent.diff());
        }
        if (result.status() == ApplyResult.Status.IN_PROGRESS) {
            return result.withIntentId(intent.id());
        }
        Map<String, String> details = intent.command().auditDetails(intent.id(), false);
        details.put("eksUpdateId", intent.eksUpdateId());
        return finish(cluster, intent.id(), change, intent.actor(), false, details, result, List.of());
    }

    private ApplyResult carryOut(Cluster cluster, long intentId, ApplyCommand command, AuditActor actor, boolean recovery) {
        AccessEntryChange change = (AccessEntryChange) command.change();
        String resource = resource(cluster, change);
        Map<String, String> intent = command.auditDetails(intentId, recovery);
        try {
            audit.record(actor, AuditAction.ACCESS_ENTRY_APPLY, cluster.name(), resource, intent, AuditOutcome.INTENT);
        } catch (RuntimeException e) {
            log.warn("cluster={} resource={} intent={} decision=not-applied (audit unavailable)", cluster.name(), resource,
                    intentId);
            intents.finish(intentId, failed("the audit log was unavailable, so nothing was applied"), false);
            throw new IllegalStateException("the audit log is unavailable, so nothing was applied: " + e.getMessage(), e);
        }
        if (haltAfterIntent) {
            log.warn("cluster={} resource={} intent={} decision=halt (console.apply.halt-after-intent is set)",
                    cluster.name(), resource, intentId);
            Runtime.getRuntime().halt(86);
        }
        ApplyResult result;
        List<String> items = List.of();
        try (EksAccessEntryWriter writer = writer(cluster)) {
            if (change instanceof AccessEntryChange.Batch batch) {
                BatchOutcome done = writeBatch(cluster, intentId, command, batch, writer);
                result = done.result();
                items = done.items();
            } else {
                result = write(cluster, intentId, command, change, writer);
            }
        } catch (AwsServiceException | SdkClientException e) {
            result = failed("EKS refused or could not be reached: " + awsMessage(e));
        }
        if (result.status() == ApplyResult.Status.IN_PROGRESS) {
            log.info("cluster={} resource={} intent={} decision=IN_PROGRESS ({})", cluster.name(), resource, intentId,
                    result.message());
            return result.withIntentId(intentId); // stays PENDING; ApplyRecovery polls the update to its end
        }
        return finish(cluster, intentId, change, actor, recovery, intent, result, items);
    }

    /**
     * The outcome audited and stored; on success the cluster's mode and entries are re-read and announced.
     *
     * @param items a batch's outcome per item (empty for one change)
     */
    private ApplyResult finish(Cluster cluster, long intentId, AccessEntryChange change, AuditActor actor,
            boolean recovery, Map<String, String> intent, ApplyResult outcomeOf, List<String> items) {
        String resource = resource(cluster, change);
        ApplyResult result = outcomeOf.withIntentId(intentId);
        Map<String, String> outcome = new LinkedHashMap<>(intent);
        outcome.put("status", result.status().name());
        outcome.put("message", result.message());
        outcome.put("diff", String.join("\n", result.diff()));
        if (!items.isEmpty()) {
            outcome.put("items", String.join("\n", items));
        }
        audit.record(actor, AuditAction.ACCESS_ENTRY_APPLY, cluster.name(), resource, outcome,
                result.succeeded() ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE);
        intents.finish(intentId, result, recovery);
        log.info("cluster={} resource={} intent={} change={} decision={}", cluster.name(), resource, intentId,
                MappingChangeJson.kindOf(change), result.status());
        // A failed batch may have written (and taken back) items: the cache reads them again too.
        if (result.status() == ApplyResult.Status.APPLIED || !items.isEmpty()) {
            if (change instanceof AccessEntryChange.SetAuthenticationMode set) {
                clusters.setEksAuthenticationMode(cluster.name(), set.mode().name());
                caches.syncDueAccessEntries(); // starts reading entries of a cluster that has just begun to have them
            }
            caches.refreshAccessEntries(cluster.name());
            events.publishEvent(new AccessEntriesWritten(cluster.name(), intentId));
        }
        return result;
    }

    private ApplyResult write(Cluster cluster, long intentId, ApplyCommand command, AccessEntryChange change,
            EksAccessEntryWriter writer) {
        String eksName = cluster.eksClusterName();
        AccessEntryPlanner planner = planner(cluster);
        AccessEntryPlan plan = planner.plan(mode(writer.authenticationMode(eksName)),
                fresh(cluster, writer, change), change);
        if (plan.refused(command.breakGlass())) {
            return new ApplyResult(ApplyResult.Status.REFUSED, AccessEntryPlan.text(plan.reasons(), " "), plan.diff(), null,
                    null, 1, null);
        }
        if (plan.noChange()) {
            return alreadyInPlace(intentId, command, plan);
        }
        // Stored before the write: after a crash a fresh read finds the change in place and could no
        // longer tell what was there before.
        intents.planned(intentId, plan.inverse(), hash(plan.before(), plan.modeBefore()), hash(plan.after(), plan.modeAfter()),
                plan.diff());
        String token = "eks-access-console-intent-" + intentId;
        if (change instanceof AccessEntryChange.SetAuthenticationMode c) {
            String update = writer.setAuthenticationMode(eksName, c.mode().name(), token);
            if (update != null) {
                intents.updateStarted(intentId, update);
                // A quick update ends here; a real one takes minutes and is polled in the background.
                ApplyResult unfinished = awaitUpdate(writer, eksName, update, plan.diff(),
                        Instant.now().plus(modeChangePollInterval), Instant.now().plus(modeChangeTimeout));
                if (unfinished != null) {
                    return unfinished;
                }
            }
        } else {
            send(writer, eksName, change, plan, token);
        }
        if (haltAfterUpdate) {
            log.warn("cluster={} intent={} decision=halt-after-update (console.apply.halt-after-update is set)",
                    cluster.name(), intentId);
            Runtime.getRuntime().halt(87);
        }
        if (!readBack(cluster, writer, planner, change)) {
            return new ApplyResult(ApplyResult.Status.FAILED, "written, but EKS did not show the change within "
                    + readBackTimeout.toSeconds() + "s; retry the apply: it finds the change in place if EKS took it",
                    plan.diff(), null, null, 1, plan.inverse());
        }
        return new ApplyResult(ApplyResult.Status.APPLIED, plan.kept().isEmpty() ? "applied"
                : TAKEN_BACK_IN_PART + AccessEntryPlan.text(plan.kept(), "; "), plan.diff(), hash(plan.before(), plan.modeBefore()),
                hash(plan.after(), plan.modeAfter()), 1, plan.inverse());
    }

    /**
     * Sends what the plan asks of one entry or policy change (single, or a batch's item): a restored
     * entry gets its policies back, and a take-back that keeps access others added since converges the
     * entry instead of deleting it.
     */
    private static void send(EksAccessEntryWriter writer, String eksName, AccessEntryChange change, AccessEntryPlan plan,
            String token) {
        if (change instanceof AccessEntryChange.CreateAccessEntry c) {
            if (plan.before() == null) {
                writer.create(eksName, c.principalArn(), c.type(), c.username(), c.kubernetesGroups(), token);
            }
            converge(writer, eksName, plan.before(), plan.after(), token); // the policies a restored entry had
        } else if (change instanceof AccessEntryChange.UpdateAccessEntry c) {
            writer.update(eksName, c.principalArn(), c.username(), c.kubernetesGroups(), token);
        } else if (change instanceof AccessEntryChange.DeleteAccessEntry c) {
            if (plan.after() == null) {
                writer.delete(eksName, c.principalArn());
            } else {
                converge(writer, eksName, plan.before(), plan.after(), token); // a take-back that keeps the entry
            }
        } else if (change instanceof AccessEntryChange.AssociateAccessPolicy c) {
            writer.associate(eksName, c.principalArn(), c.policyArn(), c.accessScope().type(), c.accessScope().namespaces());
        } else if (change instanceof AccessEntryChange.DisassociateAccessPolicy c) {
            writer.disassociate(eksName, c.principalArn(), c.policyArn());
        } else {
            throw new IllegalArgumentException("not an entry or policy change: " + MappingChangeJson.kindOf(change));
        }
    }

    /** Writes what takes an existing entry ({@code before}, null: just created) to {@code after}: groups, then policies. */
    private static void converge(EksAccessEntryWriter writer, String eksName, AccessEntry before, AccessEntry after,
            String token) {
        if (before != null && !before.kubernetesGroups().equals(after.kubernetesGroups())) {
            writer.update(eksName, after.principalArn(), null, after.kubernetesGroups(), token);
        }
        List<AssociatedAccessPolicy> had = before == null ? List.of() : before.associatedAccessPolicies();
        for (AssociatedAccessPolicy policy : had) {
            if (after.associatedAccessPolicies().stream().noneMatch(p -> p.policyArn().equals(policy.policyArn()))) {
                writer.disassociate(eksName, after.principalArn(), policy.policyArn());
            }
        }
        for (AssociatedAccessPolicy policy : after.associatedAccessPolicies()) {
            if (!had.contains(policy)) {
                writer.associate(eksName, after.principalArn(), policy.policyArn(), policy.accessScope().type(),
                        policy.accessScope().namespaces());
            }
        }
    }

    /** Like {@link AwsAuthApplier}: written before by this request (keep its way back), or there before it was asked. */
    private ApplyResult alreadyInPlace(long intentId, ApplyCommand command, AccessEntryPlan plan) {
        var earlier = intents.plannedEarlier(intentId, command.requestId(), command.purpose());
        if (earlier.isPresent()) {
            ApplyIntent written = earlier.get();
            // A take-back that kept access says so again, or the request would lose why the entry is still there.
            return new ApplyResult(ApplyResult.Status.APPLIED, plan.kept().isEmpty() ? "applied (written before the"
                    + " console restarted; found in place)" : TAKEN_BACK_IN_PART + AccessEntryPlan.text(plan.kept(), "; "),
                    written.diff(), written.beforeHash(), written.afterHash(), 1, written.inverse());
        }
        String message = !plan.kept().isEmpty() ? TAKEN_BACK_IN_PART + AccessEntryPlan.text(plan.kept(), "; ")
                : command.purpose() == ApplyCommand.Purpose.REVOKE ? "the access was already gone; nothing written"
                : ALREADY_HAD_ACCESS;
        return new ApplyResult(ApplyResult.Status.NO_CHANGE, message, List.of(), hash(plan.before(), plan.modeBefore()),
                hash(plan.before(), plan.modeBefore()), 1, null);
    }

    /** Polls until a fresh plan of the same change finds nothing left to do; false when the time is up. */
    private boolean readBack(Cluster cluster, EksAccessEntryWriter writer, AccessEntryPlanner planner,
            AccessEntryChange change) {
        Instant deadline = Instant.now().plus(readBackTimeout);
        while (true) {
            AccessEntryPlan again = planner.plan(mode(writer.authenticationMode(cluster.eksClusterName())),
                    fresh(cluster, writer, change), change);
            if (again.noChange()) {
                return true;
            }
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            sleep(Duration.ofSeconds(1));
        }
    }

    /**
     * Polls the mode change's EKS update until {@code waitUntil}.
     *
     * @return null when EKS reports it Successful; FAILED with EKS's errors when it failed, was cancelled or is
     *     still running at {@code giveUpAt}; IN_PROGRESS when it still runs at {@code waitUntil}
     */
    private ApplyResult awaitUpdate(EksAccessEntryWriter writer, String eksName, String updateId, List<String> diff,
            Instant waitUntil, Instant giveUpAt) {
        while (true) {
            EksAccessEntryWriter.UpdateStatus status = writer.updateStatus(eksName, updateId);
            if ("Successful".equals(status.status())) {
                return null;
            }
            if ("Failed".equals(status.status()) || "Cancelled".equals(status.status())) {
                return new ApplyResult(ApplyResult.Status.FAILED, "EKS update " + updateId + " " + status.status() + ": "
                        + String.join("; ", status.errors()), diff, null, null, 1, null);
            }
            if (Instant.now().isAfter(giveUpAt)) {
                return new ApplyResult(ApplyResult.Status.FAILED, "EKS update " + updateId + " was still "
                        + status.status() + " after " + modeChangeTimeout.toMinutes() + " minutes (console.apply."
                        + "access-entries.mode-change-timeout); check it in EKS, then retry the apply", diff, null, null,
                        1, null);
            }
            if (!Instant.now().isBefore(waitUntil)) {
                return inProgress(updateId, diff);
            }
            sleep(modeChangePollInterval.compareTo(Duration.ofSeconds(2)) < 0 ? modeChangePollInterval : Duration.ofSeconds(2));
        }
    }

    private ApplyResult inProgress(String updateId, List<String> diff) {
        return new ApplyResult(ApplyResult.Status.IN_PROGRESS, "EKS update " + updateId + " is in progress: the console"
                + " checks it every " + modeChangePollInterval.toSeconds() + "s until it ends (a mode change takes"
                + " minutes)", diff, null, null, 1, null);
    }

    /** The cached entries with the change's principal read fresh from EKS (the one the change is about). */
    private List<AccessEntry> fresh(Cluster cluster, EksAccessEntryWriter writer, AccessEntryChange change) {
        List<AccessEntry> list = new ArrayList<>(entries.synced(cluster).map(s -> s.entries().entries()).orElse(List.of()));
        if (change instanceof AccessEntryChange.SetAuthenticationMode) {
            return list;
        }
        AccessEntry cached = AccessEntryPlanner.find(list, change.principal());
        if (cached != null) {
            list.remove(cached);
        }
        writer.describe(cluster.eksClusterName(), change.principal()).map(AccessEntryApplier::model).ifPresent(list::add);
        return list;
    }

    private static AccessEntry model(EksAccessEntries.Entry entry) {
        List<AssociatedAccessPolicy> policies = entry.policies().stream()
                .map(a -> new AssociatedAccessPolicy(a.policyArn(), new AccessScope(a.scopeType(), a.namespaces()))).toList();
        return new AccessEntry(entry.principalArn(), entry.type(), entry.username(), entry.kubernetesGroups(), policies);
    }

    private AccessEntryPlanner planner(Cluster cluster) {
        Optional<ClusterCache> cache = caches.cache(cluster.name());
        List<ClusterRoleBinding> bindings = cache.map(c -> c.snapshot().clusterRoleBindings()).orElse(List.of());
        AwsAuthConfig awsAuth = null;
        if (cache.isPresent() && cache.get().awsAuth().isPresent()) {
            Map<String, String> data = cache.get().awsAuth().get().getData();
            try {
                awsAuth = AwsAuthParser.read(data == null ? Map.of() : data);
            } catch (AwsAuthUnreadableException e) {
                awsAuth = null; // counts no admins: the check then fails closed
            }
        }
        String consoleArn;
        try {
            consoleArn = consoleIdentity.arnFor(cluster);
        } catch (RuntimeException e) {
            consoleArn = null;
        }
        return new AccessEntryPlanner(cluster.awsAccountId(), awsAuth, AdminGroups.of(bindings), consoleArn,
                AccessPolicyTable.partitionOfRegion(cluster.awsRegion()));
    }

    private EksAccessEntryWriter writer(Cluster cluster) {
        return new EksAccessEntryWriter(cluster.awsRegion(), cluster.awsRoleArn(), endpointOverride);
    }

    private static AuthenticationMode mode(String mode) {
        try {
            return mode == null ? AuthenticationMode.CONFIG_MAP : AuthenticationMode.valueOf(mode);
        } catch (IllegalArgumentException e) {
            return AuthenticationMode.CONFIG_MAP;
        }
    }

    private static String resource(Cluster cluster, AccessEntryChange change) {
        return "eks/" + cluster.eksClusterName() + (change instanceof AccessEntryChange.SetAuthenticationMode
                ? "/access-config" : change instanceof AccessEntryChange.Batch ? "/access-entries"
                : "/access-entries/" + change.principal());
    }

    private static String hash(AccessEntry entry, AuthenticationMode mode) {
        return AwsAuthApplier.hash(Map.of("mode", mode.name(), "entry", entry == null ? "" : AccessEntryPlanner.describe(entry)));
    }

    private static ApplyResult failed(String message) {
        return new ApplyResult(ApplyResult.Status.FAILED, message, List.of(), null, null, 0, null);
    }

    private static String awsMessage(RuntimeException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode() + ": " + aws.awsErrorDetails().errorMessage();
        }
        return e.getMessage();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for EKS", e);
        }
    }

    // ---- a batch: one intent, its items in order, taken back whole when one fails ----------------------

    /** How a batch ended, and one line per item for the audit ("change 3 of 12 (…): applied"). */
    private record BatchOutcome(ApplyResult result, List<String> items) {}

    /** An item EKS or the plan refused at apply time, or one that EKS did not show in time. */
    private static final class ItemFailed extends RuntimeException {
        ItemFailed(String message) {
            super(message);
        }
    }

    /**
     * Plans the whole batch on EKS as it is (each touched principal read fresh), stores its way back
     * before the first write, then writes the items in order, each planned again on its principal's
     * fresh entry (in place → skipped, so a retry or a recovery finishes only what is left) and read
     * back. When an item fails, the stored way back is applied (each of its items planned afresh, so
     * only what this batch wrote is taken back) and the result says which items were applied and
     * taken back: no half-applied batch is left behind without it being named.
     */
    private BatchOutcome writeBatch(Cluster cluster, long intentId, ApplyCommand command, AccessEntryChange.Batch batch,
            EksAccessEntryWriter writer) {
        String eksName = cluster.eksClusterName();
        AccessEntryPlanner planner = planner(cluster);
        AuthenticationMode mode = mode(writer.authenticationMode(eksName));
        List<AccessEntry> now = freshAll(cluster, writer, batch.changes());
        AccessEntryPlan plan = planner.planBatch(mode, now, batch).whole();
        // Recovery (or a retry of this intent): the way back stored before the first write was planned on
        // the state before any item; a fresh plan would take items already written for pre-existing access.
        ApplyIntent stored = intents.find(intentId).orElseThrow();
        boolean resumed = stored.inversePlanned();
        Change inverse = resumed ? stored.inverse() : plan.inverse();
        List<String> diff = resumed ? stored.diff() : plan.diff();
        if (!resumed) {
            if (plan.refused(command.breakGlass())) {
                return new BatchOutcome(new ApplyResult(ApplyResult.Status.REFUSED, AccessEntryPlan.text(plan.reasons(), " "),
                        plan.diff(), null, null, 1, null), List.of());
            }
            if (plan.noChange()) {
                return new BatchOutcome(alreadyInPlace(intentId, command, plan), List.of());
            }
            intents.planned(intentId, inverse, batchHash(now, batch, mode), batchHash(plan.entriesAfter(), batch, mode),
                    diff);
        }
        List<String> items = new ArrayList<>();
        int size = batch.changes().size();
        int written = 0;
        for (int i = 0; i < size; i++) {
            AccessEntryChange item = batch.changes().get(i);
            String name = AccessEntryPlanner.itemName(i, size, item).text();
            try {
                boolean wrote = writeItem(cluster, writer, planner, mode, item, token(intentId, "" + (i + 1)));
                items.add(name + ": " + (wrote ? "applied" : "already in place"));
                written += wrote ? 1 : 0;
            } catch (ItemFailed | AwsServiceException | SdkClientException e) {
                String why = e instanceof ItemFailed ? e.getMessage() : awsMessage((RuntimeException) e);
                items.add(name + ": failed: " + why);
                log.warn("cluster={} intent={} item={} decision=failed, taking the batch back: {}", cluster.name(),
                        intentId, i + 1, why);
                List<String> notTakenBack = takeBack(cluster, writer, planner, mode, intentId, inverse, items);
                String message = name + " failed: " + why + ". " + (i == 0 && !resumed ? "Nothing was written."
                        : notTakenBack.isEmpty() ? "The " + i + " change(s) before it were taken back: nothing of the"
                                + " batch remains; fix the item and retry the apply."
                        : "Taking the batch back failed too; still in place: " + String.join("; ", notTakenBack)
                                + ". Undo them by hand (the audit lists every item).");
                return new BatchOutcome(new ApplyResult(ApplyResult.Status.FAILED, message, diff, null, null, 1,
                        notTakenBack.isEmpty() ? null : inverse), items);
            }
        }
        if (!resumed && written == 0) {
            return new BatchOutcome(alreadyInPlace(intentId, command, plan), items);
        }
        String message = "applied: " + size + " change(s)" + (written < size ? ", " + (size - written)
                + " of them already in place" : "");
        return new BatchOutcome(new ApplyResult(ApplyResult.Status.APPLIED, message, diff,
                resumed ? stored.beforeHash() : batchHash(now, batch, mode), batchHash(plan.entriesAfter(), batch, mode),
                1, inverse), items);
    }

    /** @return whether it wrote (false: EKS already held it); throws {@link ItemFailed} when refused or not read back */
    private boolean writeItem(Cluster cluster, EksAccessEntryWriter writer, AccessEntryPlanner planner,
            AuthenticationMode mode, AccessEntryChange item, String token) {
        // The lockout check was made on the batch's end state; an item's own is not the batch's.
        AccessEntryPlan plan = planner.plan(mode, fresh(cluster, writer, item), item);
        if (!plan.errors().isEmpty()) {
            throw new ItemFailed(AccessEntryPlan.text(plan.errors(), " "));
        }
        if (plan.noChange()) {
            return false;
        }
        if (item instanceof AccessEntryChange.SetAuthenticationMode || item instanceof AccessEntryChange.Batch) {
            throw new ItemFailed("a batch holds entry and policy changes only");
        }
        send(writer, cluster.eksClusterName(), item, plan, token);
        if (haltAfterUpdate) {
            log.warn("cluster={} decision=halt-after-update in a batch (console.apply.halt-after-update is set)",
                    cluster.name());
            Runtime.getRuntime().halt(87);
        }
        if (!readBack(cluster, writer, planner, item)) {
            throw new ItemFailed("written, but EKS did not show it within " + readBackTimeout.toSeconds() + "s");
        }
        return true;
    }

    /**
     * Applies the batch's stored way back, item by item planned afresh: what the batch did not write
     * (or what existed before it) is found in place and left alone.
     *
     * @return the items of the way back that could not be applied, in words (empty: all taken back)
     */
    private List<String> takeBack(Cluster cluster, EksAccessEntryWriter writer, AccessEntryPlanner planner,
            AuthenticationMode mode, long intentId, Change inverse, List<String> items) {
        List<String> left = new ArrayList<>();
        if (!(inverse instanceof AccessEntryChange.Batch back)) {
            return left;
        }
        int size = back.changes().size();
        for (int i = 0; i < size; i++) {
            AccessEntryChange item = back.changes().get(i);
            String name = "way back " + AccessEntryPlanner.itemName(i, size, item).text();
            try {
                boolean wrote = writeItem(cluster, writer, planner, mode, item, token(intentId, "back-" + (i + 1)));
                items.add(name + ": " + (wrote ? "taken back" : "nothing to take back"));
            } catch (ItemFailed | AwsServiceException | SdkClientException e) {
                String why = e instanceof ItemFailed ? e.getMessage() : awsMessage((RuntimeException) e);
                items.add(name + ": failed: " + why);
                left.add(AccessEntryJson.kindOf(item) + " " + item.principal() + " still to do (" + why + ")");
            }
        }
        return left;
    }

    /** EKS's idempotency token for one write of an intent (at most 64 characters). */
    private static String token(long intentId, String item) {
        return "eks-access-console-intent-" + intentId + "-" + item;
    }

    /** The cached entries with every principal the batch touches read fresh from EKS. */
    private List<AccessEntry> freshAll(Cluster cluster, EksAccessEntryWriter writer, List<AccessEntryChange> changes) {
        List<AccessEntry> list = new ArrayList<>(entries.synced(cluster).map(s -> s.entries().entries()).orElse(List.of()));
        java.util.Set<String> read = new java.util.HashSet<>();
        for (AccessEntryChange change : changes) {
            if (change.principal().isEmpty() || !read.add(change.principal())) {
                continue;
            }
            AccessEntry cached = AccessEntryPlanner.find(list, change.principal());
            if (cached != null) {
                list.remove(cached);
            }
            writer.describe(cluster.eksClusterName(), change.principal()).map(AccessEntryApplier::model).ifPresent(list::add);
        }
        return list;
    }

    /** The touched principals' entries, in the batch's order, and the mode. */
    private static String batchHash(List<AccessEntry> state, AccessEntryChange.Batch batch, AuthenticationMode mode) {
        Map<String, String> described = new java.util.TreeMap<>();
        described.put("mode", mode.name());
        for (AccessEntryChange item : batch.changes()) {
            AccessEntry entry = AccessEntryPlanner.find(state, item.principal());
            described.put("entry " + item.principal(), entry == null ? "" : AccessEntryPlanner.describe(entry));
        }
        return AwsAuthApplier.hash(described);
    }

    private Cluster cluster(String name) {
        return clusters.findByName(name).orElseThrow(() -> new IllegalArgumentException("no cluster named " + name));
    }
}
