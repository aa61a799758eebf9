package io.eksaccess.console.system;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * The response headers every page gets: a CSP without inline script or style, no framing, no
 * referrer leaks, and HSTS (Spring writes it only on requests that arrived over TLS, including
 * through a proxy when {@code server.forward-headers-strategy} is set).
 */
public final class SecurityHeaders implements Customizer<HeadersConfigurer<HttpSecurity>> {

    private final String contentSecurityPolicy;

    /** @param extraFormActions origins a form may lead to besides our own (the issuer's logout) */
    public SecurityHeaders(String extraFormActions) {
        this.contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
                + "form-action 'self'" + (extraFormActions.isBlank() ? "" : " " + extraFormActions) + "; "
                + "frame-ancestors 'none'";
    }

    public String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    @Override
    public void customize(HeadersConfigurer<HttpSecurity> headers) {
        headers.contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy))
                .frameOptions(HeadersConfigurer.FrameOptionsConfig::deny)
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
                .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000))
                .permissionsPolicyHeader(permissions ->
                        permissions.policy("camera=(), microphone=(), geolocation=(), payment=()"));
    }
}
