package io.eksaccess.console.cluster.cache;

import java.time.Duration;
import java.time.Instant;

/**
 * How current a cluster's cached access entries are, in the states of the Kubernetes caches.
 *
 * @param lastSyncedAt when the last complete sync finished (null: never)
 * @param reason what is wrong, in words a person can act on (null when LIVE)
 * @param entries access entries held
 * @param calls EKS API requests the last complete sync took; {@code took} how long (null: none yet)
 */
public record AccessEntriesStatus(String cluster, SyncState state, Instant lastSyncedAt, String reason, int entries,
        int calls, Duration took, Instant checkedAt) {

    /** How old the data is; zero while live. */
    public Duration age() {
        if (state == SyncState.LIVE || lastSyncedAt == null) {
            return Duration.ZERO;
        }
        return Duration.between(lastSyncedAt, checkedAt);
    }
}
