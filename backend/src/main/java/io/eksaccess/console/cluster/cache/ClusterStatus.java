package io.eksaccess.console.cluster.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A cluster's sync state for pages and the API.
 *
 * @param lastSyncedAt when the view was last known current (null: never)
 * @param reason what is wrong, in words a person can act on (null when LIVE)
 * @param counts objects cached per kind
 * @param serverVersion the API server's gitVersion, once it answered
 */
public record ClusterStatus(
        String cluster,
        SyncState state,
        Instant lastSyncedAt,
        String reason,
        Map<CachedKind, Integer> counts,
        String serverVersion,
        Instant checkedAt) {

    /** How old the data is; zero while live. */
    public Duration age() {
        if (state == SyncState.LIVE || lastSyncedAt == null) {
            return Duration.ZERO;
        }
        return Duration.between(lastSyncedAt, checkedAt);
    }

    public int count(CachedKind kind) {
        return counts.getOrDefault(kind, 0);
    }

    public boolean awsAuthPresent() {
        return count(CachedKind.AWS_AUTH) > 0;
    }

    public int bindings() {
        return count(CachedKind.ROLE_BINDINGS) + count(CachedKind.CLUSTER_ROLE_BINDINGS);
    }
}
