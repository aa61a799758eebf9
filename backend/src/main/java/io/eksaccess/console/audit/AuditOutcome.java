package io.eksaccess.console.audit;

/** How what was recorded turned out. INTENT rows precede a change that records its outcome after. */
public enum AuditOutcome {
    SUCCESS,
    FAILURE,
    DENIED,
    INTENT
}
