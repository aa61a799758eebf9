package io.eksaccess.console.cluster;

import io.eksaccess.console.cluster.eks.DiscoveredEksCluster;
import io.eksaccess.console.cluster.eks.EksClusterDiscovery;
import io.eksaccess.console.system.ScheduledJobs;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;

/** Registers the EKS clusters of the configured regions, at start and then periodically. */
@Component
class EksDiscoveryJob {

    private static final Logger log = LoggerFactory.getLogger(EksDiscoveryJob.class);

    private final EksClusterDiscovery discovery;
    private final ClusterRepository clusters;
    private final ScheduledJobs jobs;
    private final Duration interval;

    EksDiscoveryJob(ClusterProperties properties, ClusterRepository clusters, ScheduledJobs jobs,
            @Value("${console.clusters.eks.discovery-interval:5m}") Duration interval) {
        this.discovery = new EksClusterDiscovery(properties.eks());
        this.clusters = clusters;
        this.jobs = jobs;
        this.interval = interval;
    }

    /** Checks often, runs once per interval across all replicas. */
    @Scheduled(initialDelay = 0, fixedDelayString = "${console.clusters.eks.discovery-check:10s}")
    void discoverOncePerInterval() {
        if (discovery.enabled()) {
            jobs.runOncePerWindow("eks-discovery", interval, this::discover);
        }
    }

    void discover() {
        try {
            for (DiscoveredEksCluster found : discovery.discover()) {
                String name = clusters.upsertFromEks(found);
                log.info("eks cluster={} region={} account={} registered as {}", found.name(), found.region(),
                        found.accountId(), name);
            }
        } catch (SdkException e) {
            log.warn("EKS discovery failed, will retry: {}", e.getMessage());
        }
    }
}
