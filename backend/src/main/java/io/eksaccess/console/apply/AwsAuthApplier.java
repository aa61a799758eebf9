package io.eksaccess.console.apply;

import io.eksaccess.console.accessentry.AccessEntriesLookup;
import io.eksaccess.console.accessentry.AccessPolicyTable;
import io.eksaccess.console.accessentry.SyncedAccessEntries;
import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditOutcome;
import io.eksaccess.console.awsauth.AwsAuthValidator;
import io.eksaccess.console.awsauth.IamPrincipalLookup;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterClientFactory;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Carries out aws-auth changes the only way DESIGN allows (invariants 1, 3, 5): the intent is
 * stored (and locked, see {@link ApplyIntents}) and an audit record of it committed first; then
 * read the current ConfigMap → plan the change on it → refuse on errors or lockout → update
 * carrying its resourceVersion; a 409 means someone else wrote in between, so read and plan again
 * (bounded); the outcome is audited with both hashes and the diff and stored on the intent.
 */
@Service
public class AwsAuthApplier {

    static final int MAX_ATTEMPTS = 5;
    public static final String ALREADY_HAD_ACCESS =
            "aws-auth already said this: the access existed before; nothing will be taken back at the end";
    /** How a take-back that wrote nothing, because what it would revert changed since, starts its message. */
    public static final String NOTHING_TAKEN_BACK = "nothing taken back; ";
    static final String RESOURCE = ClusterCache.AWS_AUTH_NAMESPACE + "/configmaps/" + ClusterCache.AWS_AUTH_NAME;
    private static final Logger log = LoggerFactory.getLogger(AwsAuthApplier.class);

    private final ClusterRepository clusters;
    private final ClusterClientFactory clients;
    private final ClusterCaches caches;
    private final AuditLog audit;
    private final ApplyIntents intents;
    private final AwsAuthBaselines baselines;
    private final AwsAuthValidator validator;
    private final ConsoleCallerIdentity consoleIdentity;
    private final AccessEntriesLookup accessEntries;
    private final boolean haltAfterIntent;
    private final boolean haltAfterUpdate;

    /** Test seam: runs after each plan and before its write (attempt number), to provoke real 409s. */
    private volatile IntConsumer beforeWrite = attempt -> {};

    AwsAuthApplier(ClusterRepository clusters, ClusterClientFactory clients, ClusterCaches caches, AuditLog audit,
            ApplyIntents intents, AwsAuthBaselines baselines, IamPrincipalLookup iam, ConsoleCallerIdentity consoleIdentity,
            AccessEntriesLookup accessEntries, @Value("${console.apply.halt-after-intent:false}") boolean haltAfterIntent,
            @Value("${console.apply.halt-after-update:false}") boolean haltAfterUpdate) {
        this.clusters = clusters;
        this.clients = clients;
        this.caches = caches;
        this.audit = audit;
        this.intents = intents;
        this.baselines = baselines;
        this.validator = new AwsAuthValidator(iam);
        this.consoleIdentity = consoleIdentity;
        this.accessEntries = accessEntries;
        this.haltAfterIntent = haltAfterIntent;
        this.haltAfterUpdate = haltAfterUpdate;
    }

    /**
     * The plan on aws-auth data the caller already has (the cache's, for a page render), with the
     * cluster's full lockout check: admin groups from the cached ClusterRoleBindings (only
     * {@code system:masters} while the cache has none) and the console's own identity.
     */
    public ChangePlan planOn(String clusterName, Map<String, String> data, MappingChange change) {
        Cluster cluster = cluster(clusterName);
        List<ClusterRoleBinding> bindings = caches.cache(cluster.name()).map(cache -> cache.snapshot().clusterRoleBindings())
                .orElse(List.of());
        return new ChangePlanner(validator, new LockoutCheck(consoleIdentity.arnFor(cluster), AdminGroups.of(bindings),
                entryAdmins(cluster, AdminGroups.of(bindings)))).plan(data, change);
    }

    /**
     * Applies the change, or explains in the result why it did not. Throws (having changed nothing)
     * when the intent or its audit record cannot be committed: fail closed (invariants 1 and 9).
     */
    public ApplyResult apply(ApplyCommand command) {
        Cluster cluster = cluster(command.cluster());
        try (ApplyIntents.Lease lease = intents.begin(command)) {
            return carryOut(cluster, lease.id(), command, command.actor(), false);
        }
    }

    /** Finishes an intent whose process died; called by {@link ApplyRecovery} holding its lease. */
    ApplyResult recover(ApplyIntent intent) {
        Cluster cluster = cluster(intent.cluster());
        return carryOut(cluster, intent.id(), intent.command(), ApplyRecovery.ACTOR, true);
    }

