package io.eksaccess.console.accessentry;

import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.cache.AccessEntriesCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.rbac.IamAnswers;
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
