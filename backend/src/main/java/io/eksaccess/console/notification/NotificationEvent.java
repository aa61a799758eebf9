package io.eksaccess.console.notification;

import java.time.Instant;
import java.util.Map;

/**
 * One thing worth telling people about. {@code link} is a console path ({@code /requests/42});
 * {@code details} must hold no secrets (they leave the console).
 */
public record NotificationEvent(
        NotificationType type, String cluster, Long requestId, String summary, String link,
        Map<String, String> details, Instant occurredAt) {

    public NotificationEvent {
        details = Map.copyOf(details);
    }
}
