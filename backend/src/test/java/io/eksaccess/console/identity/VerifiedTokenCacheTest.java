package io.eksaccess.console.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.eksaccess.console.testsupport.MovableClock;
import io.eksaccess.console.testsupport.RunsAlongside;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** Real RS256 tokens checked by Spring's own decoder; the cache only decides when to ask it again. */
@RunsAlongside(seconds = 5)
class VerifiedTokenCacheTest {

    static final KeyPair KEYS = rsa();

    final MovableClock clock = new MovableClock();
    final AtomicInteger verifications = new AtomicInteger();
    final JwtDecoder verifier = verifierAt(clock);
    final VerifiedTokenCache cache = new VerifiedTokenCache(token -> {
        verifications.incrementAndGet();
        return verifier.decode(token);
    }, clock);

    @Test
    void aGoodTokenIsVerifiedOnceAndAnsweredFromMemoryUntilItExpires() {
        String token = signed(KEYS, clock.instant().plus(Duration.ofMinutes(10)));
        Jwt first = cache.decode(token);
        Jwt again = cache.decode(token);
        assertThat(again).isSameAs(first);
        assertThat(verifications).hasValue(1);

        clock.advance(Duration.ofMinutes(10));
        // At its expiry the remembered token is dropped and the verifier decides (it still allows
        // its 60 s of clock skew, but nothing is remembered past the expiry).
        cache.decode(token);
        assertThat(verifications).hasValue(2);
        assertThat(cache.size()).isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(() -> cache.decode(token)).isInstanceOf(JwtException.class).hasMessageContaining("expired");
    }

    @Test
    void aTokenSignedByAnotherKeyOrAlteredIsNeverRemembered() {
        String foreign = signed(rsa(), clock.instant().plus(Duration.ofMinutes(10)));
        assertThatThrownBy(() -> cache.decode(foreign)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> cache.decode(foreign)).isInstanceOf(JwtException.class);
        assertThat(verifications).hasValue(2);

        String good = signed(KEYS, clock.instant().plus(Duration.ofMinutes(10)));
        cache.decode(good);
        String[] parts = good.split("\\.");
        String altered = parts[0] + "." + parts[1] + "x." + parts[2];
        assertThatThrownBy(() -> cache.decode(altered)).isInstanceOf(JwtException.class);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aTokenWithoutExpiryIsVerifiedEveryTime() {
        String token = signed(KEYS, null);
        cache.decode(token);
        cache.decode(token);
        assertThat(verifications).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void memoryStaysBoundedWithManyLiveTokens() {
        for (int i = 0; i <= VerifiedTokenCache.MAX_TOKENS + 10; i++) {
            cache.decode(signed(KEYS, clock.instant().plus(Duration.ofMinutes(10)).plusMillis(i * 1000L)));
        }
        assertThat(cache.size()).isLessThanOrEqualTo(VerifiedTokenCache.MAX_TOKENS);
    }

    static JwtDecoder verifierAt(MovableClock clock) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey((RSAPublicKey) KEYS.getPublic()).build();
        JwtTimestampValidator timestamps = new JwtTimestampValidator();
        timestamps.setClock(clock);
        decoder.setJwtValidator(timestamps);
        return decoder;
    }

    static String signed(KeyPair keys, Instant expiry) {
        try {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("alice").issueTime(new Date(0));
            if (expiry != null) {
                claims.expirationTime(Date.from(expiry));
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.build());
            jwt.sign(new RSASSASigner(keys.getPrivate()));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
