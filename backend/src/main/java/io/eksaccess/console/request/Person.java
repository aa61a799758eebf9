package io.eksaccess.console.request;

import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.identity.ConsoleRole;
import io.eksaccess.console.identity.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Who acts on a request: the signed-in person with their console roles and OIDC groups (policies may
 * name groups), and where they came from (for the audit).
 */
public record Person(String subject, String displayName, Set<ConsoleRole> roles, List<String> groups, String sourceIp) {

    public static Person of(Authentication authentication, HttpServletRequest request, String groupsClaim) {
        CurrentUser user = CurrentUser.of(authentication);
        List<String> groups = List.of();
        // The same groups whether signed in with a browser or calling the API with a bearer token.
        java.util.Map<String, Object> claims = authentication.getPrincipal() instanceof OidcUser oidc ? oidc.getClaims()
                : authentication.getPrincipal() instanceof org.springframework.security.oauth2.jwt.Jwt jwt ? jwt.getClaims()
                : null;
        if (claims != null) {
            Object claim = claims.get(groupsClaim);
            if (claim instanceof Collection<?> values) {
                groups = values.stream().map(String::valueOf).toList();
            } else if (claim instanceof String single) {
                groups = List.of(single);
            }
        }
        return new Person(user.subject(), user.displayName(), user.roles(), groups, request.getRemoteAddr());
    }

    public AuditActor actor() {
        return new AuditActor(subject, displayName, sourceIp);
    }

    public boolean is(ConsoleRole role) {
        return roles.contains(role);
    }
}
