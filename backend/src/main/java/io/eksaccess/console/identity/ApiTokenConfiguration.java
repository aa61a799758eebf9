package io.eksaccess.console.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.eksaccess.console.identity.demo.DemoClientRegistrationRepository;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

/**
 * How the JSON API checks bearer tokens: JWTs (access or ID tokens) from the same issuer people
 * sign in with, issued to the console's client. With a configured issuer its keys come from its
 * discovery document (fetched on first use, so a slow issuer does not stop the start);
 * with the demo issuer they are that issuer's in-process keys.
 */
@Configuration(proxyBeanMethods = false)
class ApiTokenConfiguration {

    @Bean
    JwtDecoder apiJwtDecoder(OidcProperties oidc, ObjectProvider<JWKSource<SecurityContext>> keys) {
        return new VerifiedTokenCache(verifier(oidc, keys), Clock.systemUTC());
    }

    private static JwtDecoder verifier(OidcProperties oidc, ObjectProvider<JWKSource<SecurityContext>> keys) {
        if (oidc.configured()) {
            String issuer = oidc.issuerUri().toString();
            return new SupplierJwtDecoder(() -> {
                NimbusJwtDecoder decoder = JwtDecoders.fromIssuerLocation(issuer);
                decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                        JwtValidators.createDefaultWithIssuer(issuer), audience(Set.of(oidc.clientId()))));
                return decoder;
            });
        }
        // The demo issuer's key pair exists only in this process, so its signature alone proves
        // the token came from here; the issuer name varies with the host the person typed.
        // Verified with the bare public key: selecting from the JWK set converted the key pair,
        // private half included, on every request (a fifth of a bearer call's CPU).
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(demoPublicKey(keys.getObject()))
                .signatureAlgorithm(SignatureAlgorithm.RS256).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefault(), audience(Set.of(
                DemoClientRegistrationRepository.CLIENT_ID, DemoClientRegistrationRepository.API_CLIENT_ID))));
        return decoder;
    }

    private static RSAPublicKey demoPublicKey(JWKSource<SecurityContext> keys) {
        try {
            List<JWK> found = keys.get(new JWKSelector(new JWKMatcher.Builder().keyType(KeyType.RSA).build()), null);
            if (found.size() != 1) {
                throw new IllegalStateException("The demo issuer should have exactly one RSA key, has " + found.size());
            }
            return found.get(0).toRSAKey().toRSAPublicKey();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot read the demo issuer's public key", e);
        }
    }

    /** A token issued to some other client of the same issuer is not for the console. */
    static OAuth2TokenValidator<Jwt> audience(Set<String> accepted) {
        return jwt -> jwt.getAudience() != null && jwt.getAudience().stream().anyMatch(accepted::contains)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                        "The token's audience " + jwt.getAudience() + " is not the console's client "
                                + accepted.stream().sorted().toList(), null));
    }
}
