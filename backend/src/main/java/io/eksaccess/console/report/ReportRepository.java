package io.eksaccess.console.report;

import io.eksaccess.console.audit.AuditChainHead;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reports, attestations and generation jobs in PostgreSQL (V12). Reports and attestations are insert-only. */
@Repository
public class ReportRepository {

    /** A stored report; {@code content} is the exact JSON text that {@code sha256} was computed over. */
    public record StoredReport(long id, String scope, String trigger, String requestedBy, Instant generatedAt,
            Long previousReportId, String content, String sha256) {}

    /** A row of the reports list. */
    public record ReportSummary(long id, String scope, String trigger, String requestedBy, Instant generatedAt, String sha256,
            int attestations) {}

    /** @param auditHeadSequence the audit chain's newest row when attested (null for attestations before V18) */
    public record Attestation(long id, String attestedBy, String attestedByName, Instant attestedAt, String comment,
            String exceptions, Long auditHeadSequence, String auditHeadHash) {}

    public record Job(UUID id, String scope, String trigger, String state, int doneSteps, int totalSteps, String step,
            Long reportId, String error, Instant startedAt) {

        public boolean running() {
            return "RUNNING".equals(state);
        }

        public int percent() {
            return totalSteps == 0 ? 0 : Math.min(100, doneSteps * 100 / totalSteps);
        }
    }

    private final JdbcClient jdbc;

    ReportRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(String scope, String trigger, String requestedBy, Instant generatedAt, Long previousId, String content,
            String sha256) {
        return jdbc.sql("""
                        INSERT INTO access_reports (scope, trigger, requested_by, generated_at, previous_report_id,
                                                    content, content_sha256)
                        VALUES (:scope, :trigger, :by, :at, :previous, :content, :sha) RETURNING id""")
                .param("scope", scope)
                .param("trigger", trigger)
                .param("by", requestedBy)
                .param("at", Timestamp.from(generatedAt))
                .param("previous", previousId)
                .param("content", content)
                .param("sha", sha256)
                .query(Long.class)
                .single();
    }

    Optional<StoredReport> find(long id) {
        return jdbc.sql("SELECT * FROM access_reports WHERE id = :id").param("id", id)
                .query((rs, n) -> new StoredReport(rs.getLong("id"), rs.getString("scope"), rs.getString("trigger"),
                        rs.getString("requested_by"), rs.getTimestamp("generated_at").toInstant(),
                        (Long) rs.getObject("previous_report_id"), rs.getString("content"),
                        rs.getString("content_sha256")))
                .optional();
    }

    Optional<StoredReport> latest(String scope) {
        return jdbc.sql("SELECT id FROM access_reports WHERE scope = :scope ORDER BY generated_at DESC, id DESC LIMIT 1")
                .param("scope", scope).query(Long.class).optional().flatMap(this::find);
    }

    List<ReportSummary> recent(int limit) {
        return jdbc.sql("""
                        SELECT r.id, r.scope, r.trigger, r.requested_by, r.generated_at, r.content_sha256,
                               (SELECT count(*) FROM report_attestations a WHERE a.report_id = r.id) AS attestations
                          FROM access_reports r ORDER BY r.generated_at DESC, r.id DESC LIMIT :limit""")
                .param("limit", limit)
                .query((rs, n) -> new ReportSummary(rs.getLong("id"), rs.getString("scope"), rs.getString("trigger"),
                        rs.getString("requested_by"), rs.getTimestamp("generated_at").toInstant(),
                        rs.getString("content_sha256"), rs.getInt("attestations")))
                .list();
    }

    void attest(long reportId, String subject, String name, Instant at, String comment, String exceptions,
            AuditChainHead auditHead) {
        jdbc.sql("""
                        INSERT INTO report_attestations (report_id, attested_by, attested_by_name, attested_at, comment,
                                                         exceptions, audit_head_sequence, audit_head_hash)
                        VALUES (:report, :subject, :name, :at, :comment, :exceptions, :headSequence, :headHash)""")
                .param("report", reportId)
                .param("subject", subject)
                .param("name", name)
                .param("at", Timestamp.from(at))
                .param("comment", comment)
                .param("exceptions", exceptions)
                .param("headSequence", auditHead == null ? null : auditHead.sequence())
                .param("headHash", auditHead == null ? null : auditHead.hash())
                .update();
    }

    /** Until the transaction ends (an advisory lock: reports take no row locks, they are never updated). */
    void lockAttestationsOf(long reportId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('report-attestations:' || :id))").param("id", reportId)
                .query(Object.class).optional();
    }

    List<Attestation> attestations(long reportId) {
        return jdbc.sql("SELECT * FROM report_attestations WHERE report_id = :id ORDER BY attested_at, id")
                .param("id", reportId)
                .query((rs, n) -> new Attestation(rs.getLong("id"), rs.getString("attested_by"),
                        rs.getString("attested_by_name"), rs.getTimestamp("attested_at").toInstant(),
                        rs.getString("comment"), rs.getString("exceptions"),
                        (Long) rs.getObject("audit_head_sequence"), rs.getString("audit_head_hash")))
                .list();
    }

    void startJob(UUID id, String scope, String trigger, Instant at) {
        jdbc.sql("""
                        INSERT INTO report_jobs (id, scope, trigger, state, started_at)
                        VALUES (:id, :scope, :trigger, 'RUNNING', :at)""")
                .param("id", id).param("scope", scope).param("trigger", trigger).param("at", Timestamp.from(at))
                .update();
    }

    void progress(UUID id, int done, int total, String step) {
        jdbc.sql("UPDATE report_jobs SET done_steps = :done, total_steps = :total, step = :step WHERE id = :id")
                .param("id", id).param("done", done).param("total", total).param("step", step).update();
    }

    void finishJob(UUID id, long reportId, Instant at) {
        jdbc.sql("""
                        UPDATE report_jobs SET state = 'DONE', report_id = :report, done_steps = total_steps,
                               finished_at = :at WHERE id = :id""")
                .param("id", id).param("report", reportId).param("at", Timestamp.from(at)).update();
    }

    void failJob(UUID id, String error, Instant at) {
        jdbc.sql("UPDATE report_jobs SET state = 'FAILED', error = :error, finished_at = :at WHERE id = :id")
                .param("id", id).param("error", error).param("at", Timestamp.from(at)).update();
    }

    Optional<Job> job(UUID id) {
        return jdbc.sql("SELECT * FROM report_jobs WHERE id = :id").param("id", id)
                .query((rs, n) -> new Job(rs.getObject("id", UUID.class), rs.getString("scope"), rs.getString("trigger"),
                        rs.getString("state"), rs.getInt("done_steps"), rs.getInt("total_steps"), rs.getString("step"),
                        (Long) rs.getObject("report_id"), rs.getString("error"),
                        rs.getTimestamp("started_at").toInstant()))
                .optional();
    }
}
