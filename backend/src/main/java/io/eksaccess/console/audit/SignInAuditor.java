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
 * Every sign-in to the console, and every failed one, lands in the audit history (failed ones one by
 * one up to the anonymous limit per source, then counted: {@link DeniedRequestAuditor}). Both run outside
 * any transaction; a failed sign-in is a refusal, so it is recorded independently all the same.
 */
@Component
class SignInAuditor {

    private final AuditLog audit;
    private final DeniedRequestAuditor anonymous;

    SignInAuditor(AuditLog audit, DeniedRequestAuditor anonymous) {
        this.audit = audit;
        this.anonymous = anonymous;
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
        // Anyone can fail a sign-in in a loop (start one, send a made-up code): limited like any anonymous refusal.
        anonymous.recordAnonymous(new AuditActor("unknown", "unknown", ipOf(event.getAuthentication().getDetails())),
                AuditAction.SIGN_IN_FAILED, null, Map.of("reason", event.getException().getClass().getSimpleName()),
                AuditOutcome.FAILURE, "sign-in failed");
    }

    private static String ipOf(Object details) {
        return details instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
    }
}