    private ApplyResult carryOut(Cluster cluster, long intentId, ApplyCommand command, AuditActor actor,
            boolean recovery) {
        Map<String, String> intent = command.auditDetails(intentId, recovery);
        // Write-ahead: if this fails, the exception stops us before anything touches the cluster.
        try {
            audit.record(actor, AuditAction.AWS_AUTH_APPLY, cluster.name(), RESOURCE, intent, AuditOutcome.INTENT);
        } catch (RuntimeException e) {
            log.warn("cluster={} configmap={} intent={} decision=not-applied (audit unavailable)", cluster.name(),
                    RESOURCE, intentId);
            markFailed(intentId, "the audit log was unavailable, so nothing was applied");
            throw new IllegalStateException("the audit log is unavailable, so nothing was applied: " + e.getMessage(), e);
        }
        if (haltAfterIntent) {
            log.warn("cluster={} configmap={} intent={} decision=halt (console.apply.halt-after-intent is set)",
                    cluster.name(), RESOURCE, intentId);
            Runtime.getRuntime().halt(86);
        }
        ApplyResult result;
        try (KubernetesClient client = clients.clientFor(cluster)) {
            result = applyWithRetries(cluster, intentId, client, planner(cluster, client), command);
        } catch (KubernetesClientException e) {
            result = new ApplyResult(ApplyResult.Status.FAILED, "the cluster refused or could not be reached: "
                    + e.getMessage(), List.of(), null, null, 0, null);
        }
        result = result.withIntentId(intentId);
        Map<String, String> outcome = new LinkedHashMap<>(intent);
        outcome.put("status", result.status().name());
        outcome.put("message", result.message());
        if (result.beforeHash() != null) {
            outcome.put("beforeHash", result.beforeHash());
            outcome.put("afterHash", result.afterHash());
        }
        outcome.put("attempts", Integer.toString(result.attempts()));
        outcome.put("diff", String.join("\n", result.diff()));
        audit.record(actor, AuditAction.AWS_AUTH_APPLY, cluster.name(), RESOURCE, outcome,
                result.succeeded() ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE);
        intents.finish(intentId, result, recovery);
        log.info("cluster={} configmap={} intent={} change={} decision={} attempts={}", cluster.name(), RESOURCE,
                intentId, MappingChangeJson.kindOf(command.change()), result.status(), result.attempts());
        return result;
    }

    /** Best effort: if even this fails, recovery finishes the intent later, with its own audit record first. */
    private void markFailed(long intentId, String message) {
        try {
            intents.finish(intentId, new ApplyResult(ApplyResult.Status.FAILED, message, List.of(), null, null, 0, null),
                    false);
        } catch (RuntimeException e) {
            log.warn("intent={} could not be marked failed: {}", intentId, e.getMessage());
        }
    }

