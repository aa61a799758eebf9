package io.eksaccess.console.audit;

import io.eksaccess.console.system.ScheduledJobs;
import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Verifies the audit hash chain in the background, on one replica per
 * {@code console.audit.verify-interval} (default 1 hour; 0 turns it off), and keeps each result
 * in {@code audit_chain_verifications} for the audit page. A broken chain is logged at ERROR; an intact
 * one leaves its head as a checkpoint, so rows that later vanish from the end are noticed.
 */
@Component
public class AuditChainVerificationJob {

    /** The latest verification, as the audit page shows it. */
    public record LastVerification(Instant verifiedAt, long rows, Long firstBrokenSequence, String problem) {
        public boolean intact() {
            return firstBrokenSequence == null;
        }
    }

    static final String JOB = "audit-chain-verification";
    private static final Logger log = LoggerFactory.getLogger(AuditChainVerificationJob.class);

    private final AuditChainVerifier verifier;
    private final ScheduledJobs jobs;
    private final JdbcClient jdbc;
    private final Duration interval;
    private final String replica;
    private final Clock clock = Clock.systemUTC();

    AuditChainVerificationJob(AuditChainVerifier verifier, ScheduledJobs jobs, JdbcClient jdbc,
            @Value("${console.audit.verify-interval:1h}") Duration interval,
            @Value("${console.replica-id:}") String replicaId) {
        this.verifier = verifier;
        this.jobs = jobs;
        this.jdbc = jdbc;
        this.interval = interval;
        this.replica = replicaId.isBlank() ? ManagementFactory.getRuntimeMXBean().getName() : replicaId;
    }

    @Scheduled(initialDelayString = "${console.audit.verify-check-interval:1m}",
            fixedDelayString = "${console.audit.verify-check-interval:1m}")
    void check() {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        jobs.runOncePerWindow(JOB, interval, this::verifyAndRecord);
    }

    /** Walks the chain now and records the result and checkpoint (also used by the page's "verify" button). */
    public AuditChainVerifier.Result verifyAndRecord() {
        AuditChainVerifier.Result result = verifier.verifyAndCheckpoint("replica " + replica);
        jdbc.sql("""
                        INSERT INTO audit_chain_verifications (verified_at, rows_checked, first_broken_sequence, problem,
                                                               replica)
                        VALUES (:at, :rows, :broken, :problem, :replica)""")
                .param("at", Timestamp.from(clock.instant()))
                .param("rows", result.rows())
                .param("broken", result.firstBrokenSequence())
                .param("problem", result.problem())
                .param("replica", replica)
                .update();
        if (result.intact()) {
            log.info("audit chain verified: rows={} outcome=intact", result.rows());
        } else {
            log.error("AUDIT CHAIN BROKEN at sequence={}: {} (rows checked={}). The audit history was altered;"
                    + " investigate who had owner rights to the database.", result.firstBrokenSequence(),
                    result.problem(), result.rows());
        }
        return result;
    }

    public Optional<LastVerification> last() {
        return jdbc.sql("""
                        SELECT verified_at, rows_checked, first_broken_sequence, problem FROM audit_chain_verifications
                         ORDER BY verified_at DESC, id DESC LIMIT 1""")
                .query((rs, n) -> new LastVerification(rs.getTimestamp("verified_at").toInstant(),
                        rs.getLong("rows_checked"), (Long) rs.getObject("first_broken_sequence"),
                        rs.getString("problem")))
                .optional();
    }
}
