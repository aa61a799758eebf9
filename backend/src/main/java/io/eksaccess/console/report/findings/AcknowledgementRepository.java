package io.eksaccess.console.report.findings;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** finding_acknowledgements: appended, never updated; the newest row per finding decides. */
@Repository
class AcknowledgementRepository {

    private final JdbcClient jdbc;

    AcknowledgementRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The acknowledgements in force at {@code now}: per finding the newest one, if it has not expired. */
    List<Acknowledgement> inForce(long clusterId, Instant now) {
        return jdbc.sql("""
                        SELECT * FROM (
                            SELECT DISTINCT ON (finding_id, resource) *
                            FROM finding_acknowledgements WHERE cluster_id = :cluster
                            ORDER BY finding_id, resource, acknowledged_at DESC, id DESC) newest
                        WHERE expires_at > :now
                        """)
                .param("cluster", clusterId)
                .param("now", Timestamp.from(now))
                .query((rs, row) -> new Acknowledgement(rs.getString("finding_id"), rs.getString("resource"),
                        rs.getString("reason"), rs.getTimestamp("expires_at").toInstant(), rs.getString("actor_name"),
                        rs.getTimestamp("acknowledged_at").toInstant()))
                .list();
    }

    void insert(long clusterId, String findingId, String resource, String reason, Instant expiresAt, String actorSubject,
            String actorName, Instant now) {
        jdbc.sql("""
                        INSERT INTO finding_acknowledgements (cluster_id, finding_id, resource, reason, expires_at,
                                                              actor_subject, actor_name, acknowledged_at)
                        VALUES (:cluster, :finding, :resource, :reason, :expires, :subject, :name, :now)
                        """)
                .param("cluster", clusterId)
                .param("finding", findingId)
                .param("resource", resource)
                .param("reason", reason)
                .param("expires", Timestamp.from(expiresAt))
                .param("subject", actorSubject)
                .param("name", actorName)
                .param("now", Timestamp.from(now))
                .update();
    }
}
