package io.eksaccess.console.cluster.cache;

/** How current a cluster's cached view is. */
public enum SyncState {
    /** The first list has not finished yet, and nothing has failed. */
    STARTING,
    /** Every kind is listed and being watched: the view is current. */
    LIVE,
    /** The view was current once, but the watches are down: data is shown with its age. */
    STALE,
    /** The view was never complete: something stops the console from reading the cluster. */
    ERROR
}
