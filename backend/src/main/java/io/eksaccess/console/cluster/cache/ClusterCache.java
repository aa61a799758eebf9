package io.eksaccess.console.cluster.cache;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster's live view: an informer per {@link CachedKind} (list once, then watch), started
 * without blocking. A lost watch is retried forever; meanwhile the last data stays available and
 * {@link #status()} says how old it is and why.
 */
public final class ClusterCache implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterCache.class);
    public static final String AWS_AUTH_NAMESPACE = "kube-system";
    public static final String AWS_AUTH_NAME = "aws-auth";

    private final String cluster;
    private final KubernetesClient client;
    private final Clock clock;
    private final Map<CachedKind, SharedIndexInformer<? extends HasMetadata>> informers = new EnumMap<>(CachedKind.class);

    private final Map<CachedKind, AtomicLong> changes = new EnumMap<>(CachedKind.class);

    /** The counts as of a change count (counted no earlier than that count was read). */
    private record Counted(long changeCount, Map<CachedKind, Integer> counts) {}

    private volatile Counted counted;

    private volatile Throwable lastError;
    private volatile Instant lastSyncedAt;
    private volatile String serverVersion;

    private ClusterCache(String cluster, KubernetesClient client, Clock clock) {
        this.cluster = cluster;
        this.client = client;
        this.clock = clock;
    }

    /** Starts the informers and returns at once; the first lists complete in the background. */
    public static ClusterCache start(String cluster, KubernetesClient client, Clock clock) {
        ClusterCache cache = new ClusterCache(cluster, client, clock);
        cache.inform(CachedKind.AWS_AUTH,
                client.configMaps().inNamespace(AWS_AUTH_NAMESPACE).withName(AWS_AUTH_NAME).runnableInformer(0));
        cache.inform(CachedKind.NAMESPACES, client.namespaces().runnableInformer(0));
        cache.inform(CachedKind.SERVICE_ACCOUNTS, client.serviceAccounts().inAnyNamespace().runnableInformer(0));
        cache.inform(CachedKind.PODS, client.pods().inAnyNamespace().runnableInformer(0));
        cache.inform(CachedKind.ROLES, client.rbac().roles().inAnyNamespace().runnableInformer(0));
        cache.inform(CachedKind.CLUSTER_ROLES, client.rbac().clusterRoles().runnableInformer(0));
        cache.inform(CachedKind.ROLE_BINDINGS, client.rbac().roleBindings().inAnyNamespace().runnableInformer(0));
        cache.inform(CachedKind.CLUSTER_ROLE_BINDINGS, client.rbac().clusterRoleBindings().runnableInformer(0));
        return cache;
    }

    private void inform(CachedKind kind, SharedIndexInformer<? extends HasMetadata> informer) {
        informer.exceptionHandler((started, failure) -> {
            if (lastError == null || !String.valueOf(lastError.getMessage()).equals(failure.getMessage())) {
                log.warn("cluster={} kind={} read failed, retrying: {}", cluster, kind, ConnectionProblem.describe(failure));
            }
            lastError = failure;
            return true; // keep trying: the cluster may come back
        });
        AtomicLong changed = new AtomicLong();
        changes.put(kind, changed);
        // The store is updated before handlers run, so a count read before a snapshot never
        // claims more than the snapshot holds.
        informer.addEventHandler(new ResourceEventHandler<HasMetadata>() {
            @Override
            public void onAdd(HasMetadata object) {
                changed.incrementAndGet();
            }

            @Override
            public void onUpdate(HasMetadata before, HasMetadata after) {
                changed.incrementAndGet();
            }

            @Override
            public void onDelete(HasMetadata object, boolean finalStateUnknown) {
                changed.incrementAndGet();
            }
        });
        informers.put(kind, informer);
        informer.start();
    }

    public String cluster() {
        return cluster;
    }

    /** Where the view stands now; cheap, reads only local state. */
    public ClusterStatus status() {
        Instant now = clock.instant();
        boolean synced = informers.values().stream().allMatch(SharedIndexInformer::hasSynced);
        boolean watching = informers.values().stream().allMatch(SharedIndexInformer::isWatching);
        if (synced && watching) {
            lastSyncedAt = now;
            lastError = null;
        }
        Map<CachedKind, Integer> counts = counts();
        SyncState state;
        if (synced && watching) {
            state = SyncState.LIVE;
        } else if (lastSyncedAt != null) {
            state = SyncState.STALE;
        } else {
            state = lastError == null ? SyncState.STARTING : SyncState.ERROR;
        }
        String reason = switch (state) {
            case LIVE -> null;
            case STARTING -> "Reading the cluster for the first time.";
            case STALE, ERROR -> lastError != null
                    ? ConnectionProblem.describe(lastError)
                    : "The watches on the cluster were interrupted; reconnecting.";
        };
        return new ClusterStatus(cluster, state, lastSyncedAt, reason, counts, serverVersion, now);
    }

    /**
     * Object counts per kind, recounted only after a change: a store can only count by copying
     * its list, which at 20,000 bindings was a tenth of every API question.
     */
    private Map<CachedKind, Integer> counts() {
        long changeCount = changeCount(changes.keySet());
        Counted counted = this.counted;
        if (counted == null || counted.changeCount() != changeCount) {
            Map<CachedKind, Integer> counts = new EnumMap<>(CachedKind.class);
            informers.forEach((kind, informer) -> counts.put(kind, informer.getStore().list().size()));
            counted = new Counted(changeCount, Collections.unmodifiableMap(counts));
            this.counted = counted;
        }
        return counted.counts();
    }

    /**
     * How many adds, updates and deletes the informers of these kinds have seen: cheap, so that
     * what is derived from a snapshot (an RBAC index) is rebuilt only when this number moved.
     */
    public long changeCount(Set<CachedKind> kinds) {
        long total = 0;
        for (CachedKind kind : kinds) {
            total += changes.get(kind).get();
        }
        return total;
    }

    /** Just aws-auth, without copying every other kind as {@link #snapshot()} does. */
    public Optional<ConfigMap> awsAuth() {
        return this.<ConfigMap>items(CachedKind.AWS_AUTH).stream().findFirst();
    }

    public ClusterSnapshot snapshot() {
        return new ClusterSnapshot(
                status(),
                awsAuth(),
                items(CachedKind.NAMESPACES),
                items(CachedKind.SERVICE_ACCOUNTS),
                items(CachedKind.PODS),
                items(CachedKind.ROLES),
                items(CachedKind.CLUSTER_ROLES),
                items(CachedKind.ROLE_BINDINGS),
                items(CachedKind.CLUSTER_ROLE_BINDINGS));
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> List<T> items(CachedKind kind) {
        return (List<T>) List.copyOf(informers.get(kind).getStore().list());
    }

    /**
     * Off the request path (the scheduler calls it): asks the API server for its version, which
     * both fills in the version and, while the watches are down, finds out why (a lost watch is
     * retried quietly by the informers, without telling us the cause).
     */
    public void checkConnection() {
        boolean live = informers.values().stream().allMatch(i -> i.hasSynced() && i.isWatching());
        if (live && serverVersion != null) {
            return;
        }
        try {
            // One attempt: the next reconcile asks again. The client's own retries (ten, backing off to
            // seconds apart) held start-up, which runs the first check, and shutdown for about 20 s.
            RequestConfig once = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                    .withRequestRetryBackoffLimit(0)
                    .build();
            serverVersion = client.newClient(once).adapt(KubernetesClient.class).getKubernetesVersion().getGitVersion();
        } catch (RuntimeException e) {
            lastError = e;
        }
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::close);
        client.close();
    }
}
