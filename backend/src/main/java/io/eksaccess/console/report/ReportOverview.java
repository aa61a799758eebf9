package io.eksaccess.console.report;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What an auditor's home shows of reports: the newest one with its attestation count, and the next scheduled. */
@Component
public class ReportOverview {

    /** The newest report; {@code attestations} 0 means nobody has attested it yet. */
    public record Latest(long id, String scope, String trigger, Instant generatedAt, int attestations) {

        public boolean attested() {
            return attestations > 0;
        }
    }

    private final JdbcClient jdbc;
    private final Duration schedule;
    private final Clock clock = Clock.systemUTC();

    ReportOverview(JdbcClient jdbc, @Value("${console.reports.schedule:30d}") Duration schedule) {
        this.jdbc = jdbc;
        this.schedule = schedule;
    }

    public Optional<Latest> latest() {
        return jdbc.sql("""
                        SELECT r.id, r.scope, r.trigger, r.generated_at,
                               (SELECT count(*) FROM report_attestations a WHERE a.report_id = r.id) AS attestations
                          FROM access_reports r ORDER BY r.generated_at DESC, r.id DESC LIMIT 1""")
                .query((rs, n) -> new Latest(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getInt(5)))
                .optional();
    }

    /**
     * When the next periodic report is due (ReportSchedule cuts time into windows counted from the
     * epoch and makes one per window): the start of the next window once this one's report was made,
     * else this window's start (it is made at the next check). Empty when periodic reports are off.
     */
    public Optional<Instant> nextScheduled() {
        if (schedule.isZero() || schedule.isNegative()) {
            return Optional.empty();
        }
        long millis = schedule.toMillis();
        Instant windowStart = Instant.ofEpochMilli(clock.millis() / millis * millis);
        boolean made = jdbc.sql("SELECT count(*) FROM scheduled_job_runs WHERE job = :job AND period_start = :start")
                .param("job", ReportSchedule.JOB).param("start", Timestamp.from(windowStart))
                .query(Long.class).single() > 0;
        return Optional.of(made ? windowStart.plus(schedule) : windowStart);
    }
}
