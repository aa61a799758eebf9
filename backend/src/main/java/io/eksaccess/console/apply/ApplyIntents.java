package io.eksaccess.console.apply;

import com.zaxxer.hikari.HikariDataSource;
import io.eksaccess.console.audit.AuditActor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code apply_intents} table and the advisory locks that say a live replica is working on
 * an intent. A lock is session-level on a connection of its own, held for the whole apply: if
 * the process dies, PostgreSQL ends the session and the lock is free for {@link ApplyRecovery}.
 */
@Component
public class ApplyIntents {

    /** The advisory lock class for intents ("aply"); the object id is the intent's id. */
    static final int LOCK_CLASS = 0x61706c79;

    private final DataSource dataSource;
    private final JdbcClient jdbc;

    ApplyIntents(DataSource dataSource, JdbcClient jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
    }

    /** What was asked and how it ended, for the request package and the pages. */
    public Optional<ApplyIntent> find(long intentId) {
        return jdbc.sql("SELECT * FROM apply_intents WHERE id = :id").param("id", intentId)
                .query((rs, row) -> intent(rs)).optional();
    }

    List<Long> pendingIds() {
        return jdbc.sql("SELECT id FROM apply_intents WHERE state = 'PENDING' ORDER BY id").query(Long.class).list();
    }

    /** PENDING mode changes whose EKS update is being polled. */
    List<Long> pendingUpdateIds() {
        return jdbc.sql("SELECT id FROM apply_intents WHERE state = 'PENDING' AND eks_update_id IS NOT NULL ORDER BY id")
                .query(Long.class).list();
    }

