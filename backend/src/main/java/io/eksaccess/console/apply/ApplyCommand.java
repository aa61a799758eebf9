package io.eksaccess.console.apply;

import io.eksaccess.console.audit.AuditActor;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /** What the audit row of this apply's intent says (both appliers write the same shape). */
    Map<String, String> auditDetails(long intentId, boolean recovery) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("intentId", Long.toString(intentId));
        details.put("change", MappingChangeJson.write(change));
        if (requestId != null) {
            details.put("requestId", requestId.toString());
        }
        details.put("reason", reason);
        details.put("breakGlass", Boolean.toString(breakGlass));
        if (recovery) {
            details.put("recoveredFor", actor.subject());
        }
        return details;
    }
}
