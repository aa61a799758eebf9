package io.eksaccess.console.apply;

import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditOutcome;
import io.eksaccess.console.awsauth.AwsAuthValidator;
import io.eksaccess.console.awsauth.IamPrincipalLookup;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterClientFactory;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Carries out aws-auth changes the only way DESIGN allows (invariants 1, 3, 5): an audit record of
 * the intent is committed first; then read the current ConfigMap → plan the change on it → refuse
 * on errors or lockout → update carrying its resourceVersion; a 409 means someone else wrote in
 * between, so read and plan again (bounded); the outcome is audited with both hashes and the diff.
 */
@Service
public class AwsAuthApplier {

    static final int MAX_ATTEMPTS = 5;
    private static final Logger log = LoggerFactory.getLogger(AwsAuthApplier.class);

    private final ClusterRepository clusters;
    private final ClusterClientFactory clients;
    private final AuditLog audit;
    private final AwsAuthValidator validator;

    AwsAuthApplier(ClusterRepository clusters, ClusterClientFactory clients, AuditLog audit, IamPrincipalLookup iam) {
        this.clusters = clusters;
        this.clients = clients;
        this.audit = audit;
        this.validator = new AwsAuthValidator(iam);
    }

    /** The plan on the ConfigMap as the API server holds it now (for previews; nothing is written). */
    public ChangePlan preview(String clusterName, MappingChange change) {
        Cluster cluster = cluster(clusterName);
        try (KubernetesClient client = clients.clientFor(cluster)) {
            return planner(cluster).plan(data(read(client)), change);
        }
    }

    public ApplyResult apply(ApplyCommand command) {
        Cluster cluster = cluster(command.cluster());
        String resource = ClusterCache.AWS_AUTH_NAMESPACE + "/configmaps/" + ClusterCache.AWS_AUTH_NAME;
        Map<String, String> intent = details(command);
        // Write-ahead: if this fails, the exception stops us before anything touches the cluster.
        audit.record(command.actor(), AuditAction.AWS_AUTH_APPLY, cluster.name(), resource, intent, AuditOutcome.INTENT);
        ApplyResult result;
        try (KubernetesClient client = clients.clientFor(cluster)) {
            result = applyWithRetries(client, planner(cluster), command);
        } catch (KubernetesClientException e) {
            result = new ApplyResult(ApplyResult.Status.FAILED, "the cluster refused or could not be reached: "
                    + e.getMessage(), List.of(), null, null, 0, null);
        }
        Map<String, String> outcome = new LinkedHashMap<>(intent);
        outcome.put("status", result.status().name());
        outcome.put("message", result.message());
        if (result.beforeHash() != null) {
            outcome.put("beforeHash", result.beforeHash());
            outcome.put("afterHash", result.afterHash());
        }
        outcome.put("attempts", Integer.toString(result.attempts()));
        outcome.put("diff", String.join("\n", result.diff()));
        audit.record(command.actor(), AuditAction.AWS_AUTH_APPLY, cluster.name(), resource, outcome,
                result.succeeded() ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE);
        log.info("cluster={} configmap={} change={} decision={} attempts={}", cluster.name(), resource,
                command.change().getClass().getSimpleName(), result.status(), result.attempts());
        return result;
    }

    private ApplyResult applyWithRetries(KubernetesClient client, ChangePlanner planner, ApplyCommand command) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            ConfigMap current = read(client);
            ChangePlan plan = planner.plan(data(current), command.change());
            if (plan.refused(command.breakGlass())) {
                return new ApplyResult(ApplyResult.Status.REFUSED, String.join("; ", plan.reasons()), plan.diff(),
                        hash(plan.before()), hash(plan.before()), attempt, plan.inverse());
            }
            if (plan.noChange()) {
                return new ApplyResult(ApplyResult.Status.NO_CHANGE, "aws-auth already says this; nothing written",
                        List.of(), hash(plan.before()), hash(plan.after()), attempt, plan.inverse());
            }
            try {
                write(client, current, plan.after());
                return new ApplyResult(ApplyResult.Status.APPLIED, "applied", plan.diff(), hash(plan.before()),
                        hash(plan.after()), attempt, plan.inverse());
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                log.info("configmap=aws-auth decision=replan (changed since read, attempt {})", attempt);
            }
        }
        return new ApplyResult(ApplyResult.Status.CONFLICT, "aws-auth kept changing while the console applied ("
                + MAX_ATTEMPTS + " attempts); try again", List.of(), null, null, MAX_ATTEMPTS, null);
    }

    private static ConfigMap read(KubernetesClient client) {
        return client.configMaps().inNamespace(ClusterCache.AWS_AUTH_NAMESPACE).withName(ClusterCache.AWS_AUTH_NAME).get();
    }

    /** Creates aws-auth if there is none; otherwise updates the object as read, so its resourceVersion guards the write. */
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

    private ChangePlanner planner(Cluster cluster) {
        return new ChangePlanner(validator, new LockoutCheck(cluster.awsRoleArn(), Set.of(LockoutCheck.MASTERS)));
    }

    private Cluster cluster(String name) {
        return clusters.findByName(name).orElseThrow(() -> new IllegalArgumentException("no cluster named " + name));
    }

    private static Map<String, String> details(ApplyCommand command) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("change", command.change().toString());
        if (command.requestId() != null) {
            details.put("requestId", command.requestId().toString());
        }
        details.put("reason", command.reason());
        details.put("breakGlass", Boolean.toString(command.breakGlass()));
        return details;
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
