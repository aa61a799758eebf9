package io.eksaccess.console.identity;

import io.eksaccess.console.system.ApiProblems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * A 401 with problem+json for API callers (never a redirect to the login page, which a program
 * cannot follow), with the {@code WWW-Authenticate: Bearer …} header RFC 6750 asks for.
 */
class ApiAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        challenge.commence(request, response, e);
        String detail = request.getHeader("Authorization") == null
                ? "Authentication required: send 'Authorization: Bearer <token>' with an access or ID token from"
                        + " the console's OIDC issuer, or call from a signed-in browser session."
                : "The bearer token was rejected (" + e.getMessage() + "). Get a fresh token from the console's"
                        + " OIDC issuer; it must be issued to the console's client.";
        ApiProblems.write(request, response, HttpStatus.UNAUTHORIZED, detail, Map.of());
    }
}
