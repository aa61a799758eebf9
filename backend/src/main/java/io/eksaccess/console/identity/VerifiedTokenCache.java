package io.eksaccess.console.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers bearer tokens that passed every check until they expire, so a program that sends the
 * same token on each call pays for the RSA signature check once instead of per call (it was a
 * sixth of a who-can call's CPU). A JWT cannot be revoked before its expiry anyway, so this
 * accepts nothing the issuer would not; a token without an expiry is never remembered.
 */
final class VerifiedTokenCache implements JwtDecoder {

    static final int MAX_TOKENS = 4096;

    private final JwtDecoder verifier;
    private final Clock clock;
    private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

    VerifiedTokenCache(JwtDecoder verifier, Clock clock) {
        this.verifier = verifier;
        this.clock = clock;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Instant now = clock.instant();
        Jwt known = verified.get(token);
        if (known != null) {
            if (stillValid(known, now)) {
                return known;
            }
            verified.remove(token);
        }
        Jwt jwt = verifier.decode(token);
        if (jwt.getExpiresAt() != null && stillValid(jwt, now)) {
            if (verified.size() >= MAX_TOKENS) {
                verified.values().removeIf(old -> !stillValid(old, now));
                if (verified.size() >= MAX_TOKENS) {
                    verified.clear(); // many live tokens at once: start over rather than grow
                }
            }
            verified.put(token, jwt);
        }
        return jwt;
    }

    /** Strictly before expiry (no clock-skew allowance on a remembered token) and not before nbf. */
    private static boolean stillValid(Jwt jwt, Instant now) {
        return jwt.getExpiresAt() != null && now.isBefore(jwt.getExpiresAt())
                && (jwt.getNotBefore() == null || !now.isBefore(jwt.getNotBefore()));
    }

    int size() {
        return verified.size();
    }
}
