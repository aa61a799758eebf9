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
    REPORT_GENERATED,
    REPORT_EXPORTED,
    REPORT_ATTESTED
}
