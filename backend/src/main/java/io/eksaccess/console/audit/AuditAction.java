package io.eksaccess.console.audit;

/** The small vocabulary of things the audit history records. New features add theirs here. */
public enum AuditAction {
    SIGN_IN,
    SIGN_IN_FAILED,
    CLUSTER_ADDED,
    CLUSTER_RENAMED,
    CLUSTER_ENABLED,
    CLUSTER_DISABLED,
    CLUSTER_REMOVED,
    AWS_AUTH_APPLY,
    REQUEST_FILED,
    REQUEST_REVIEWED,
    REQUEST_APPROVED,
    REQUEST_REJECTED,
    REQUEST_CANCELLED,
    REQUEST_APPLIED,
    REQUEST_FAILED,
    REQUEST_EXPIRED,
    REQUEST_REVOKED,
    BREAK_GLASS_APPLIED,
    APPROVAL_POLICY_CHANGED
}
