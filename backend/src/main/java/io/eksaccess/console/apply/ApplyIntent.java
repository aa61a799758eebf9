package io.eksaccess.console.apply;

import io.eksaccess.console.audit.AuditActor;
import java.time.Instant;
import java.util.List;

/**
 * One stored aws-auth change and, once {@link State#DONE}, how it ended.
 *
 * @param status null while PENDING
 * @param recovered whether start-up recovery finished it (its first process died)
 * @param inverse the change that undoes this one, planned on aws-auth before the write (null: nothing
 *     to take back, or not planned yet)
 * @param inversePlanned whether a write was planned and its inverse stored: false means the write
 *     cannot have happened
 * @param eksUpdateId the EKS update an authentication-mode change started (polled until it ends), else null
 */
public record ApplyIntent(
        long id, String cluster, Change change, Long requestId, AuditActor actor, String reason,
        boolean breakGlass, State state, ApplyResult.Status status, String message, String beforeHash,
        String afterHash, List<String> diff, Integer attempts, boolean recovered, Instant createdAt,
        Instant finishedAt, Change inverse, boolean inversePlanned, ApplyCommand.Purpose purpose, String eksUpdateId) {

    public enum State {
        PENDING,
        DONE
    }

    public ApplyIntent {
        diff = List.copyOf(diff);
    }

    public ApplyCommand command() {
        return new ApplyCommand(cluster, change, actor, requestId, reason, breakGlass, purpose);
    }

    public boolean succeeded() {
        return status == ApplyResult.Status.APPLIED || status == ApplyResult.Status.NO_CHANGE;
    }

    /** How it ended, as the applier reported it (for finishing a request from a recovered intent). */
    public ApplyResult result() {
        return new ApplyResult(status, message == null ? "" : message, diff, beforeHash, afterHash,
                attempts == null ? 0 : attempts, inverse, id);
    }
}
