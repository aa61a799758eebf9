package io.eksaccess.console.apply;

import io.eksaccess.console.audit.AuditActor;
import java.time.Instant;
import java.util.List;

/**
 * One stored aws-auth change and, once {@link State#DONE}, how it ended.
 *
 * @param status null while PENDING
 * @param recovered whether start-up recovery finished it (its first process died)
 */
public record ApplyIntent(
        long id, String cluster, MappingChange change, Long requestId, AuditActor actor, String reason,
        boolean breakGlass, State state, ApplyResult.Status status, String message, String beforeHash,
        String afterHash, List<String> diff, Integer attempts, boolean recovered, Instant createdAt,
        Instant finishedAt) {

    public enum State {
        PENDING,
        DONE
    }

    public ApplyIntent {
        diff = List.copyOf(diff);
    }

    public ApplyCommand command() {
        return new ApplyCommand(cluster, change, actor, requestId, reason, breakGlass);
    }

    public boolean succeeded() {
        return status == ApplyResult.Status.APPLIED || status == ApplyResult.Status.NO_CHANGE;
    }
}
