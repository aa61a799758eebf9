package io.eksaccess.console.audit;

import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The optional secret of the audit chain ({@code console.audit.chain-key}, e.g. from the
 * environment as {@code CONSOLE_AUDIT_CHAINKEY} or a secret file through Spring's
 * {@code configtree:}). Kept outside the database on purpose: with it, row hashes are HMACs, so
 * someone who can rewrite the table but does not hold the key cannot recompute a valid chain.
 * Without it, hashes are plain SHA-256 and only prove that nobody without database owner rights
 * changed the history.
 */
@Component
public class AuditChainKey {

    static final int MIN_LENGTH = 32;

    private final byte[] key;

    AuditChainKey(@Value("${console.audit.chain-key:}") String key) {
        if (key != null && !key.isBlank() && key.strip().length() < MIN_LENGTH) {
            throw new IllegalArgumentException("console.audit.chain-key is too short (" + key.strip().length()
                    + " characters): give at least " + MIN_LENGTH + " random characters, e.g. the output of"
                    + " 'openssl rand -base64 32', or leave it unset for unkeyed SHA-256 hashes.");
        }
        this.key = key == null || key.isBlank() ? null : key.strip().getBytes(StandardCharsets.UTF_8);
    }

    static AuditChainKey none() {
        return new AuditChainKey("");
    }

    boolean present() {
        return key != null;
    }

    /** The scheme new rows are hashed with. */
    AuditHash.Scheme scheme() {
        return present() ? AuditHash.Scheme.HMAC_SHA256 : AuditHash.Scheme.SHA256;
    }

    /** @throws IllegalStateException for a keyed scheme when this process has no key */
    String hash(AuditHash.Scheme scheme, String canonical) {
        return switch (scheme) {
            case SHA256 -> AuditHash.sha256(canonical);
            case HMAC_SHA256 -> {
                if (key == null) {
                    throw new IllegalStateException("no chain key");
                }
                yield AuditHash.hmacSha256(key, canonical);
            }
        };
    }

    @Override
    public String toString() {
        return present() ? "AuditChainKey[set]" : "AuditChainKey[none]";
    }
}
