package io.eksaccess.console.accessentry;

import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The synced entries from the cluster's cache: never a call to EKS. */
@Component
class CachedAccessEntriesLookup implements AccessEntriesLookup {

    private final ClusterCaches caches;

    CachedAccessEntriesLookup(ClusterCaches caches) {
        this.caches = caches;
    }

    @Override
    public Optional<SyncedAccessEntries> synced(Cluster cluster) {
        return AccessEntriesController.synced(cluster, caches.accessEntries(cluster.name()));
    }
}