    /**
     * Stores the intent and locks it in one transaction, so no other replica can see it PENDING
     * and unlocked. Throws if the database is unavailable: then nothing may be applied.
     */
    Lease begin(ApplyCommand command) {
        Connection connection = connect();
        try {
            connection.setAutoCommit(false);
            long id;
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO apply_intents (cluster, change, request_id, actor_subject, actor_name, actor_ip, reason,
                                               break_glass, purpose)
                    VALUES (?, CAST(? AS jsonb), ?, ?, ?, ?, ?, ?, ?) RETURNING id""")) {
                insert.setString(1, command.cluster());
                insert.setString(2, MappingChangeJson.write(command.change()));
                insert.setObject(3, command.requestId());
                insert.setString(4, command.actor().subject());
                insert.setString(5, command.actor().displayName());
                insert.setString(6, command.actor().sourceIp());
                insert.setString(7, command.reason());
                insert.setBoolean(8, command.breakGlass());
                insert.setString(9, command.purpose().name());
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            lock(connection, id, "pg_advisory_lock");
            connection.commit();
            connection.setAutoCommit(true);
            return new Lease(id, connection);
        } catch (SQLException | RuntimeException e) {
            discard(connection);
            throw new IllegalStateException("the apply intent could not be stored, so nothing was applied: "
                    + e.getMessage(), e);
        }
    }

    /** The lease on a PENDING intent whose owner is gone, or empty if someone holds it or it is done. */
    Optional<Lease> claimAbandoned(long id) {
        Connection connection = connect();
        try {
            if (!lock(connection, id, "pg_try_advisory_lock")) {
                connection.close();
                return Optional.empty();
            }
            Lease lease = new Lease(id, connection);
            if (find(id).map(i -> i.state() == ApplyIntent.State.PENDING).orElse(false)) {
                return Optional.of(lease);
            }
            lease.close();
            return Optional.empty();
        } catch (SQLException | RuntimeException e) {
            discard(connection);
            throw new IllegalStateException("could not claim apply intent " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stores the plan's way back before its write is sent: after a crash the write may have happened,
     * and a fresh plan on the changed aws-auth would find nothing to undo. Throws if the database is
     * unavailable; then the write must not be sent.
     */
    void planned(long id, ChangePlan plan) {
        jdbc.sql("""
                        UPDATE apply_intents SET inverse = CAST(:inverse AS jsonb), inverse_planned = TRUE,
                               before_hash = :before, after_hash = :after, diff = :diff
                        WHERE id = :id AND state = 'PENDING'""")
                .param("inverse", plan.inverse() == null ? null : MappingChangeJson.write(plan.inverse()))
                .param("before", AwsAuthApplier.hash(plan.before()))
                .param("after", AwsAuthApplier.hash(plan.after()))
                .param("diff", String.join("\n", plan.diff()))
                .param("id", id)
                .update();
    }

    /**
     * The access-entry counterpart of {@link #planned(long, ChangePlan)}: the way back and the entry's
     * state before and after, stored before the write is sent.
     */
    void planned(long id, Change inverse, String beforeHash, String afterHash, List<String> diff) {
        jdbc.sql("""
                        UPDATE apply_intents SET inverse = CAST(:inverse AS jsonb), inverse_planned = TRUE,
                               before_hash = :before, after_hash = :after, diff = :diff
                        WHERE id = :id AND state = 'PENDING'""")
                .param("inverse", MappingChangeJson.write(inverse))
                .param("before", beforeHash)
                .param("after", afterHash)
                .param("diff", String.join("\n", diff))
                .param("id", id)
                .update();
    }

    /** The EKS update a mode change started, stored as soon as EKS returned it (the poll resumes from it). */
    void updateStarted(long id, String updateId) {
        jdbc.sql("UPDATE apply_intents SET eks_update_id = :update WHERE id = :id AND state = 'PENDING'")
                .param("update", updateId).param("id", id).update();
    }

    /**
     * The planned write that a fresh plan finds already in place: this intent's own (its process died
     * after planning), else the latest planned intent of the same request and purpose (an apply
     * retried after a write whose answer was lost). Empty: the access was there before.
     */
    Optional<ApplyIntent> plannedEarlier(long id, Long requestId, ApplyCommand.Purpose purpose) {
        return jdbc.sql("""
                        SELECT * FROM apply_intents
                         WHERE inverse_planned AND (id = :id OR (request_id = :request AND purpose = :purpose
                                                                 AND coalesce(status, '') <> 'CONFLICT'))
                         ORDER BY (id = :id) DESC, id DESC LIMIT 1""")
                .param("id", id).param("request", requestId).param("purpose", purpose.name())
                .query((rs, row) -> intent(rs)).optional();
    }

    /** The newest intent that carried out (or takes back) this request, if any was stored. */
    public Optional<ApplyIntent> latestFor(long requestId, ApplyCommand.Purpose purpose) {
        return jdbc.sql("SELECT * FROM apply_intents WHERE request_id = :request AND purpose = :purpose"
                        + " ORDER BY id DESC LIMIT 1")
                .param("request", requestId).param("purpose", purpose.name())
                .query((rs, row) -> intent(rs)).optional();
    }

    void finish(long id, ApplyResult result, boolean recovered) {
        jdbc.sql("""
                        UPDATE apply_intents SET state = 'DONE', status = :status, message = :message,
                               before_hash = coalesce(:before, before_hash), after_hash = coalesce(:after, after_hash),
                               diff = coalesce(nullif(:diff, ''), diff), attempts = :attempts,
                               recovered = :recovered, finished_at = :at,
                               -- a failure after the planned write (a lost answer) keeps the planned way back
                               inverse = coalesce(CAST(:inverse AS jsonb), inverse)
                        WHERE id = :id""")
                .param("status", result.status().name())
                .param("message", result.message())
                .param("before", result.beforeHash())
                .param("after", result.afterHash())
                .param("diff", String.join("\n", result.diff()))
                .param("attempts", result.attempts())
                .param("recovered", recovered)
                .param("inverse", result.inverse() == null ? null : MappingChangeJson.write(result.inverse()))
                .param("at", Timestamp.from(java.time.Instant.now()))
                .param("id", id)
                .update();
    }

    private Connection connect() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException("the database is unavailable, so nothing was applied: " + e.getMessage(), e);
        }
    }

    private static boolean lock(Connection connection, long id, String function) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + function + "(?, ?)")) {
            statement.setInt(1, LOCK_CLASS);
            statement.setInt(2, Math.toIntExact(id));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                Object value = rs.getObject(1);
                return !(value instanceof Boolean b) || b;
            }
        }
    }

    /** A pooled connection must never go back to the pool holding a session lock. */
    private void discard(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // evicted below anyway
        }
        if (dataSource instanceof HikariDataSource hikari) {
            hikari.evictConnection(connection);
        } else {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing more to do
            }
        }
    }

    private static ApplyIntent intent(ResultSet rs) throws SQLException {
        String status = rs.getString("status");
        String diff = rs.getString("diff");
        Timestamp finished = rs.getTimestamp("finished_at");
        String inverse = rs.getString("inverse");
        return new ApplyIntent(
                rs.getLong("id"),
                rs.getString("cluster"),
                MappingChangeJson.read(rs.getString("change")),
                rs.getObject("request_id", Long.class),
                new AuditActor(rs.getString("actor_subject"), rs.getString("actor_name"), rs.getString("actor_ip")),
                rs.getString("reason"),
                rs.getBoolean("break_glass"),
                ApplyIntent.State.valueOf(rs.getString("state")),
                status == null ? null : ApplyResult.Status.valueOf(status),
                rs.getString("message"),
                rs.getString("before_hash"),
                rs.getString("after_hash"),
                diff == null || diff.isEmpty() ? List.of() : Arrays.asList(diff.split("\n", -1)),
                rs.getObject("attempts", Integer.class),
                rs.getBoolean("recovered"),
                rs.getTimestamp("created_at").toInstant(),
                finished == null ? null : finished.toInstant(),
                inverse == null ? null : MappingChangeJson.read(inverse),
                rs.getBoolean("inverse_planned"),
                ApplyCommand.Purpose.valueOf(rs.getString("purpose")),
                rs.getString("eks_update_id"));
    }

    /** The lock on one intent, held until closed. */
    final class Lease implements AutoCloseable {

        private final long id;
        private final Connection connection;

        private Lease(long id, Connection connection) {
            this.id = id;
            this.connection = connection;
        }

        long id() {
            return id;
        }

        @Override
        public void close() {
            try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                unlock.setInt(1, LOCK_CLASS);
                unlock.setInt(2, Math.toIntExact(id));
                unlock.execute();
                connection.close();
            } catch (SQLException e) {
                discard(connection);
            }
        }
    }
}
