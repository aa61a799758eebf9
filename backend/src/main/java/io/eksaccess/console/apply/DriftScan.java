package io.eksaccess.console.apply;

import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.ClusterSnapshot;
import io.eksaccess.console.cluster.cache.SyncState;
import io.eksaccess.console.cluster.ClusterRepository;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Looks at each cluster's watched aws-auth (the cache's informer, never the API server) every few
 * seconds, on one replica per period, and hands it to the {@link DriftDetector}. Only live caches
 * count: a cache that is starting or stale would report an empty or old ConfigMap as drift.
 */
@Component
class DriftScan {

    private static final Logger log = LoggerFactory.getLogger(DriftScan.class);

    private final ClusterRepository clusters;
    private final ClusterCaches caches;
    private final DriftDetector detector;
    private final io.eksaccess.console.system.ScheduledJobs jobs;
    private final Duration interval;

    DriftScan(ClusterRepository clusters, ClusterCaches caches, DriftDetector detector,
            io.eksaccess.console.system.ScheduledJobs jobs,
            @Value("${console.apply.drift-scan-interval:10s}") Duration interval) {
        this.clusters = clusters;
        this.caches = caches;
        this.detector = detector;
        this.jobs = jobs;
        this.interval = interval;
    }

    @Scheduled(initialDelayString = "${console.apply.drift-scan-interval:10s}",
            fixedDelayString = "${console.apply.drift-scan-interval:10s}")
    void scheduled() {
        jobs.runOncePerWindow("drift-scan", interval, this::scanAll);
    }

    void scanAll() {
        for (var cluster : clusters.findEnabled()) {
            caches.cache(cluster.name()).ifPresent(this::scan);
        }
    }

    private void scan(ClusterCache cache) {
        ClusterSnapshot snapshot = cache.snapshot();
        if (snapshot.status().state() != SyncState.LIVE) {
            return;
        }
        ConfigMap configMap = snapshot.awsAuth().orElse(null);
        Map<String, String> data = configMap == null || configMap.getData() == null ? Map.of() : configMap.getData();
        String resourceVersion = configMap == null ? null : configMap.getMetadata().getResourceVersion();
        try {
            detector.check(cache.cluster(), data, resourceVersion);
        } catch (RuntimeException e) {
            log.warn("cluster={} configmap={} decision=drift-check-failed: {}", cache.cluster(), AwsAuthApplier.RESOURCE,
                    e.getMessage());
        }
    }
}
