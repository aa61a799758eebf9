package io.eksaccess.console.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Recent deliveries, newest first, for the admin's delivery log. */
@Component
public class DeliveryLog {

    static final int LIMIT = 200;

    /** One delivery of one event to one endpoint, as the log shows it. */
    public record Entry(
            long id, long endpointId, String endpointName, String eventType, String cluster, Long requestId,
            String summary, String status, int attempts, Integer lastHttpStatus, String lastError, Instant createdAt,
            Instant lastAttemptAt, Instant nextAttemptAt, Instant deliveredAt) {

        public boolean pending() {
            return "PENDING".equals(status);
        }
    }

    private final JdbcClient jdbc;

    DeliveryLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @param endpointId only this endpoint's deliveries, or all when null */
    public List<Entry> recent(Long endpointId) {
        return jdbc.sql("""
                        SELECT d.id, d.endpoint_id, e.name, o.type, o.cluster, o.request_id, o.summary, d.status, d.attempts,
                               d.last_http_status, d.last_error, d.created_at, d.last_attempt_at, d.next_attempt_at,
                               d.delivered_at
                          FROM notification_deliveries d
                          JOIN notification_endpoints e ON e.id = d.endpoint_id
                          JOIN notification_outbox o ON o.id = d.outbox_id
                         WHERE CAST(:endpoint AS bigint) IS NULL OR d.endpoint_id = :endpoint
                         ORDER BY d.id DESC
                         LIMIT :limit""")
                .param("endpoint", endpointId)
                .param("limit", LIMIT)
                .query(DeliveryLog::entry)
                .list();
    }

    private static Entry entry(ResultSet rs, int row) throws SQLException {
        return new Entry(
                rs.getLong("id"),
                rs.getLong("endpoint_id"),
                rs.getString("name"),
                rs.getString("type"),
                rs.getString("cluster"),
                rs.getObject("request_id", Long.class),
                rs.getString("summary"),
                rs.getString("status"),
                rs.getInt("attempts"),
                rs.getObject("last_http_status", Integer.class),
                rs.getString("last_error"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("last_attempt_at")),
                instant(rs.getTimestamp("next_attempt_at")),
                instant(rs.getTimestamp("delivered_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
