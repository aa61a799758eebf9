package io.eksaccess.console.cluster;

import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditOutcome;
import io.eksaccess.console.system.ConsoleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The admin's changes to the cluster registry. Each is checked first, then written, then recorded
 * in the audit history; a change that fails its checks changes nothing and says why.
 */
@Service
public class ClusterRegistry {

    static final String NAME_PATTERN = "[A-Za-z0-9._-]{1,100}";
    static final Pattern NAME = Pattern.compile(NAME_PATTERN);

    /** A change the registry refuses, with the reason a person can act on. */
    /** Published after a rename, disable or removal, for whatever holds per-cluster state. */
    public record Changed(String cluster) {}

    /**
     * Published inside a rename's transaction: what is kept by the cluster's name (requests, approval
     * policy, intents, baselines, drift) moves with it, or the rename fails as a whole. Otherwise a renamed
     * cluster's grants would never be revoked, its policy would fall back to the default, and a cluster
     * added later under the old name would inherit both.
     */
    public record Renamed(String from, String to) {}

    /**
     * Published inside a removal's transaction: requests still waiting for the cluster end with it, or a
     * cluster registered later under the same name would receive them; scheduled grant ends are closed
     * (nothing is revoked), and what is kept by the name (requests, policy, intents, baselines, drift) moves
     * to {@code retiredAs}: kept for the history, never read as a cluster registered later under the name.
     *
     * @param retiredAs a name no registration can take (it has spaces and brackets, outside {@link #NAME})
     */
    public record Removed(String cluster, String retiredAs) {

        public Removed(String cluster) {
            this(cluster, cluster + " (removed " + Instant.now().truncatedTo(ChronoUnit.MILLIS) + ")");
        }
    }

    private final ClusterRepository clusters;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;

    ClusterRegistry(ClusterRepository clusters, AuditLog audit, ApplicationEventPublisher events) {
        this.clusters = clusters;
        this.audit = audit;
        this.events = events;
    }

    public void add(AuditActor actor, String name, String kubeconfigPath, String context) {
        requireFreeName(name);
        Path file = Path.of(kubeconfigPath == null ? "" : kubeconfigPath.trim());
        if (!file.isAbsolute() || !Files.isReadable(file)) {
            throw ConsoleException.invalid("error.cluster.kubeconfig-unreadable", file).onField("kubeconfigPath");
        }
        KubeconfigClusterImporter.KubeContext found;
        try {
            found = KubeconfigClusterImporter.contextsIn(file).stream()
                    .filter(candidate -> candidate.name().equals(context))
                    .findFirst()
                    .orElseThrow(() -> ConsoleException.invalid("error.cluster.no-context", file, context).onField("context"));
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConsoleException refused) {
                throw refused;
            }
            // Not the parser's message: it quotes the file's content, and the path is an admin's input.
            throw ConsoleException.invalid("error.cluster.not-a-kubeconfig", file).onField("kubeconfigPath");
        }
        clusters.insertManual(name, found.server(), context, file.toString());
        audit.record(actor, AuditAction.CLUSTER_ADDED, name, "clusters/" + name,
                Map.of("kubeconfig", file.toString(), "context", context), AuditOutcome.SUCCESS);
    }

    @Transactional
    public void rename(AuditActor actor, String from, String to) {
        requireExisting(from);
        if (from.equals(to)) {
            return;
        }
        requireFreeName(to);
        clusters.rename(from, to);
        events.publishEvent(new Renamed(from, to));
        events.publishEvent(new Changed(from));
        audit.record(actor, AuditAction.CLUSTER_RENAMED, to, "clusters/" + to, Map.of("from", from, "to", to),
                AuditOutcome.SUCCESS);
    }

    public void setEnabled(AuditActor actor, String name, boolean enabled) {
        requireExisting(name);
        if (clusters.setEnabled(name, enabled)) {
            events.publishEvent(new Changed(name));
            audit.record(actor, enabled ? AuditAction.CLUSTER_ENABLED : AuditAction.CLUSTER_DISABLED, name,
                    "clusters/" + name, Map.of(), AuditOutcome.SUCCESS);
        }
    }

    @Transactional
    public void remove(AuditActor actor, String name) {
        Cluster cluster = requireExisting(name);
        clusters.delete(name);
        events.publishEvent(new Removed(name));
        events.publishEvent(new Changed(name));
        audit.record(actor, AuditAction.CLUSTER_REMOVED, name, "clusters/" + name,
                Map.of("source", cluster.source().name()), AuditOutcome.SUCCESS);
    }

    private Cluster requireExisting(String name) {
        return clusters.findByName(name).orElseThrow(() -> ConsoleException.notFound("error.cluster.no-cluster", name));
    }

    private void requireFreeName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ConsoleException.invalid("error.cluster.name").onField("name");
        }
        if (clusters.exists(name)) {
            throw ConsoleException.conflict("error.cluster.name-taken", name).onField("name");
        }
    }
}
