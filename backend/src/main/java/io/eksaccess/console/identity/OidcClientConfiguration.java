package io.eksaccess.console.identity;

import io.eksaccess.console.identity.demo.DemoClientRegistrationRepository;
import io.eksaccess.console.system.StartupConfigurationException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;

/**
 * The one OIDC client the console signs people in with: the configured issuer, or, when none is
 * configured, the built-in demo issuer.
 */
@Configuration(proxyBeanMethods = false)
class OidcClientConfiguration {

    static final String REGISTRATION_ID = "oidc";

    @Bean
    ClientRegistrationRepository clientRegistrationRepository(OidcProperties oidc) {
        if (!oidc.configured()) {
            return new DemoClientRegistrationRepository();
        }
        return new InMemoryClientRegistrationRepository(registrationFor(oidc));
    }

    static ClientRegistration registrationFor(OidcProperties oidc) {
        if (oidc.clientId() == null || oidc.clientId().isBlank()) {
            throw new StartupConfigurationException(
                    "console.oidc.issuer-uri is set but console.oidc.client-id is not.",
                    "Set console.oidc.client-id (and console.oidc.client-secret) to the client registered at "
                            + oidc.issuerUri() + ", or unset console.oidc.issuer-uri to use the demo issuer.",
                    null);
        }
        ClientRegistration.Builder builder;
        try {
            builder = ClientRegistrations.fromIssuerLocation(oidc.issuerUri().toString());
        } catch (RuntimeException e) {
            throw new StartupConfigurationException(
                    "The OIDC issuer " + oidc.issuerUri() + " did not answer with a matching OpenID configuration ("
                            + rootMessage(e) + ").",
                    "Check console.oidc.issuer-uri: " + oidc.issuerUri()
                            + "/.well-known/openid-configuration must be reachable from the console and name"
                            + " exactly that issuer.",
                    e);
        }
        return builder.registrationId(REGISTRATION_ID)
                .clientId(oidc.clientId())
                .clientSecret(oidc.clientSecret())
                .clientName(oidc.displayName())
                .scope(oidc.scopes())
                .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                .build();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
