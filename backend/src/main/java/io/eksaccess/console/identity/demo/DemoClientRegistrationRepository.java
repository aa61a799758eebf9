package io.eksaccess.console.identity.demo;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

/**
 * The console's client registration at its own demo issuer. The token and key endpoints are
 * called server to server, so they need the real port, known only once the web server is up;
 * the browser-facing authorization endpoint stays relative, so the person stays on the host
 * they typed.
 */
public class DemoClientRegistrationRepository
        implements ClientRegistrationRepository, ApplicationListener<WebServerInitializedEvent> {

    public static final String REGISTRATION_ID = "demo";
    public static final String CLIENT_ID = "eks-access-console-demo";
    /**
     * A public client (PKCE, loopback redirect on any port, RFC 8252) through which programs get
     * tokens for the JSON API from the demo issuer.
     */
    public static final String API_CLIENT_ID = "eks-access-console-api";

    /** A fresh secret per process: the only client of this issuer is this process. */
    private final String clientSecret = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));

    private volatile ClientRegistration registration;

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() != null) {
            return; // the management server, if separate, is not where the issuer lives
        }
        String base = "http://localhost:" + event.getWebServer().getPort();
        registration = ClientRegistration.withRegistrationId(REGISTRATION_ID)
                .clientName("Demo issuer")
                .clientId(CLIENT_ID)
                .clientSecret(clientSecret)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                .scope("openid", "profile", "email", "groups")
                .authorizationUri(DemoIssuerConfiguration.PATH + "/oauth2/authorize")
                .tokenUri(base + DemoIssuerConfiguration.PATH + "/oauth2/token")
                .jwkSetUri(base + DemoIssuerConfiguration.PATH + "/oauth2/jwks")
                .issuerUri(base)
                .userNameAttributeName("sub")
                .build();
    }

    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        return REGISTRATION_ID.equals(registrationId) ? registration : null;
    }

    String clientSecret() {
        return clientSecret;
    }
}
