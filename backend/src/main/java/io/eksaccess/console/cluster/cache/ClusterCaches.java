package io.eksaccess.console.cluster.cache;

import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterClientFactory;
import io.eksaccess.console.cluster.ClusterProperties;
import io.eksaccess.console.cluster.ClusterRegistry;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.ClusterSource;
import io.eksaccess.console.cluster.eks.EksAccessEntryReader;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps one {@link ClusterCache} per enabled cluster in the registry: started in the background
 * once the console is up (so start-up stays fast with many clusters), added and closed as the
 * registry changes. Pages read from here and never from the API servers.
 */
@Component
public class ClusterCaches {

    private static final Logger log = LoggerFactory.getLogger(ClusterCaches.class);

    private final ClusterRepository registry;
    private final ClusterClientFactory clients;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, ClusterCache> caches = new ConcurrentHashMap<>();
    private final Map<String, String> connectFailures = new ConcurrentHashMap<>();
    /** EKS access entries, beside the informers, for clusters whose mode reads them. */
    private final Map<String, AccessEntriesCache> accessEntries = new ConcurrentHashMap<>();
    /** Syncs run here, one at a time: a large cluster's sync takes seconds and must not hold up the scheduler. */
    private final ExecutorService accessEntrySyncs = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "eks-access-entry-sync");
        thread.setDaemon(true);
        return thread;
    });
    private final ClusterProperties.Eks eks;
    private final Duration accessEntriesInterval;

    ClusterCaches(ClusterRepository registry, ClusterClientFactory clients, ClusterProperties properties,
            @Value("${console.clusters.eks.access-entries-interval:60s}") Duration accessEntriesInterval) {
        this.registry = registry;
        this.clients = clients;
        this.eks = properties.eks();
        this.accessEntriesInterval = accessEntriesInterval;
    }

    /** After the kubeconfig import (which runs first), and then every few seconds. */
    @EventListener(ApplicationReadyEvent.class)
    @Order(100)
    public void onStart() {
        reconcile();
    }

    @Scheduled(initialDelayString = "${console.clusters.reconcile-interval:10s}",
            fixedDelayString = "${console.clusters.reconcile-interval:10s}")
    public synchronized void reconcile() {
        Map<String, Cluster> enabled = stopRemoved();
        enabled.forEach((name, cluster) -> caches.computeIfAbsent(name, n -> {
            log.info("cluster={} source={} decision=start-cache", name, cluster.source());
            try {
                ClusterCache started = ClusterCache.start(name, clients.clientFor(cluster), clock);
                connectFailures.remove(name);
                return started;
            } catch (RuntimeException e) {
                String reason = ConnectionProblem.describe(e);
                if (!reason.equals(connectFailures.put(name, reason))) {
                    log.warn("cluster={} cannot be connected: {}", name, reason);
                }
                return null;
            }
        }));
        caches.values().forEach(ClusterCache::checkConnection);
    }

    /**
     * Right after this replica's registry change, so a removed, disabled or renamed cluster stops
     * answering from its cache at once (other replicas follow within the reconcile interval).
     * Starting caches is left to the next reconcile: connecting may take a while.
     */
    @EventListener(ClusterRegistry.Changed.class)
    public synchronized void onRegistryChanged() {
        stopRemoved();
    }

    private Map<String, Cluster> stopRemoved() {
        Map<String, Cluster> enabled = registry.findEnabled().stream()
                .collect(Collectors.toMap(Cluster::name, cluster -> cluster));
        for (String name : Set.copyOf(caches.keySet())) {
            if (!enabled.containsKey(name)) {
                log.info("cluster={} decision=stop-cache (removed or disabled)", name);
                caches.remove(name).close();
            }
        }
        return enabled;
    }

    /**
     * Whether the console reads this cluster's access entries: EKS clusters in API_AND_CONFIG_MAP or API mode
     * (discovered ones, and a kubeconfig one with EKS details: the demo cluster and its EKS double).
     */
    public static boolean readsAccessEntries(Cluster cluster) {
        return (cluster.source() == ClusterSource.EKS || cluster.source() == ClusterSource.KUBECONFIG)
                && cluster.eksClusterName() != null && cluster.awsRegion() != null
                && List.of("API", "API_AND_CONFIG_MAP").contains(cluster.eksAuthenticationMode());
    }

    /** Starts the syncs that are due; checks often so that a new cluster is read soon after discovery. */
    @Scheduled(initialDelayString = "${console.clusters.eks.access-entries-check:5s}",
            fixedDelayString = "${console.clusters.eks.access-entries-check:5s}")
    public void syncDueAccessEntries() {
        List<Cluster> reading = registry.findEnabled().stream().filter(ClusterCaches::readsAccessEntries).toList();
        Set<String> names = reading.stream().map(Cluster::name).collect(Collectors.toSet());
        for (String name : Set.copyOf(accessEntries.keySet())) {
            if (!names.contains(name)) {
                log.info("cluster={} decision=stop-access-entries (removed, disabled or not in an API mode)", name);
                accessEntries.remove(name).close();
            }
        }
        for (Cluster cluster : reading) {
            AccessEntriesCache cache = accessEntries.computeIfAbsent(cluster.name(), name -> new AccessEntriesCache(name,
                    cluster.eksClusterName(), new EksAccessEntryReader(cluster.awsRegion(), cluster.awsRoleArn(),
                            eks.endpointOverride(), clock), clock, accessEntriesInterval));
            if (cache.due()) {
                accessEntrySyncs.execute(cache::sync);
            }
        }
    }

    /**
     * On demand (a person's refresh): queues a sync of the cluster's access entries now.
     *
     * @return false when the console does not read this cluster's access entries
     */
    public boolean refreshAccessEntries(String cluster) {
        AccessEntriesCache cache = accessEntries.get(cluster);
        if (cache == null) {
            return false;
        }
        accessEntrySyncs.execute(cache::sync);
        return true;
    }

    /** The cluster's synced access entries (empty when the console does not read them for it). */
    public Optional<AccessEntriesCache> accessEntries(String cluster) {
        return Optional.ofNullable(accessEntries.get(cluster));
    }

    public Optional<ClusterCache> cache(String cluster) {
        return Optional.ofNullable(caches.get(cluster));
    }

    /** The status of a registered cluster, also when its cache could not even be started. */
    public ClusterStatus statusOf(Cluster cluster) {
        ClusterCache cache = caches.get(cluster.name());
        if (cache != null) {
            return cache.status();
        }
        String failure = connectFailures.get(cluster.name());
        SyncState state = !cluster.enabled() ? SyncState.STALE : failure != null ? SyncState.ERROR : SyncState.STARTING;
        String reason = !cluster.enabled() ? "The cluster is disabled in the registry."
                : failure != null ? failure : "Waiting for the first connection.";
        return new ClusterStatus(cluster.name(), state, null, reason, Map.of(), null, clock.instant());
    }

    @PreDestroy
    void stopAll() {
        caches.values().forEach(ClusterCache::close);
        caches.clear();
        accessEntrySyncs.shutdownNow();
        accessEntries.values().forEach(AccessEntriesCache::close);
        accessEntries.clear();
    }
}
