package io.eksaccess.console.rbac;

import io.eksaccess.console.cluster.cache.CachedKind;
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.ClusterSnapshot;
import io.eksaccess.console.cluster.cache.ClusterStatus;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Each cluster's {@link RbacIndex}, built from its cache's snapshot and kept until the cache has
 * seen a change to RBAC objects or aws-auth: questions (API and pages alike) reuse one index
 * instead of rebuilding it per request.
 */
@Component
public class ClusterRbacIndexes {

    /** The kinds an index (and an access-for answer) is made of. */
    static final Set<CachedKind> INPUTS = EnumSet.of(CachedKind.ROLES, CachedKind.CLUSTER_ROLES,
            CachedKind.ROLE_BINDINGS, CachedKind.CLUSTER_ROLE_BINDINGS, CachedKind.AWS_AUTH);

    /**
     * An index with the snapshot it was built from and the cluster's status now.
     *
     * @param status how current the data is: anything but LIVE is to be shown as stale with its age
     */
    public record View(RbacIndex index, ClusterSnapshot snapshot, ClusterStatus status) {}

    private record Built(ClusterCache cache, long changeCount, RbacIndex index, ClusterSnapshot snapshot) {}

    private final ClusterCaches caches;
    private final Map<String, Built> built = new ConcurrentHashMap<>();
    private final AtomicLong builds = new AtomicLong();
    private final AtomicLong views = new AtomicLong();

    public ClusterRbacIndexes(ClusterCaches caches) {
        this.caches = caches;
    }

    /** Empty when the cluster has no cache, or its cache has never been complete. */
    public Optional<View> view(String cluster) {
        Optional<ClusterCache> maybeCache = caches.cache(cluster);
        if (maybeCache.isEmpty()) {
            return Optional.empty();
        }
        ClusterCache cache = maybeCache.get();
        ClusterStatus status = cache.status();
        if (status.lastSyncedAt() == null) {
            return Optional.empty();
        }
        views.incrementAndGet();
        long changeCount = cache.changeCount(INPUTS);
        Built current = built.get(cluster);
        if (!isCurrent(current, cache, changeCount)) {
            current = built.compute(cluster, (name, old) -> isCurrent(old, cache, changeCount) ? old : build(cache, changeCount));
        }
        return Optional.of(new View(current.index(), current.snapshot(), status));
    }

    /** How many indexes were built since start (all clusters), for tests and metrics. */
    public long builds() {
        return builds.get();
    }

    /** How many views (with an index) were handed out since start: builds ÷ views is the reuse. */
    public long views() {
        return views.get();
    }

    private static boolean isCurrent(Built built, ClusterCache cache, long changeCount) {
        return built != null && built.cache() == cache && built.changeCount() == changeCount;
    }

    private Built build(ClusterCache cache, long changeCount) {
        ClusterSnapshot snapshot = cache.snapshot();
        builds.incrementAndGet();
        return new Built(cache, changeCount, RbacIndex.of(snapshot), snapshot);
    }
}
