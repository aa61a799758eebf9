package io.eksaccess.console.identity;

import io.eksaccess.console.system.RequestDenied;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Publishes {@link RequestDenied} for every 403 answer to a state-changing request. It sits in both
 * security filter chains right after the security context is loaded, so it sees every way to a 403:
 * the access-denied handlers (role rules and CSRF failures, which leave their reason in the
 * request) as well as controllers that refuse by themselves (unless the feature already audited its
 * refusal, {@link RequestDenied#REFUSAL_AUDITED}). Denied reads (GET, HEAD) are not
 * published: they change nothing, and people following links to areas they lack a role for would
 * flood the history with them; the access log has them.
 */
class DeniedStateChangeFilter extends OncePerRequestFilter {

    static final int MAX_PATH = 300;
    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final ApplicationEventPublisher events;

    DeniedStateChangeFilter(ApplicationEventPublisher events) {
        this.events = events;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, response);
        if (response.getStatus() == HttpServletResponse.SC_FORBIDDEN && STATE_CHANGING.contains(request.getMethod())
                && request.getAttribute(RequestDenied.REFUSAL_AUDITED) == null) {
            events.publishEvent(new RequestDenied(SecurityContextHolder.getContext().getAuthentication(),
                    request.getRemoteAddr(), request.getMethod(), cap(request.getRequestURI()), reason(request)));
        }
    }

    private static String reason(HttpServletRequest request) {
        if (Boolean.TRUE.equals(request.getAttribute(RoleExplainingAccessDeniedHandler.CSRF_REJECTED))) {
            return "CSRF token missing or invalid";
        }
        if (request.getAttribute(RoleExplainingAccessDeniedHandler.REQUIRED_ROLES) instanceof Collection<?> roles
                && !roles.isEmpty()) {
            return "needs the console role "
                    + String.join(" or ", roles.stream().map(String::valueOf).sorted().toList());
        }
        return "refused by the application";
    }

    /** Printable characters only, at most {@value #MAX_PATH} of them. */
    static String cap(String path) {
        String printable = path == null ? "" : path.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= MAX_PATH ? printable : printable.substring(0, MAX_PATH) + "…";
    }
}
