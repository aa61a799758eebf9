package io.eksaccess.console.accessentry;

import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.rbac.IamAnswers;
import java.util.Optional;

/**
 * Where the IAM answers and the findings get a cluster's synced access entries: the cluster's
 * cache ({@link CachedAccessEntriesLookup}). An interface only so that a page test can give a
 * kubeconfig cluster (which has a real API server, unlike a moto EKS cluster) entries.
 */
public interface AccessEntriesLookup {

    /** The entries the last sync left, when the console reads this cluster's entries and has read them. */
    Optional<SyncedAccessEntries> synced(Cluster cluster);

    /**
     * Why a cluster whose IAM callers EKS maps through access entries (API, API_AND_CONFIG_MAP)
     * has none read yet (first sync running, or failing); empty when they are read or the console
     * does not read them for this cluster.
     */
    default Optional<IamAnswers.Unread> unread(Cluster cluster) {
        return Optional.empty();
    }
}
