package io.eksaccess.console.audit;

import io.eksaccess.console.identity.CurrentUser;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.oauth2.client.authentication.OAuth2LoginAuthenticationToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Every sign-in to the console, and every failed one, lands in the audit history. Both run outside
 * any transaction; a failed sign-in is a refusal, so it is recorded independently all the same.
 */
@Component
class SignInAuditor {

    private final AuditLog audit;

    SignInAuditor(AuditLog audit) {
        this.audit = audit;
    }

    @EventListener
    void onSuccess(AuthenticationSuccessEvent event) {
        if (!(event.getAuthentication().getPrincipal() instanceof OidcUser)) {
            return; // the demo issuer's own form login is not a console sign-in
        }
        CurrentUser user = CurrentUser.of(event.getAuthentication());
        audit.record(new AuditActor(user.subject(), user.displayName(), ipOf(event.getAuthentication().getDetails())),
                AuditAction.SIGN_IN, null, null, Map.of("roles", user.roles().toString()), AuditOutcome.SUCCESS);
    }

    @EventListener
    void onFailure(AbstractAuthenticationFailureEvent event) {
        if (!(event.getAuthentication() instanceof OAuth2LoginAuthenticationToken)) {
            return;
        }
        audit.recordIndependently(new AuditActor("unknown", "unknown", ipOf(event.getAuthentication().getDetails())),
                AuditAction.SIGN_IN_FAILED, null, null,
                Map.of("reason", event.getException().getClass().getSimpleName()), AuditOutcome.FAILURE);
    }

    private static String ipOf(Object details) {
        return details instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
    }
}
