package io.eksaccess.console.audit;

import io.eksaccess.console.identity.CurrentUser;
import io.eksaccess.console.system.RequestDenied;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Records every refused state change (a 403 to POST, PUT, PATCH or DELETE, pages and API alike,
 * CSRF failures included) as ACCESS_DENIED with outcome DENIED, independently of any transaction
 * of the refused request. The request is answered 403 whether or not this succeeds; a failure to
 * record is logged at ERROR.
 */
@Component
class DeniedRequestAuditor {

    static final AuditActor ANONYMOUS = new AuditActor("anonymous", "anonymous", null);
    private static final Logger log = LoggerFactory.getLogger(DeniedRequestAuditor.class);

    private final AuditLog audit;

    DeniedRequestAuditor(AuditLog audit) {
        this.audit = audit;
    }

    @EventListener
    void onDenied(RequestDenied denied) {
        AuditActor actor = actor(denied);
        try {
            audit.recordIndependently(actor, AuditAction.ACCESS_DENIED, null, denied.path(),
                    Map.of("method", denied.method(), "reason", denied.reason()), AuditOutcome.DENIED);
        } catch (RuntimeException e) {
            log.error("could not audit the denied {} {} by {}: {}", denied.method(), denied.path(), actor.subject(),
                    e.toString());
        }
    }

    private static AuditActor actor(RequestDenied denied) {
        if (denied.authentication() == null || denied.authentication() instanceof AnonymousAuthenticationToken
                || !denied.authentication().isAuthenticated()) {
            return new AuditActor(ANONYMOUS.subject(), ANONYMOUS.displayName(), denied.sourceIp());
        }
        return AuditActor.of(CurrentUser.of(denied.authentication()), denied.sourceIp());
    }
}
