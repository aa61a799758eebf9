package io.eksaccess.console.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Searches the history newest first with keyset pagination on {@code sequence}: a page costs the
 * same at row ten or ten million, given the indexes of V2.
 */
@Component
public class AuditQuery {

    public static final int PAGE_SIZE = 50;

    /** Filters; null or blank means "any". {@code before} is the keyset cursor (a sequence). */
    public record Filter(String actor, String cluster, AuditAction action, Instant from, Instant to, Long before) {}

    /** @param nextBefore the cursor of the next (older) page, or null on the last page */
    public record Page(List<AuditEvent> events, Long nextBefore) {}

    /**
     * Families of actions that reports list. Matched on the stored action name, so rows written under
     * a name this version no longer knows still count.
     */
    public enum Family {
        REQUESTS_APPLIED("REQUEST_APPLIED"),
        BREAK_GLASS("BREAK_GLASS%"),
        DRIFT("DRIFT%");

        private final String pattern;

        Family(String pattern) {
            this.pattern = pattern;
        }
    }

    /** One row of a family's history, without details or hashes. */
    public record Occurrence(long sequence, Instant occurredAt, String action, String actorName, String cluster,
            String resource, String outcome) {}

    private final JdbcClient jdbc;

    AuditQuery(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Page search(Filter filter) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_events WHERE TRUE");
        List<Object> params = new ArrayList<>();
        if (filter.actor() != null && !filter.actor().isBlank()) {
            sql.append(" AND (actor_subject = ? OR actor_name ILIKE ?)");
            params.add(filter.actor().trim());
            params.add("%" + filter.actor().trim().replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (filter.cluster() != null && !filter.cluster().isBlank()) {
            sql.append(" AND cluster = ?");
            params.add(filter.cluster().trim());
        }
        if (filter.action() != null) {
            sql.append(" AND action = ?");
            params.add(filter.action().name());
        }
        if (filter.from() != null) {
            sql.append(" AND occurred_at >= ?");
            params.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" AND occurred_at < ?");
            params.add(Timestamp.from(filter.to()));
        }
        if (filter.before() != null) {
            sql.append(" AND sequence < ?");
            params.add(filter.before());
        }
        sql.append(" ORDER BY sequence DESC LIMIT ").append(PAGE_SIZE + 1);
        List<AuditEvent> rows = jdbc.sql(sql.toString()).params(params).query((rs, n) -> {
            // Only someone rewriting the table can store details that are not an object of strings;
            // such a row is listed with its raw JSON text instead.
            String json = rs.getString("details");
            Map<String, String> details = AuditChainVerifier.details(json);
            return new AuditEvent(
                    rs.getObject("id", java.util.UUID.class),
                    rs.getLong("sequence"),
                    rs.getTimestamp("occurred_at").toInstant(),
                    rs.getString("actor_subject"),
                    rs.getString("actor_name"),
                    rs.getString("source_ip"),
                    rs.getString("action"),
                    rs.getString("cluster"),
                    rs.getString("resource"),
                    details == null ? Map.of() : details,
                    details == null ? json : null,
                    rs.getString("outcome"),
                    rs.getString("previous_hash"),
                    rs.getString("hash"));
        }).list();
        boolean more = rows.size() > PAGE_SIZE;
        List<AuditEvent> page = more ? rows.subList(0, PAGE_SIZE) : rows;
        return new Page(page, more ? page.get(page.size() - 1).sequence() : null);
    }

    /** Events of one family in (from, to], for one cluster or all (null), oldest first. */
    public List<Occurrence> history(Family family, Instant from, Instant to, String cluster) {
        return jdbc.sql("""
                        SELECT sequence, occurred_at, action, actor_name, cluster, resource, outcome FROM audit_events
                         WHERE occurred_at > :from AND occurred_at <= :to AND action LIKE ANY (:actions)
                           AND (CAST(:cluster AS TEXT) IS NULL OR cluster = :cluster)
                         ORDER BY sequence""")
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .param("actions", new String[] {family.pattern})
                .param("cluster", cluster)
                .query((rs, n) -> new Occurrence(rs.getLong("sequence"), rs.getTimestamp("occurred_at").toInstant(),
                        rs.getString("action"), rs.getString("actor_name"), rs.getString("cluster"),
                        rs.getString("resource"), rs.getString("outcome")))
                .list();
    }

    /** The newest row now (none while the history is empty): what reports and attestations record. */
    public Optional<AuditChainHead> head() {
        return jdbc.sql("SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1")
                .query((rs, n) -> new AuditChainHead(rs.getLong("sequence"), rs.getString("hash")))
                .optional();
    }
}
