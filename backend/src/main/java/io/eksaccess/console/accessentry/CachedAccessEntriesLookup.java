package io.eksaccess.console.accessentry;

import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.cache.AccessEntriesCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.EksAccessEntries;
import io.eksaccess.console.rbac.IamAnswers;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** The synced entries from the cluster's cache: never a call to EKS. */
@Component
class CachedAccessEntriesLookup implements AccessEntriesLookup {

    private final ClusterCaches caches;

    CachedAccessEntriesLookup(ClusterCaches caches) {
        this.caches = caches;
    }

    /** One sync's entries in the model, converted once (by the sync's identity), not per question. */
    private record Converted(EksAccessEntries raw, String mode, String eksName, ClusterAccessEntries entries) {}

    private final Map<String, Converted> converted = new ConcurrentHashMap<>();

    @Override
    public Optional<SyncedAccessEntries> synced(Cluster cluster) {
        Optional<AccessEntriesCache> cache = caches.accessEntries(cluster.name());
        Optional<EksAccessEntries> raw = cache.flatMap(AccessEntriesCache::entries);
        if (raw.isEmpty() || !ClusterCaches.readsAccessEntries(cluster)) {
            return Optional.empty();
        }
        Converted last = converted.get(cluster.name());
        if (last == null || last.raw() != raw.get() || !last.mode().equals(cluster.eksAuthenticationMode())
                || !Objects.equals(last.eksName(), cluster.eksClusterName())) {
            last = new Converted(raw.get(), cluster.eksAuthenticationMode(), cluster.eksClusterName(),
                    SyncedAccessEntries.of(cluster, raw.get(), null).entries());
            converted.keySet().removeIf(name -> caches.accessEntries(name).isEmpty()); // clusters gone since
            converted.put(cluster.name(), last);
        }
        return Optional.of(new SyncedAccessEntries(last.entries(), raw.get(), cache.get().status()));
    }

    @Override
    public Optional<IamAnswers.Unread> unread(Cluster cluster) {
        if (!ClusterCaches.readsAccessEntries(cluster) || synced(cluster).isPresent()) {
            return Optional.empty();
        }
        // No cache yet: the scheduler has not reached this cluster since discovery found its mode.
        String state = caches.accessEntries(cluster.name()).map(AccessEntriesCache::status)
                .map(status -> status.state().name() + ": " + status.reason())
                .orElse("STARTING: the first sync from EKS has not started yet");
        return Optional.of(new IamAnswers.Unread(cluster.name(), cluster.eksAuthenticationMode(), state));
    }
}
