package io.eksaccess.console.request;

/** Where a request is in DESIGN's lifecycle. */
public enum RequestState {
    PENDING,
    APPROVED,
    APPLYING,
    APPLIED,
    FAILED,
    REJECTED,
    CANCELLED,
    EXPIRED,
    REVOKED;

    /** Whether reviews are still taken (only PENDING ones). */
    public boolean open() {
        return this == PENDING;
    }
}
