package io.eksaccess.console.apply;

import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditOutcome;
import io.eksaccess.console.cluster.cache.EksAccessEntries;
import io.eksaccess.console.notification.NotificationEvent;
import io.eksaccess.console.notification.NotificationType;
import io.eksaccess.console.notification.Notifications;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Compares a cluster's synced access entries with their baseline, as {@link DriftDetector} does for
 * aws-auth: the first sync becomes the baseline; after the console announced a write of its own
 * ({@code AccessEntriesWritten}) the first sync started later becomes it; any other difference is
 * drift, recorded with a readable diff, audited and notified, and then becomes the baseline (so it
 * is reported once). Only syncs that started after the baseline's are compared, so a slow sync
 * that began before the console's write cannot report it as drift.
 */
@Component
class AccessEntryDriftDetector {

    static final String RESOURCE = "access-entries";
    /** Lines of a diff an audit record or notification carries; the drift event keeps all of them. */
    static final int MAX_LINES_OUT = 100;
    private static final Logger log = LoggerFactory.getLogger(AccessEntryDriftDetector.class);

    private final AccessEntryBaselines baselines;
    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Notifications notifications;

    AccessEntryDriftDetector(AccessEntryBaselines baselines, JdbcClient jdbc, AuditLog audit, Notifications notifications) {
        this.baselines = baselines;
        this.jdbc = jdbc;
        this.audit = audit;
        this.notifications = notifications;
    }

    /** @return the drift events recorded (0 or 1) */
    @Transactional
    public int check(String cluster, EksAccessEntries synced) {
        Instant readStartedAt = synced.syncedAt();
        AccessEntryState observed = AccessEntryState.of(synced);
        Optional<AccessEntryBaselines.Baseline> found = baselines.locked(cluster);
        if (found.isEmpty()) {
            if (baselines.insertFirst(cluster, observed, readStartedAt)) {
                log.info("cluster={} access-entries={} decision=baseline (first sync)", cluster, observed.entries().size());
            }
            return 0;
        }
        AccessEntryBaselines.Baseline baseline = found.get();
        if (!readStartedAt.isAfter(baseline.readStartedAt())) {
            return 0; // the baseline's own sync, or an older one
        }
        if (baseline.rebaselineAfter() != null) {
            if (readStartedAt.isBefore(baseline.rebaselineAfter())) {
                return 0; // started before the console's write was read back: wait for a fresh sync
            }
            baselines.set(cluster, observed, readStartedAt, AccessEntryBaselines.Source.APPLIED);
            log.info("cluster={} access-entries={} decision=baseline (read after the console's own write)", cluster,
                    observed.entries().size());
            return 0;
        }
        if (baseline.hash().equals(observed.hash())) {
            return 0;
        }
        if (baselines.consoleWriting(cluster)) {
            log.info("cluster={} access-entries decision=deferred (the console is writing; its announcement re-reads)",
                    cluster);
            return 0;
        }
        record(cluster, baseline.entries(), observed);
        baselines.set(cluster, observed, readStartedAt, AccessEntryBaselines.Source.DRIFT);
        return 1;
    }

    private void record(String cluster, AccessEntryState before, AccessEntryState after) {
        List<String> diff = AccessEntryState.diff(before, after);
        String shortDiff = capped(diff);
        long id = jdbc.sql("""
                        INSERT INTO drift_events (cluster, resource, before_hash, after_hash, before_data, after_data, diff)
                        VALUES (:cluster, :resource, :beforeHash, :afterHash, CAST(:before AS jsonb), CAST(:after AS jsonb),
                                :diff)
                        RETURNING id""")
                .param("cluster", cluster)
                .param("resource", RESOURCE)
                .param("beforeHash", before.hash())
                .param("afterHash", after.hash())
                .param("before", before.json())
                .param("after", after.json())
                .param("diff", String.join("\n", diff))
                .query(Long.class).single();
        // Access entries hold ARNs, names and groups, never credentials; the diff is capped in size.
        audit.record(DriftDetector.ACTOR, AuditAction.DRIFT_DETECTED, cluster, RESOURCE, Map.of(
                "driftId", Long.toString(id),
                "beforeHash", before.hash(),
                "afterHash", after.hash(),
                "diff", shortDiff), AuditOutcome.SUCCESS);
        notifications.publish(new NotificationEvent(NotificationType.DRIFT_DETECTED, cluster, null,
                "Access entries of " + cluster + " were changed outside the console", "/clusters/" + cluster,
                Map.of("driftId", Long.toString(id), "resource", RESOURCE, "diff", shortDiff), Instant.now()));
        log.info("cluster={} access-entries drift={} changes={} decision=drift", cluster, id, diff.size());
    }

    static String capped(List<String> diff) {
        if (diff.size() <= MAX_LINES_OUT) {
            return String.join("\n", diff);
        }
        return String.join("\n", diff.subList(0, MAX_LINES_OUT)) + "\n… and " + (diff.size() - MAX_LINES_OUT)
                + " more changes (see the cluster page)";
    }
}
