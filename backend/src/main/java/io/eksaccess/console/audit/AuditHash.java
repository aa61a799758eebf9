package io.eksaccess.console.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The chain's hash: SHA-256 over a canonical rendering of a row's content and the previous row's
 * hash. Canonical means independent of how PostgreSQL stores it (JSONB reorders keys; timestamps
 * keep microseconds), so verification recomputes it from the stored row. With a chain key
 * ({@link AuditChainKey}) the same rendering goes through HMAC-SHA256 instead; each row stores
 * which of the two it used ({@code hash_scheme}, V18).
 */
final class AuditHash {

    static final String GENESIS = "0".repeat(64);

    /** How a row's hash was computed; stored per row so a history keyed part-way still verifies. */
    enum Scheme {
        SHA256,
        HMAC_SHA256
    }

    private AuditHash() {}

    /** The plain (unkeyed) hash: anyone holding the rows can recompute it. */
    static String of(
            long sequence,
            UUID id,
            Instant occurredAt,
            AuditActor actor,
            String action,
            String cluster,
            String resource,
            Map<String, String> details,
            String outcome,
            String previousHash) {
        return sha256(canonical(sequence, id, occurredAt, actor, action, cluster, resource, details, outcome,
                previousHash));
    }

    static String canonical(
            long sequence,
            UUID id,
            Instant occurredAt,
            AuditActor actor,
            String action,
            String cluster,
            String resource,
            Map<String, String> details,
            String outcome,
            String previousHash) {
        StringBuilder canonical = new StringBuilder();
        field(canonical, "sequence", Long.toString(sequence));
        field(canonical, "id", id.toString());
        field(canonical, "occurredAt", occurredAt.truncatedTo(ChronoUnit.MICROS).toString());
        field(canonical, "actorSubject", actor.subject());
        field(canonical, "actorName", actor.displayName());
        field(canonical, "sourceIp", actor.sourceIp());
        field(canonical, "action", action);
        field(canonical, "cluster", cluster);
        field(canonical, "resource", resource);
        new TreeMap<>(details).forEach((key, value) -> field(canonical, "details." + key, value));
        field(canonical, "outcome", outcome);
        field(canonical, "previousHash", previousHash);
        return canonical.toString();
    }

    static String sha256(String canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hmacSha256(byte[] key, String canonical) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** length-prefixed, so no value can imitate a field boundary */
    private static void field(StringBuilder out, String name, String value) {
        String v = value == null ? "\u0000" : value;
        out.append(name).append(':').append(v.length()).append(':').append(v).append('\n');
    }
}
