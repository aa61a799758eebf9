package io.eksaccess.console.request;

import io.eksaccess.console.apply.AwsAuthChangeFinished;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Apply recovery finished an intent whose process died: the request it carried out (or whose grant
 * it took back) is finished from that intent, with the way back stored before the write.
 */
@Component
class RecoveredApplies {

    private final AccessRequests requests;

    RecoveredApplies(AccessRequests requests) {
        this.requests = requests;
    }

    @EventListener
    void on(AwsAuthChangeFinished finished) {
        if (finished.requestId() != null) {
            requests.finishFromIntent(finished.intentId());
        }
    }
}
