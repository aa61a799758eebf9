package io.eksaccess.console.report;

import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.system.ScheduledJobs;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The periodic report of all clusters: time is cut into windows of {@code console.reports.schedule}
 * (default 30 days) and exactly one replica makes the report of each window, at its first check
 * in it. A schedule of 0 turns periodic reports off (on-demand ones still work).
 */
@Component
class ReportSchedule {

    static final String JOB = "access-report";

    private final ScheduledJobs jobs;
    private final ReportJobs reports;
    private final Duration schedule;

    ReportSchedule(ScheduledJobs jobs, ReportJobs reports, @Value("${console.reports.schedule:30d}") Duration schedule) {
        this.jobs = jobs;
        this.reports = reports;
        this.schedule = schedule;
    }

    @Scheduled(initialDelayString = "${console.reports.check-interval:1m}",
            fixedDelayString = "${console.reports.check-interval:1m}")
    void check() {
        if (schedule.isZero() || schedule.isNegative()) {
            return;
        }
        jobs.runOncePerWindow(JOB, schedule, () ->
                reports.runNow(ReportContent.ALL, ReportTrigger.SCHEDULED, AuditActor.system("reports")));
    }
}
