package io.eksaccess.console.apply;

import io.eksaccess.console.accessentry.AccessEntriesWritten;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.AccessEntriesCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.SyncState;
import io.eksaccess.console.system.ScheduledJobs;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Hands each EKS cluster's synced access entries (the cache, never the EKS API) to the
 * {@link AccessEntryDriftDetector} on the drift-scan interval, on one replica per period; only live
 * caches count, as in {@link DriftScan}. When the console announces a write of its own, the
 * baseline waits for a sync started after it, and one is queued at once.
 */
@Component
class AccessEntryDriftScan {

    private static final Logger log = LoggerFactory.getLogger(AccessEntryDriftScan.class);

    private final ClusterRepository clusters;
    private final ClusterCaches caches;
    private final AccessEntryDriftDetector detector;
    private final AccessEntryBaselines baselines;
    private final ScheduledJobs jobs;
    private final Duration interval;

    AccessEntryDriftScan(ClusterRepository clusters, ClusterCaches caches, AccessEntryDriftDetector detector,
            AccessEntryBaselines baselines, ScheduledJobs jobs,
            @Value("${console.apply.drift-scan-interval:10s}") Duration interval) {
        this.clusters = clusters;
        this.caches = caches;
        this.detector = detector;
        this.baselines = baselines;
        this.jobs = jobs;
        this.interval = interval;
    }

    @Scheduled(initialDelayString = "${console.apply.drift-scan-interval:10s}",
            fixedDelayString = "${console.apply.drift-scan-interval:10s}")
    void scheduled() {
        jobs.runOncePerWindow("access-entry-drift-scan", interval, this::scanAll);
    }

    void scanAll() {
        for (var cluster : clusters.findEnabled()) {
            caches.accessEntries(cluster.name()).ifPresent(this::scan);
        }
    }

    private void scan(AccessEntriesCache cache) {
        if (cache.status().state() != SyncState.LIVE) {
            return;
        }
        cache.entries().ifPresent(synced -> {
            try {
                detector.check(cache.cluster(), synced);
            } catch (RuntimeException e) {
                log.warn("cluster={} access-entries decision=drift-check-failed: {}", cache.cluster(), e.getMessage());
            }
        });
    }

    /** The console wrote (and read back) access entries: re-read the baseline from a fresh sync. */
    @EventListener
    void on(AccessEntriesWritten written) {
        baselines.rebaselineAfter(written.cluster(), Instant.now());
        boolean queued = caches.refreshAccessEntries(written.cluster());
        log.info("cluster={} intent={} access-entries decision=rebaseline-after-own-write sync={}", written.cluster(),
                written.intentId(), queued ? "queued" : "not-read-here");
    }
}
