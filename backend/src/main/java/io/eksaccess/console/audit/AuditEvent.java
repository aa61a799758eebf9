package io.eksaccess.console.audit;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One row of the audit history, as stored.
 *
 * @param action an {@link AuditAction} name; during a rolling upgrade a newer replica may write one
 *     this version does not know, so it is kept as text
 * @param details redacted, string-valued facts about the event (never secrets); empty when the stored
 *     details are not an object of strings (only someone rewriting the table can make them so)
 * @param rawDetails the stored details as JSON text when they are not an object of strings, else null
 * @param outcome an {@link AuditOutcome} name, kept as text for the same reason as {@code action}
 * @param previousHash the hash of the row before (64 zeros for the first)
 * @param hash SHA-256 (or, keyed, HMAC-SHA256) over this row's content and {@code previousHash}
 */
public record AuditEvent(
        UUID id,
        long sequence,
        Instant occurredAt,
        String actorSubject,
        String actorName,
        String sourceIp,
        String action,
        String cluster,
        String resource,
        Map<String, String> details,
        String rawDetails,
        String outcome,
        String previousHash,
        String hash) {}
