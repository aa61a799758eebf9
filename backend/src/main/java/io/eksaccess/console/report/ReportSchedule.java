package io.eksaccess.console.report;

import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.SyncState;
import io.eksaccess.console.system.ScheduledJobs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The periodic report of all clusters: time is cut into windows of {@code console.reports.schedule}
 * (default 30 days) and exactly one replica makes the report of each window, at its first check
 * in it. A schedule of 0 turns periodic reports off (on-demand ones still work). Right after start
 * a replica waits (up to {@link #MAX_WAIT_FOR_CACHES}) until every enabled cluster's cached view has
 * finished its first sync, so that a report is not made of half-read clusters.
 */
@Component
class ReportSchedule {

    static final String JOB = "access-report";
    static final Duration MAX_WAIT_FOR_CACHES = Duration.ofMinutes(10);

    private final ScheduledJobs jobs;
    private final ReportJobs reports;
    private final ClusterRepository clusters;
    private final ClusterCaches caches;
    private final Duration schedule;
    private final Clock clock = Clock.systemUTC();
    private final Instant started = clock.instant();

    ReportSchedule(ScheduledJobs jobs, ReportJobs reports, ClusterRepository clusters, ClusterCaches caches,
            @Value("${console.reports.schedule:30d}") Duration schedule) {
        this.jobs = jobs;
        this.reports = reports;
        this.clusters = clusters;
        this.caches = caches;
        this.schedule = schedule;
    }

    @Scheduled(initialDelayString = "${console.reports.check-interval:1m}",
            fixedDelayString = "${console.reports.check-interval:1m}")
    void check() {
        if (schedule.isZero() || schedule.isNegative() || !cachesReady()) {
            return;
        }
        jobs.runOncePerWindow(JOB, schedule, () ->
                reports.runNow(ReportContent.ALL, ReportTrigger.SCHEDULED, AuditActor.system("reports")));
    }

    private boolean cachesReady() {
        if (Duration.between(started, clock.instant()).compareTo(MAX_WAIT_FOR_CACHES) > 0) {
            return true;
        }
        return clusters.findEnabled().stream().allMatch(cluster -> caches.cache(cluster.name())
                .map(cache -> cache.status().state() != SyncState.STARTING)
                .orElse(false));
    }
}
