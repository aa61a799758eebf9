package io.eksaccess.console.accessentry;

import io.eksaccess.console.cluster.Cluster;
import java.util.Optional;

/**
 * Where the IAM answers and the findings get a cluster's synced access entries: the cluster's
 * cache ({@link CachedAccessEntriesLookup}). An interface only so that a page test can give a
 * kubeconfig cluster (which has a real API server, unlike a moto EKS cluster) entries.
 */
public interface AccessEntriesLookup {

    /** The entries the last sync left, when the console reads this cluster's entries and has read them. */
    Optional<SyncedAccessEntries> synced(Cluster cluster);
}
