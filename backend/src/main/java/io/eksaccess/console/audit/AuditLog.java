package io.eksaccess.console.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one way anything is written to the audit history: append-only (the table's trigger refuses
 * the rest) and hash-chained. Appends are serialized by a transaction-scoped advisory lock so the
 * chain has no forks; a failure to append propagates, so callers that must fail closed do.
 */
@Component
public class AuditLog {

    /** Keys whose values never reach the history, whatever a caller passes. */
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(secret|password|token|credential|private).*");
    private static final long CHAIN_LOCK = 0x6175646974L; // "audit"
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcClient jdbc;
    private final Clock clock = Clock.systemUTC();

    AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Appends one event in its own transaction, so it is committed even if the caller's work later fails. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public AuditEvent record(
            AuditActor actor, AuditAction action, String cluster, String resource, Map<String, String> details,
            AuditOutcome outcome) {
        jdbc.sql("SELECT pg_advisory_xact_lock(:lock)").param("lock", CHAIN_LOCK).query(Object.class).optional();
        var last = jdbc.sql("SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1")
                .query((rs, row) -> new Object[] {rs.getLong(1), rs.getString(2)})
                .optional();
        long sequence = last.map(l -> (Long) l[0] + 1).orElse(1L);
        String previousHash = last.map(l -> (String) l[1]).orElse(AuditHash.GENESIS);
        UUID id = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Map<String, String> redacted = redact(details);
        String hash = AuditHash.of(sequence, id, now, actor, action.name(), cluster, resource, redacted, outcome.name(),
                previousHash);
        jdbc.sql("""
                        INSERT INTO audit_events (id, sequence, occurred_at, actor_subject, actor_name, source_ip, action,
                                                  cluster, resource, details, outcome, previous_hash, hash)
                        VALUES (:id, :sequence, :at, :subject, :name, :ip, :action, :cluster, :resource,
                                CAST(:details AS jsonb), :outcome, :previous, :hash)
                        """)
                .param("id", id)
                .param("sequence", sequence)
                .param("at", Timestamp.from(now))
                .param("subject", actor.subject())
                .param("name", actor.displayName())
                .param("ip", actor.sourceIp())
                .param("action", action.name())
                .param("cluster", cluster)
                .param("resource", resource)
                .param("details", toJson(redacted))
                .param("outcome", outcome.name())
                .param("previous", previousHash)
                .param("hash", hash)
                .update();
        return new AuditEvent(id, sequence, now, actor.subject(), actor.displayName(), actor.sourceIp(), action.name(),
                cluster, resource, redacted, outcome, previousHash, hash);
    }

    static Map<String, String> redact(Map<String, String> details) {
        Map<String, String> redacted = new TreeMap<>();
        details.forEach((key, value) -> redacted.put(key, SECRET_KEY.matcher(key).matches() ? "[redacted]" : value));
        return redacted;
    }

    private static String toJson(Map<String, String> details) {
        try {
            return JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
