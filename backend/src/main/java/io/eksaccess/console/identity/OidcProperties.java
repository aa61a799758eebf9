package io.eksaccess.console.identity;

import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code console.oidc.*}: the OpenID Connect provider people sign in with; an unset issuer means the
 * demo issuer. README's configuration table documents each property; keep the two in step.
 *
 * @param issuerUri the issuer; its {@code /.well-known/openid-configuration} must answer at start-up
 * @param clientId the client registered at the issuer
 * @param clientSecret the client's secret (never logged)
 * @param scopes scopes to request; {@code groups} is needed for console roles with Dex
 * @param groupsClaim the ID-token claim that lists the person's groups
 * @param displayName the provider's name on the login button
 */
@ConfigurationProperties("console.oidc")
public record OidcProperties(
        URI issuerUri,
        String clientId,
        String clientSecret,
        @DefaultValue({"openid", "profile", "email", "groups"}) List<String> scopes,
        @DefaultValue("groups") String groupsClaim,
        @DefaultValue("your identity provider") String displayName) {

    public boolean configured() {
        return issuerUri != null && !issuerUri.toString().isBlank();
    }
}
