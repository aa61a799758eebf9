package io.eksaccess.console.request;

import io.eksaccess.console.apply.MappingChangeJson;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** access_requests and request_reviews. State changes are conditional on the state they leave. */
@Repository
class RequestRepository {

    private static final String COLUMNS = """
            id, cluster, requester_subject, requester_name, change::text AS change, justification, duration_hours,
            state, break_glass, override_lockout, approvals_needed, created_at, updated_at, expires_at, resolved_at,
            applied_at, grant_ends_at, outcome_message, outcome_diff, before_hash, after_hash,
            inverse_change::text AS inverse_change, revoke_message""";

    private final JdbcClient jdbc;

    RequestRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(String cluster, Person requester, String changeJson, String justification, Integer durationHours,
            RequestState state, boolean breakGlass, boolean overrideLockout, int approvalsNeeded, Instant expiresAt) {
        return insert(cluster, requester, changeJson, justification, durationHours, state, breakGlass, overrideLockout,
                approvalsNeeded, expiresAt, null);
    }

    /** @param undoes the applied request this one undoes (an undo from the history), or null */
    long insert(String cluster, Person requester, String changeJson, String justification, Integer durationHours,
            RequestState state, boolean breakGlass, boolean overrideLockout, int approvalsNeeded, Instant expiresAt,
            Long undoes) {
        return jdbc.sql("""
                        INSERT INTO access_requests (cluster, requester_subject, requester_name, change, justification,
                                                     duration_hours, state, break_glass, override_lockout,
                                                     approvals_needed, expires_at, resolved_at, undoes)
                        VALUES (:cluster, :subject, :name, CAST(:change AS jsonb), :justification, :duration, :state,
                                :breakGlass, :override, :needed, :expires, CASE WHEN CAST(:resolved AS boolean) THEN now() END,
                                :undoes)
                        RETURNING id
                        """)
                .param("undoes", undoes)
                .param("cluster", cluster)
                .param("subject", requester.subject())
                .param("name", requester.displayName())
                .param("change", changeJson)
                .param("justification", justification)
                .param("duration", durationHours)
                .param("state", state.name())
                .param("breakGlass", breakGlass)
                .param("override", overrideLockout)
                .param("needed", approvalsNeeded)
                .param("expires", Timestamp.from(expiresAt))
                .param("resolved", state != RequestState.PENDING)
                .query(Long.class)
                .single();
    }

