package io.eksaccess.console.system;

import org.springframework.security.core.Authentication;

/**
 * Published when a state-changing request (POST, PUT, PATCH, DELETE) is answered 403, whoever
 * refused it: the authorization rules, the CSRF check, or a controller. The audit history records it.
 *
 * @param authentication who asked (null or anonymous when nobody was signed in)
 * @param path the request path without the query string (which may carry secrets), capped
 * @param reason why, as far as the security layer knows it (e.g. "CSRF token missing or invalid")
 */
public record RequestDenied(Authentication authentication, String sourceIp, String method, String path,
        String reason) {

    /**
     * Request attribute set by a feature that already audited its own refusal of this request (with
     * what was refused and why), so the 403 it leads to is not recorded a second time.
     */
    public static final String REFUSAL_AUDITED = RequestDenied.class.getName() + ".refusalAudited";
}
