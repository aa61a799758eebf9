package io.eksaccess.console.notification;

import java.time.Instant;
import java.util.Map;

/**
 * An event as it leaves the console: an outbox row, or the test event an admin sends. The type is a
 * name, not a {@link NotificationType}, because a test event has its own ({@code TEST}).
 */
record OutgoingEvent(
        String type, String cluster, Long requestId, String summary, String link, Map<String, String> details,
        Instant occurredAt) {

    static final String TEST_TYPE = "TEST";

    OutgoingEvent {
        details = Map.copyOf(details);
    }
}
