package io.eksaccess.console.apply;

import io.eksaccess.console.audit.AuditActor;

/**
 * What to apply, for whom and why.
 *
 * @param requestId the access request this carries out (null for break-glass and adoption)
 * @param reason why (the justification, the break-glass reason, "grant expired")
 * @param breakGlass an admin's urgent change: may override the lockout check, never validation or audit
 * @param purpose whether this carries a change out or takes a grant back at its end; recovery uses it
 *     to finish the right step of the request
 */
public record ApplyCommand(
        String cluster, Change change, AuditActor actor, Long requestId, String reason, boolean breakGlass,
        Purpose purpose) {

    public enum Purpose {
        APPLY,
        REVOKE
    }

    public ApplyCommand(String cluster, Change change, AuditActor actor, Long requestId, String reason,
            boolean breakGlass) {
        this(cluster, change, actor, requestId, reason, breakGlass, Purpose.APPLY);
    }
}
