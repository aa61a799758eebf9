package io.eksaccess.console.apply;

import io.eksaccess.console.audit.AuditActor;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * DESIGN invariant 1 after a crash: an intent still PENDING whose advisory lock is free was being
 * applied by a process that died. Its change is semantic and planned again on the current
 * aws-auth, so finishing it is safe whether the dead process wrote or not (it then finds nothing
 * to do: NO_CHANGE). Runs at start-up and periodically, on every replica (the locks decide).
 * An authentication-mode change whose EKS update outlasts its apply is left PENDING with the update's
 * id and finished here too, polled every {@code mode-change-poll-interval} (after a restart as well).
 */
@Component
class ApplyRecovery {

    static final AuditActor ACTOR = AuditActor.system("apply-recovery");
    private static final Logger log = LoggerFactory.getLogger(ApplyRecovery.class);

    private final ApplyIntents intents;
    private final AwsAuthApplier applier;
    private final AccessEntryApplier entryApplier;
    private final ApplicationEventPublisher events;

    ApplyRecovery(ApplyIntents intents, AwsAuthApplier applier, AccessEntryApplier entryApplier,
            ApplicationEventPublisher events) {
        this.intents = intents;
        this.applier = applier;
        this.entryApplier = entryApplier;
        this.events = events;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(200)
    public void onStart() {
        recoverAbandoned();
    }

    @Scheduled(initialDelayString = "${console.apply.recovery-interval:60s}",
            fixedDelayString = "${console.apply.recovery-interval:60s}")
    void periodically() {
        recoverAbandoned();
    }

    /** Mode changes whose EKS update runs for minutes: their apply handed the poll over to here. */
    @Scheduled(initialDelayString = "${console.apply.access-entries.mode-change-poll-interval:10s}",
            fixedDelayString = "${console.apply.access-entries.mode-change-poll-interval:10s}")
    void pollModeChanges() {
        finishAbandoned(true);
    }

    /** @return how many intents this replica finished */
    int recoverAbandoned() {
        return finishAbandoned(false);
    }

    private synchronized int finishAbandoned(boolean onlyEksUpdates) {
        List<Long> pending;
        try {
            pending = onlyEksUpdates ? intents.pendingUpdateIds() : intents.pendingIds();
        } catch (RuntimeException e) {
            log.warn("apply recovery could not read pending intents: {}", e.getMessage());
            return 0;
        }
        int finished = 0;
        for (long id : pending) {
            try {
                var claimed = intents.claimAbandoned(id);
                if (claimed.isEmpty()) {
                    continue; // a live replica is applying it, or it finished meanwhile
                }
                try (ApplyIntents.Lease lease = claimed.get()) {
                    ApplyIntent intent = intents.find(id).orElseThrow();
                    ApplyResult result;
                    try {
                        // An entry change is read back from EKS the same way: written → found in place → DONE.
                        result = intent.change() instanceof AccessEntryChange ? entryApplier.recover(intent)
                                : applier.recover(intent);
                    } catch (IllegalArgumentException e) {
                        // The cluster left the registry: nothing can be applied any more.
                        result = new ApplyResult(ApplyResult.Status.FAILED, e.getMessage(), List.of(), null, null, 0, null);
                        intents.finish(id, result, true);
                    }
                    if (result.status() == ApplyResult.Status.IN_PROGRESS) {
                        continue; // its EKS update still runs: polled again next time
                    }
                    String target = intent.change() instanceof AccessEntryChange ? "target=access-entries"
                            : "configmap=" + AwsAuthApplier.RESOURCE;
                    log.info("cluster={} {} intent={} decision=recovered-{}", intent.cluster(), target, id,
                            result.status());
                    events.publishEvent(new AwsAuthChangeFinished(id, intent.requestId()));
                    finished++;
                }
            } catch (RuntimeException e) {
                log.warn("apply intent={} could not be recovered now, will retry: {}", id, e.getMessage());
            }
        }
        return finished;
    }
}
