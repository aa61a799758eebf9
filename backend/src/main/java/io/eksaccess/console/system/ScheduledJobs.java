package io.eksaccess.console.system;

import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Runs a periodic job on exactly one replica per period: time is cut into fixed windows of the
 * job's interval, and the first replica to insert (job, window) into {@code scheduled_job_runs}
 * runs it; the others see the row and skip. A replica that dies mid-window leaves that window
 * done-or-not as its job left it; jobs are written to be re-runnable.
 */
@Component
public class ScheduledJobs {

    private static final Logger log = LoggerFactory.getLogger(ScheduledJobs.class);

    private final JdbcClient jdbc;
    private final Clock clock = Clock.systemUTC();
    private final String replica;

    ScheduledJobs(JdbcClient jdbc, @Value("${console.replica-id:}") String replicaId) {
        this.jdbc = jdbc;
        this.replica = replicaId.isBlank() ? ManagementFactory.getRuntimeMXBean().getName() : replicaId;
    }

    /** @return true when this replica claimed the current window and ran the job */
    public boolean runOncePerWindow(String job, Duration window, Runnable work) {
        long millis = window.toMillis();
        Instant periodStart = Instant.ofEpochMilli(clock.millis() / millis * millis);
        int claimed = jdbc.sql("""
                        INSERT INTO scheduled_job_runs (job, period_start, replica) VALUES (:job, :period, :replica)
                        ON CONFLICT DO NOTHING
                        """)
                .param("job", job)
                .param("period", Timestamp.from(periodStart))
                .param("replica", replica)
                .update();
        if (claimed == 0) {
            log.debug("job={} period={} decision=skip (another replica claimed it)", job, periodStart);
            return false;
        }
        log.info("job={} period={} replica={} decision=run", job, periodStart, replica);
        work.run();
        return true;
    }
}
