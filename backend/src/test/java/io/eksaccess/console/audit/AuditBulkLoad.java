package io.eksaccess.console.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * For benchmarks only: appends valid, chained audit rows in JDBC batches, continuing the chain
 * from the last row. Much faster than {@link AuditLog#record} (no lock and round trips per row),
 * and not what the console does; it only fills a table to a size worth querying.
 */
public final class AuditBulkLoad {

    /** What row n (0-based) is about. */
    public interface Rows {
        AuditActor actor(long n);

        AuditAction action(long n);

        String cluster(long n);

        AuditOutcome outcome(long n);
    }

    private AuditBulkLoad() {}

    public static void append(DataSource dataSource, long from, long count, Rows rows) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            long sequence = 0;
            String previous = AuditHash.GENESIS;
            try (ResultSet last = connection.createStatement()
                    .executeQuery("SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1")) {
                if (last.next()) {
                    sequence = last.getLong(1);
                    previous = last.getString(2);
                }
            }
            Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO audit_events (id, sequence, occurred_at, actor_subject, actor_name, source_ip, action,
                                              cluster, resource, details, outcome, previous_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?)""")) {
                for (long n = from; n < from + count; n++) {
                    sequence++;
                    UUID id = UUID.randomUUID();
                    AuditActor actor = rows.actor(n);
                    String resource = "resource/" + n;
                    Map<String, String> details = Map.of("n", Long.toString(n));
                    String hash = AuditHash.of(sequence, id, at, actor, rows.action(n).name(), rows.cluster(n), resource,
                            details, rows.outcome(n).name(), previous);
                    insert.setObject(1, id);
                    insert.setLong(2, sequence);
                    insert.setTimestamp(3, Timestamp.from(at));
                    insert.setString(4, actor.subject());
                    insert.setString(5, actor.displayName());
                    insert.setString(6, actor.sourceIp());
                    insert.setString(7, rows.action(n).name());
                    insert.setString(8, rows.cluster(n));
                    insert.setString(9, resource);
                    insert.setString(10, "{\"n\":\"" + n + "\"}");
                    insert.setString(11, rows.outcome(n).name());
                    insert.setString(12, previous);
                    insert.setString(13, hash);
                    insert.addBatch();
                    previous = hash;
                    if (sequence % 5_000 == 0) {
                        insert.executeBatch();
                        connection.commit();
                        at = at.plusMillis(1);
                    }
                }
                insert.executeBatch();
                connection.commit();
            }
        }
    }
}