    private ApplyResult applyWithRetries(Cluster cluster, long intentId, KubernetesClient client, ChangePlanner planner,
            ApplyCommand command) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            ConfigMap current = read(client);
            ChangePlan plan = planner.plan(data(current), (MappingChange) command.change());
            if (plan.refused(command.breakGlass())) {
                return new ApplyResult(ApplyResult.Status.REFUSED, String.join("; ", plan.reasons()), plan.diff(),
                        hash(plan.before()), hash(plan.before()), attempt, null);
            }
            if (plan.noChange()) {
                return alreadyInPlace(intentId, command, plan, attempt);
            }
            beforeWrite.accept(attempt);
            // Stored before the write, from the aws-auth the write starts from: after a crash a fresh
            // plan finds the change in place and could no longer tell what was there before.
            intents.planned(intentId, plan);
            // Told before the write, so the watch event of our own write is never taken for drift.
            baselines.expectWrite(cluster.name(), plan.before(), plan.after());
            try {
                write(client, current, plan.after());
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                log.info("cluster={} configmap={} decision=replan (changed since read, attempt {})", cluster.name(),
                        RESOURCE, attempt);
                continue;
            }
            if (haltAfterUpdate) {
                log.warn("cluster={} configmap={} intent={} decision=halt-after-update"
                        + " (console.apply.halt-after-update is set)", cluster.name(), RESOURCE, intentId);
                Runtime.getRuntime().halt(87);
            }
            return new ApplyResult(ApplyResult.Status.APPLIED, appliedMessage(plan), plan.diff(), hash(plan.before()),
                    hash(plan.after()), attempt, plan.inverse());
        }
        return new ApplyResult(ApplyResult.Status.CONFLICT, "aws-auth kept changing while the console applied ("
                + MAX_ATTEMPTS + " attempts); try again", List.of(), null, null, MAX_ATTEMPTS, null);
    }

    /**
     * A plan that writes nothing: either this change was written before (by this intent before its
     * process died, or by an earlier try of the same request whose answer was lost), so its stored
     * way back still holds; or the access existed before it was asked for, and nothing may be taken
     * back at the end (it would remove access someone else granted).
     */
    private ApplyResult alreadyInPlace(long intentId, ApplyCommand command, ChangePlan plan, int attempt) {
        var earlier = intents.plannedEarlier(intentId, command.requestId(), command.purpose());
        if (earlier.isPresent()) {
            ApplyIntent written = earlier.get();
            return new ApplyResult(ApplyResult.Status.APPLIED, "applied (written before the console restarted;"
                    + " found in place)", written.diff(), written.beforeHash(), hash(plan.after()), attempt,
                    written.inverse());
        }
        String message = !plan.kept().isEmpty() ? NOTHING_TAKEN_BACK + String.join("; ", plan.kept())
                : command.purpose() == ApplyCommand.Purpose.REVOKE ? "the access was already gone; nothing written"
                : ALREADY_HAD_ACCESS;
        return new ApplyResult(ApplyResult.Status.NO_CHANGE, message, List.of(), hash(plan.before()),
                hash(plan.after()), attempt, null);
    }

    /**
     * "applied"; for a way back that knows what its change left, what it took back and, when others changed
     * the mapping since, what it kept and why (the audit and the request say both).
     */
    private static String appliedMessage(ChangePlan plan) {
        if (plan.change().granted() == null) {
            return "applied";
        }
        String takenBack = "taken back: " + String.join("; ", plan.takenBack());
        return plan.kept().isEmpty() ? takenBack
                : AccessEntryApplier.TAKEN_BACK_IN_PART + String.join("; ", plan.kept()) + "; " + takenBack;
    }

    void beforeWrite(IntConsumer hook) {
        this.beforeWrite = hook == null ? attempt -> {} : hook;
    }

    private static ConfigMap read(KubernetesClient client) {
        return client.configMaps().inNamespace(ClusterCache.AWS_AUTH_NAMESPACE).withName(ClusterCache.AWS_AUTH_NAME).get();
    }

    /**
     * Creates aws-auth if there is none (a create fails with 409 if someone else created it
     * meanwhile); otherwise updates the object as read, so its resourceVersion guards the write.
     */
    private static void write(KubernetesClient client, ConfigMap current, Map<String, String> data) {
        var configMaps = client.configMaps().inNamespace(ClusterCache.AWS_AUTH_NAMESPACE);
        if (current == null) {
            configMaps.resource(new ConfigMapBuilder().withNewMetadata().withName(ClusterCache.AWS_AUTH_NAME)
                    .withNamespace(ClusterCache.AWS_AUTH_NAMESPACE).endMetadata().withData(data).build()).create();
        } else {
            configMaps.resource(new ConfigMapBuilder(current).withData(data).build()).update();
        }
    }

    private static Map<String, String> data(ConfigMap configMap) {
        return configMap == null || configMap.getData() == null ? Map.of() : configMap.getData();
    }

    private ChangePlanner planner(Cluster cluster, KubernetesClient client) {
        Set<String> adminGroups = AdminGroups.of(bindings(cluster, client));
        return new ChangePlanner(validator, new LockoutCheck(consoleIdentity.arnFor(cluster), adminGroups,
                entryAdmins(cluster, adminGroups)));
    }

    /**
     * Cluster admins through the access entries the console last synced, when EKS reads them beside
     * aws-auth (the migration removes aws-auth's admin mappings once their entries exist).
     */
    private long entryAdmins(Cluster cluster, Set<String> adminGroups) {
        return accessEntries.synced(cluster).map(SyncedAccessEntries::entries)
                .filter(current -> current.mode().readsAccessEntries())
                .map(current -> current.entries().stream().filter(entry -> entry.associatedAccessPolicies().stream()
                        .anyMatch(p -> AccessPolicyTable.isClusterAdmin(p.policyArn()) && p.accessScope().isCluster())
                        || entry.effectiveGroups().stream().anyMatch(adminGroups::contains)).count())
                .orElse(0L);
    }

    /** The cluster's ClusterRoleBindings from its cache; from the API server when there is no cache. */
    private List<ClusterRoleBinding> bindings(Cluster cluster, KubernetesClient client) {
        return caches.cache(cluster.name()).map(cache -> cache.snapshot().clusterRoleBindings())
                .filter(list -> !list.isEmpty())
                .orElseGet(() -> client.rbac().clusterRoleBindings().list().getItems());
    }

    private Cluster cluster(String name) {
        return clusters.findByName(name).orElseThrow(() -> new IllegalArgumentException("no cluster named " + name));
    }

    /** SHA-256 over the data keys in order, so equal content always has the same hash. */
    public static String hash(Map<String, String> data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(data).forEach((key, value) -> {
                digest.update(key.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(value.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
