package io.eksaccess.console.apply;

import io.eksaccess.console.accessentry.AccessEntriesLookup;
import io.eksaccess.console.accessentry.AccessEntriesWritten;
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
    public record CachedPlan(AccessEntryPlan plan, String problem) {}

    public CachedPlan planOnCache(String clusterName, AccessEntryChange change) {
        Optional<Cluster> found = clusters.findByName(clusterName);
        if (found.isEmpty()) {
            return new CachedPlan(null, "there is no cluster named '" + clusterName + "'");
        }
        Cluster cluster = found.get();
        // As ClusterCaches.readsAccessEntries: a kubeconfig cluster described as an EKS cluster (the demo's pairing) is one.
        boolean eksBacked = cluster.source() == ClusterSource.EKS || cluster.source() == ClusterSource.KUBECONFIG;
        if (!eksBacked || cluster.eksClusterName() == null || cluster.awsRegion() == null) {
            return new CachedPlan(null, clusterName + " is not an EKS cluster the console discovered; access entries"
                    + " exist only on EKS (change aws-auth for this cluster instead)");
        }
        AuthenticationMode mode = mode(cluster.eksAuthenticationMode());
        List<AccessEntry> current = List.of();
        if (mode.readsAccessEntries()) {
            Optional<SyncedAccessEntries> synced = entries.synced(cluster);
            if (synced.isEmpty()) {
                String why = entries.unread(cluster).map(u -> " (" + u.state() + ")").orElse("");
                return new CachedPlan(null, "the console has not read the access entries of " + clusterName + " yet"
                        + why + "; try again in a minute");
            }
            current = synced.get().entries().entries();
        }
        return new CachedPlan(planner(cluster).plan(mode, current, change), null);
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
        return finish(cluster, intent.id(), change, intent.actor(), false, details, result);
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
        try (EksAccessEntryWriter writer = writer(cluster)) {
            result = write(cluster, intentId, command, change, writer);
        } catch (AwsServiceException | SdkClientException e) {
            result = failed("EKS refused or could not be reached: " + awsMessage(e));
        }
        if (result.status() == ApplyResult.Status.IN_PROGRESS) {
            log.info("cluster={} resource={} intent={} decision=IN_PROGRESS ({})", cluster.name(), resource, intentId,
                    result.message());
            return result.withIntentId(intentId); // stays PENDING; ApplyRecovery polls the update to its end
        }
        return finish(cluster, intentId, change, actor, recovery, intent, result);
    }

    /** The outcome audited and stored; on success the cluster's mode and entries are re-read and announced. */
    private ApplyResult finish(Cluster cluster, long intentId, AccessEntryChange change, AuditActor actor,
            boolean recovery, Map<String, String> intent, ApplyResult outcomeOf) {
        String resource = resource(cluster, change);
        ApplyResult result = outcomeOf.withIntentId(intentId);
        Map<String, String> outcome = new LinkedHashMap<>(intent);
        outcome.put("status", result.status().name());
        outcome.put("message", result.message());
        outcome.put("diff", String.join("\n", result.diff()));
        audit.record(actor, AuditAction.ACCESS_ENTRY_APPLY, cluster.name(), resource, outcome,
                result.succeeded() ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE);
        intents.finish(intentId, result, recovery);
        log.info("cluster={} resource={} intent={} change={} decision={}", cluster.name(), resource, intentId,
                MappingChangeJson.kindOf(change), result.status());
        if (result.status() == ApplyResult.Status.APPLIED) {
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
            return new ApplyResult(ApplyResult.Status.REFUSED, String.join(" ", plan.reasons()), plan.diff(), null, null,
                    1, null);
        }
        if (plan.noChange()) {
            return alreadyInPlace(intentId, command, plan);
        }
        // Stored before the write: after a crash a fresh read finds the change in place and could no
        // longer tell what was there before.
        intents.planned(intentId, plan.inverse(), hash(plan.before(), plan.modeBefore()), hash(plan.after(), plan.modeAfter()),
                plan.diff());
        String token = "eks-access-console-intent-" + intentId;
        if (change instanceof AccessEntryChange.CreateAccessEntry c) {
            writer.create(eksName, c.principalArn(), c.type(), c.username(), c.kubernetesGroups(), token);
        } else if (change instanceof AccessEntryChange.UpdateAccessEntry c) {
            writer.update(eksName, c.principalArn(), c.username(), c.kubernetesGroups(), token);
        } else if (change instanceof AccessEntryChange.DeleteAccessEntry c) {
            writer.delete(eksName, c.principalArn());
        } else if (change instanceof AccessEntryChange.AssociateAccessPolicy c) {
            writer.associate(eksName, c.principalArn(), c.policyArn(), c.accessScope().type(), c.accessScope().namespaces());
        } else if (change instanceof AccessEntryChange.DisassociateAccessPolicy c) {
            writer.disassociate(eksName, c.principalArn(), c.policyArn());
        } else if (change instanceof AccessEntryChange.SetAuthenticationMode c) {
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
        return new ApplyResult(ApplyResult.Status.APPLIED, "applied", plan.diff(), hash(plan.before(), plan.modeBefore()),
                hash(plan.after(), plan.modeAfter()), 1, plan.inverse());
    }

    /** Like {@link AwsAuthApplier}: written before by this request (keep its way back), or there before it was asked. */
    private ApplyResult alreadyInPlace(long intentId, ApplyCommand command, AccessEntryPlan plan) {
        var earlier = intents.plannedEarlier(intentId, command.requestId(), command.purpose());
        if (earlier.isPresent()) {
            ApplyIntent written = earlier.get();
            return new ApplyResult(ApplyResult.Status.APPLIED, "applied (written before the console restarted;"
                    + " found in place)", written.diff(), written.beforeHash(), written.afterHash(), 1, written.inverse());
        }
        String message = command.purpose() == ApplyCommand.Purpose.REVOKE
                ? "the access was already gone; nothing written" : ALREADY_HAD_ACCESS;
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
        return new AccessEntryPlanner(cluster.awsAccountId(), awsAuth, AdminGroups.of(bindings), consoleArn);
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
                ? "/access-config" : "/access-entries/" + change.principal());
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

    private Cluster cluster(String name) {
        return clusters.findByName(name).orElseThrow(() -> new IllegalArgumentException("no cluster named " + name));
    }
}
