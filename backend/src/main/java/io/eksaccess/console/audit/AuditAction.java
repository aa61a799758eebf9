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
    FINDING_ACKNOWLEDGED,
    NOTIFICATION_ENDPOINT_ADDED,
    NOTIFICATION_ENDPOINT_CHANGED,
    NOTIFICATION_ENDPOINT_REMOVED,
    NOTIFICATION_ENDPOINT_TESTED,
    DRIFT_DETECTED,
    DRIFT_ADOPTED
}
