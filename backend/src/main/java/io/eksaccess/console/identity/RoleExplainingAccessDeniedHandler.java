package io.eksaccess.console.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * Hands a 403 to the error page together with the reason: the roles the area needs, or a missing
 * or stale CSRF token. {@link ConsoleErrorAttributes} passes these on to the template.
 */
class RoleExplainingAccessDeniedHandler implements AccessDeniedHandler {

    static final String REQUIRED_ROLES = RoleExplainingAccessDeniedHandler.class.getName() + ".requiredRoles";
    static final String CSRF_REJECTED = RoleExplainingAccessDeniedHandler.class.getName() + ".csrfRejected";

    private final ConsoleAccessRules rules;

    RoleExplainingAccessDeniedHandler(ConsoleAccessRules rules) {
        this.rules = rules;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        if (denied instanceof CsrfException) {
            request.setAttribute(CSRF_REJECTED, Boolean.TRUE);
            if ("true".equals(request.getHeader("HX-Request")) && signedOut()) {
                // An expired session's token is gone with it: reload (to the login page) as a GET would, rather
                // than swap "missing security token" into the fragment. Still a 403, so it is audited as one.
                response.setHeader("HX-Refresh", "true");
            }
        } else {
            request.setAttribute(REQUIRED_ROLES, rules.requiredFor(request));
        }
        response.sendError(HttpServletResponse.SC_FORBIDDEN);
    }

    private static boolean signedOut() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null || authentication instanceof AnonymousAuthenticationToken
                || !authentication.isAuthenticated();
    }
}