    Optional<AccessRequest> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM access_requests WHERE id = :id").param("id", id)
                .query(RequestRepository::row).optional();
    }

    /** Serializes filings on one cluster until the caller's transaction ends (taken before anything is written). */
    void lockFilingsOf(String cluster) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('request-filing:' || :cluster))").param("cluster", cluster)
                .query(Object.class).optional();
    }

    /** The request this one undoes (an undo from the history), if it is one. */
    Optional<Long> undone(long id) {
        return jdbc.sql("SELECT undoes FROM access_requests WHERE id = :id AND undoes IS NOT NULL").param("id", id)
                .query(Long.class).optional();
    }

    /** An undo of this request that is still open (pending, approved or being applied), if any. */
    Optional<Long> openUndoOf(long id) {
        return jdbc.sql("""
                        SELECT id FROM access_requests
                         WHERE undoes = :id AND state IN ('PENDING', 'APPROVED', 'APPLYING') ORDER BY id LIMIT 1""")
                .param("id", id).query(Long.class).optional();
    }

    /** The row, locked until the caller's transaction ends: reviews of one request are serialized here. */
    Optional<AccessRequest> lock(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM access_requests WHERE id = :id FOR UPDATE").param("id", id)
                .query(RequestRepository::row).optional();
    }

    /** Moves the request from {@code from} to {@code to}; false when it was not in {@code from} (someone else moved it). */
    boolean transition(long id, RequestState from, RequestState to, String message) {
        boolean resolves = to != RequestState.APPROVED && to != RequestState.APPLYING;
        return jdbc.sql("""
                        UPDATE access_requests
                           SET state = :to, updated_at = now(),
                               resolved_at = CASE WHEN CAST(:resolves AS boolean) THEN coalesce(resolved_at, now()) ELSE resolved_at END,
                               outcome_message = coalesce(CAST(:message AS text), outcome_message)
                         WHERE id = :id AND state = :from
                        """)
                .param("id", id).param("from", from.name()).param("to", to.name())
                .param("resolves", resolves).param("message", message)
                .update() == 1;
    }

    boolean recordApplied(long id, String message, List<String> diff, String beforeHash, String afterHash,
            String inverseJson, Integer durationHours) {
        return jdbc.sql("""
                        UPDATE access_requests
                           SET state = 'APPLIED', updated_at = now(), resolved_at = coalesce(resolved_at, now()),
                               applied_at = now(),
                               grant_ends_at = CASE WHEN CAST(:hours AS int) IS NULL THEN NULL
                                                    ELSE now() + make_interval(hours => CAST(:hours AS int)) END,
                               outcome_message = :message, outcome_diff = :diff, before_hash = :before,
                               after_hash = :after, inverse_change = CAST(:inverse AS jsonb)
                         WHERE id = :id AND state = 'APPLYING'
                        """)
                .param("id", id).param("message", message).param("diff", String.join("\n", diff))
                .param("before", beforeHash).param("after", afterHash).param("inverse", inverseJson)
                .param("hours", durationHours)
                .update() == 1;
    }

    boolean recordFailed(long id, String message, List<String> diff) {
        return jdbc.sql("""
                        UPDATE access_requests
                           SET state = 'FAILED', updated_at = now(), resolved_at = coalesce(resolved_at, now()),
                               outcome_message = :message, outcome_diff = :diff
                         WHERE id = :id AND state = 'APPLYING'
                        """)
                .param("id", id).param("message", message).param("diff", String.join("\n", diff))
                .update() == 1;
    }

    /** What an apply that is still running (an EKS update) is waiting for, shown while APPLYING. */
    void recordProgress(long id, String message) {
        jdbc.sql("UPDATE access_requests SET outcome_message = :message, updated_at = now() WHERE id = :id AND state = 'APPLYING'")
                .param("id", id).param("message", message).update();
    }

    boolean recordRevoked(long id, String message) {
        return jdbc.sql("""
                        UPDATE access_requests SET state = 'REVOKED', updated_at = now(), revoke_message = :message
                         WHERE id = :id AND state = 'APPLIED'
                        """)
                .param("id", id).param("message", message).update() == 1;
    }

    /**
     * A request applied after {@code after} that asked for this role or user mapping without an end and found
     * it in place (no way back stored), if any: the mapping is then that request's too. Asked without an end:
     * {@code duration_hours}, since a grant that found its access in place is recorded without an end too.
     */
    Optional<AccessRequest> laterPermanentAskingFor(String cluster, String arn, Instant after) {
        return jdbc.sql("SELECT " + COLUMNS + " " + """
                         FROM access_requests WHERE cluster = :c AND state = 'APPLIED' AND inverse_change IS NULL
                          AND grant_ends_at IS NULL AND duration_hours IS NULL AND applied_at > :after
                          AND change->>'kind' IN ('MAP_ROLE', 'MAP_USER') AND lower(change->>'arn') = lower(:arn)
                        ORDER BY id LIMIT 1""")
                .param("c", cluster).param("arn", arn).param("after", Timestamp.from(after))
                .query(RequestRepository::row).optional();
    }

    /**
     * A grant applied after {@code after} that asked for this role or user mapping and found it in place, so it
     * was recorded with no way back and no end, and whose own duration runs past {@code now}: the one ending last.
     */
    Optional<AccessRequest> laterGrantFoundInPlace(String cluster, String arn, Instant after, Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " " + """
                         FROM access_requests WHERE cluster = :c AND state = 'APPLIED' AND inverse_change IS NULL
                          AND grant_ends_at IS NULL AND duration_hours IS NOT NULL AND NOT break_glass
                          AND applied_at > :after AND applied_at + make_interval(hours => duration_hours) > :now
                          AND change->>'kind' IN ('MAP_ROLE', 'MAP_USER') AND lower(change->>'arn') = lower(:arn)
                        ORDER BY applied_at + make_interval(hours => duration_hours) DESC, id DESC LIMIT 1""")
                .param("c", cluster).param("arn", arn).param("after", Timestamp.from(after))
                .param("now", Timestamp.from(now)).query(RequestRepository::row).optional();
    }

    /** Gives a grant found in place an ended grant's way back, and its own end (applied + duration). */
    boolean takeOverWayBack(long id, String inverseJson) {
        return jdbc.sql("""
                        UPDATE access_requests SET inverse_change = CAST(:inverse AS jsonb), updated_at = now(),
                               grant_ends_at = applied_at + make_interval(hours => duration_hours)
                         WHERE id = :id AND state = 'APPLIED' AND inverse_change IS NULL AND duration_hours IS NOT NULL
                        """)
                .param("id", id).param("inverse", inverseJson).update() == 1;
    }

    /** Like {@link #laterPermanentAskingFor}, for an association of this policy with this principal's access entry. */
    Optional<AccessRequest> laterPermanentAssociating(String cluster, String principalArn, String policyArn, Instant after) {
        return jdbc.sql("SELECT " + COLUMNS + " " + """
                         FROM access_requests WHERE cluster = :c AND state = 'APPLIED' AND inverse_change IS NULL
                          AND grant_ends_at IS NULL AND duration_hours IS NULL AND applied_at > :after
                          AND change->>'kind' = 'ASSOCIATE_ACCESS_POLICY'
                          AND change->>'principalArn' = :p AND change->>'policyArn' = :policy
                        ORDER BY id LIMIT 1""")
                .param("c", cluster).param("p", principalArn).param("policy", policyArn)
                .param("after", Timestamp.from(after)).query(RequestRepository::row).optional();
    }

    /** Applied requests on the cluster after this one whose stored way back is an aws-auth role or user change of this ARN. */
    List<AccessRequest> appliedAfterWithMappingInverse(String cluster, long after, String arn) {
        return jdbc.sql("SELECT " + COLUMNS + " " + """
                         FROM access_requests WHERE cluster = :c AND state = 'APPLIED' AND id > :after
                          AND inverse_change->>'kind' IN ('MAP_ROLE', 'UNMAP_ROLE', 'MAP_USER', 'UNMAP_USER')
                          AND lower(inverse_change->>'arn') = lower(:arn) ORDER BY id""")
                .param("c", cluster).param("after", after).param("arn", arn).query(RequestRepository::row).list();
    }

    /** Applied requests on the cluster whose stored way back is of this kind, for this principal and policy. */
    List<AccessRequest> appliedWithInverse(String cluster, String kind, String principalArn, String policyArn) {
        return jdbc.sql("SELECT " + COLUMNS + " " + """
                         FROM access_requests WHERE cluster = :c AND state = 'APPLIED'
                          AND inverse_change->>'kind' = :kind AND inverse_change->>'principalArn' = :principal
                          AND inverse_change->>'policyArn' = :policy ORDER BY id""")
                .param("c", cluster).param("kind", kind).param("principal", principalArn).param("policy", policyArn)
                .query(RequestRepository::row).list();
    }

    /**
     * Requests about this principal (ARN in any case, or account) applied on the cluster before the instant,
     * whether they still hold or have ended since; newest first.
     */
    List<AccessRequest> appliedBefore(String cluster, String principal, Instant before, long excluding) {
        return jdbc.sql("SELECT " + COLUMNS + " " + """
                         FROM access_requests WHERE cluster = :c AND state IN ('APPLIED', 'REVOKED')
                          AND applied_at < :before AND id <> :excluding
                          AND lower(coalesce(change->>'arn', change->>'principalArn', change->>'accountId')) = lower(:p)
                        ORDER BY applied_at DESC, id DESC LIMIT 50""")
                .param("c", cluster).param("p", principal).param("before", Timestamp.from(before))
                .param("excluding", excluding)
                .query(RequestRepository::row).list();
    }

    boolean replaceInverse(long id, String inverseJson) {
        return jdbc.sql("""
                        UPDATE access_requests SET inverse_change = CAST(:inverse AS jsonb), updated_at = now()
                         WHERE id = :id AND state = 'APPLIED'
                        """)
                .param("id", id).param("inverse", inverseJson).update() == 1;
    }

    void recordRevokeProblem(long id, String message) {
        jdbc.sql("UPDATE access_requests SET revoke_message = :message, updated_at = now() WHERE id = :id")
                .param("id", id).param("message", message).update();
    }

    /** Claims an APPLYING request that nobody has touched since {@code staleBefore}, for recovery. */
    boolean claimStaleApplying(long id, Instant staleBefore) {
        return jdbc.sql("""
                        UPDATE access_requests SET updated_at = now()
                         WHERE id = :id AND state = 'APPLYING' AND updated_at < :before
                        """)
                .param("id", id).param("before", Timestamp.from(staleBefore)).update() == 1;
    }

    boolean markExpiringNotified(long id) {
        return jdbc.sql("UPDATE access_requests SET expiring_notified = TRUE WHERE id = :id AND NOT expiring_notified")
                .param("id", id).update() == 1;
    }

    List<AccessRequest> inStateOn(String cluster, RequestState state) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM access_requests WHERE cluster = :c AND state = :state ORDER BY id")
                .param("c", cluster).param("state", state.name()).query(RequestRepository::row).list();
    }

    List<AccessRequest> inState(RequestState state) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM access_requests WHERE state = :state ORDER BY id")
                .param("state", state.name()).query(RequestRepository::row).list();
    }

    List<AccessRequest> pendingPast(Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM access_requests WHERE state = 'PENDING' AND expires_at <= :now")
                .param("now", Timestamp.from(now)).query(RequestRepository::row).list();
    }

    List<AccessRequest> grantsEndingBy(Instant by) {
        return jdbc.sql("SELECT " + COLUMNS + " " + """
                         FROM access_requests WHERE state = 'APPLIED' AND grant_ends_at IS NOT NULL
                          AND grant_ends_at <= :by ORDER BY grant_ends_at""")
                .param("by", Timestamp.from(by)).query(RequestRepository::row).list();
    }

    /** Applied grants on the cluster whose end is still to come or still to be revoked. */
    List<AccessRequest> grantsOn(String cluster) {
        return jdbc.sql("SELECT " + COLUMNS + " " + """
                         FROM access_requests WHERE cluster = :c AND state = 'APPLIED' AND grant_ends_at IS NOT NULL
                        ORDER BY id""")
                .param("c", cluster).query(RequestRepository::row).list();
    }

    List<AccessRequest> grantsNotWarnedEndingBy(Instant by) {
        return jdbc.sql("SELECT " + COLUMNS + " " + """
                         FROM access_requests WHERE state = 'APPLIED' AND grant_ends_at IS NOT NULL
                          AND grant_ends_at <= :by AND NOT expiring_notified ORDER BY grant_ends_at""")
                .param("by", Timestamp.from(by)).query(RequestRepository::row).list();
    }

    List<AccessRequest> filedBy(String subject, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM access_requests WHERE requester_subject = :s ORDER BY id DESC LIMIT :l")
                .param("s", subject).param("l", limit).query(RequestRepository::row).list();
    }

    List<AccessRequest> recent(int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM access_requests ORDER BY id DESC LIMIT :l")
                .param("l", limit).query(RequestRepository::row).list();
    }

    /** One person's requests that are open, applied (maybe still granting) or resolved since then. */
    List<AccessRequest> filedByOpenActiveOrResolvedSince(String subject, Instant since) {
        return jdbc.sql("SELECT " + COLUMNS + " " + """
                         FROM access_requests
                        WHERE requester_subject = :s
                          AND (state IN ('PENDING', 'APPROVED', 'APPLYING', 'APPLIED') OR resolved_at > :since)
                        ORDER BY id DESC LIMIT 500""")
                .param("s", subject).param("since", Timestamp.from(since)).query(RequestRepository::row).list();
    }

    List<AccessRequest> unrevokedBy(Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " " + """
                         FROM access_requests WHERE state = 'APPLIED' AND grant_ends_at IS NOT NULL
                          AND grant_ends_at <= :now AND revoke_message IS NOT NULL ORDER BY grant_ends_at""")
                .param("now", Timestamp.from(now)).query(RequestRepository::row).list();
    }

    List<AccessRequest> openFor(String cluster) {
        return jdbc.sql("SELECT " + COLUMNS + " " + """
                         FROM access_requests WHERE cluster = :c AND state IN ('PENDING', 'APPROVED', 'APPLYING')
                        ORDER BY id""")
                .param("c", cluster).query(RequestRepository::row).list();
    }

    List<AccessRequest> lastAppliedOn(String cluster, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " " + """
                         FROM access_requests WHERE cluster = :c AND applied_at IS NOT NULL
                        ORDER BY applied_at DESC LIMIT :l""")
                .param("c", cluster).param("l", limit).query(RequestRepository::row).list();
    }

    long breakGlassSince(Instant since) {
        return jdbc.sql("SELECT count(*) FROM access_requests WHERE break_glass AND created_at > :since")
                .param("since", Timestamp.from(since == null ? Instant.EPOCH : since)).query(Long.class).single();
    }

    /** Pending requests someone else filed that this person has not reviewed yet. */
    List<AccessRequest> pendingNotReviewedBy(String subject) {
        return jdbc.sql("SELECT " + COLUMNS + " " + """
                         FROM access_requests r
                        WHERE state = 'PENDING' AND requester_subject <> :s
                          AND NOT EXISTS (SELECT 1 FROM request_reviews v WHERE v.request_id = r.id
                                                                            AND v.reviewer_subject = :s)
                        ORDER BY id""")
                .param("s", subject).query(RequestRepository::row).list();
    }

    List<Review> reviews(long requestId) {
        return jdbc.sql("""
                        SELECT id, request_id, reviewer_subject, reviewer_name, decision, comment, created_at
                          FROM request_reviews WHERE request_id = :id ORDER BY id
                        """)
                .param("id", requestId)
                .query((rs, n) -> new Review(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        Review.Decision.valueOf(rs.getString(5)), rs.getString(6), rs.getTimestamp(7).toInstant()))
                .list();
    }

    void insertReview(long requestId, Person reviewer, Review.Decision decision, String comment) {
        jdbc.sql("""
                        INSERT INTO request_reviews (request_id, reviewer_subject, reviewer_name, decision, comment)
                        VALUES (:id, :subject, :name, :decision, :comment)
                        """)
                .param("id", requestId).param("subject", reviewer.subject()).param("name", reviewer.displayName())
                .param("decision", decision.name()).param("comment", comment)
                .update();
    }

    private static AccessRequest row(ResultSet rs, int n) throws SQLException {
        String diff = rs.getString("outcome_diff");
        return new AccessRequest(
                rs.getLong("id"),
                rs.getString("cluster"),
                rs.getString("requester_subject"),
                rs.getString("requester_name"),
                MappingChangeJson.read(rs.getString("change")),
                rs.getString("justification"),
                (Integer) rs.getObject("duration_hours"),
                RequestState.valueOf(rs.getString("state")),
                rs.getBoolean("break_glass"),
                rs.getBoolean("override_lockout"),
                rs.getInt("approvals_needed"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "expires_at"),
                instant(rs, "resolved_at"),
                instant(rs, "applied_at"),
                instant(rs, "grant_ends_at"),
                rs.getString("outcome_message"),
                diff == null || diff.isEmpty() ? List.of() : Arrays.asList(diff.split("\n", -1)),
                rs.getString("before_hash"),
                rs.getString("after_hash"),
                MappingChangeJson.read(rs.getString("inverse_change")),
                rs.getString("revoke_message"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
