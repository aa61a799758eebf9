package io.eksaccess.console.apply;

import java.util.List;

/**
 * How an apply ended. {@code message} says why in words when it did not apply.
 *
 * @param inverse the change that undoes this one, planned on the version it was applied to
 * @param intentId the stored intent ({@link ApplyIntents#find}); null until the applier set it
 */
public record ApplyResult(
        Status status, String message, List<String> diff, String beforeHash, String afterHash, int attempts,
        Change inverse, Long intentId) {

    public enum Status {
        APPLIED,
        NO_CHANGE,
        REFUSED,
        CONFLICT,
        FAILED,
        /** Not finished: an EKS update (a mode change) is still running; the intent stays PENDING and is polled. */
        IN_PROGRESS
    }

    public ApplyResult {
        diff = List.copyOf(diff);
    }

    public ApplyResult(
            Status status, String message, List<String> diff, String beforeHash, String afterHash, int attempts,
            Change inverse) {
        this(status, message, diff, beforeHash, afterHash, attempts, inverse, null);
    }

    ApplyResult withIntentId(long id) {
        return new ApplyResult(status, message, diff, beforeHash, afterHash, attempts, inverse, id);
    }

    public boolean succeeded() {
        return status == Status.APPLIED || status == Status.NO_CHANGE;
    }
}
