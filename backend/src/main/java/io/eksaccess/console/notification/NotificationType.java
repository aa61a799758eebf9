package io.eksaccess.console.notification;

/** What a notification tells about; webhook receivers filter on these names. */
public enum NotificationType {
    REQUEST_FILED,
    REQUEST_REVIEWED,
    REQUEST_APPLIED,
    REQUEST_FAILED,
    GRANT_EXPIRING,
    DRIFT_DETECTED
}
