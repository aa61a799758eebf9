package io.eksaccess.console.identity.demo;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.function.Consumer;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The demo issuer and its only client are one process, reachable under whatever host and port
 * the person typed. This accepts the console's callback on exactly the host and port the
 * authorization request itself arrived on (so a code can never be sent elsewhere), then runs
 * Spring Authorization Server's own checks against that one URI.
 */
class SameHostRedirectValidator implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    private final Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> defaults =
            new OAuth2AuthorizationCodeRequestAuthenticationValidator();

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        String requested = request.getRedirectUri();
        if (requested == null || !isCallbackOnThisHost(requested)) {
            defaults.accept(context);
            return;
        }
        RegisteredClient pinned = RegisteredClient.from(context.getRegisteredClient())
                .redirectUris(uris -> {
                    uris.clear();
                    uris.add(requested);
                })
                .build();
        defaults.accept(OAuth2AuthorizationCodeRequestAuthenticationContext.with(request)
                .registeredClient(pinned)
                .build());
    }

    private static boolean isCallbackOnThisHost(String redirectUri) {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
            return false;
        }
        HttpServletRequest current = attributes.getRequest();
        URI uri;
        try {
            uri = URI.create(redirectUri);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return current.getScheme().equals(uri.getScheme())
                && current.getServerName().equalsIgnoreCase(uri.getHost())
                && current.getServerPort() == effectivePort(uri)
                && ("/login/oauth2/code/" + DemoClientRegistrationRepository.REGISTRATION_ID).equals(uri.getPath())
                && uri.getRawQuery() == null
                && uri.getRawFragment() == null;
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : 80;
    }
}
