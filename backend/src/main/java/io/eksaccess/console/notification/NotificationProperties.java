package io.eksaccess.console.notification;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code console.notifications.*} (README's configuration table documents each).
 *
 * @param pollInterval how often each replica looks for new events and due deliveries
 * @param maxAttempts attempts per delivery before it is marked FAILED
 * @param initialBackoff wait after the first failed attempt; doubled after each further one
 * @param maxBackoff the longest wait between two attempts
 * @param connectTimeout how long to wait for a receiver to accept the connection
 * @param requestTimeout the deadline of one attempt as a whole: connect, send, and the receiver's
 *     answer (of which at most 4 KB is read)
 * @param retention how long finished deliveries (and events with none left) are kept for the log
 * @param allowPrivateTargets let webhook URLs name loopback, link-local, private and the console's
 *     own addresses (refused by default; see {@link WebhookTargets})
 * @param deliveryThreads deliveries sent at once per replica; each endpoint has at most one of them,
 *     so a slow receiver holds up only its own deliveries
 */
@ConfigurationProperties("console.notifications")
public record NotificationProperties(
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("8") int maxAttempts,
        @DefaultValue("30s") Duration initialBackoff,
        @DefaultValue("1h") Duration maxBackoff,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("90d") Duration retention,
        @DefaultValue("false") boolean allowPrivateTargets,
        @DefaultValue("4") int deliveryThreads) {

    /** The wait before attempt {@code attemptsMade + 1}, after {@code attemptsMade} failures. */
    public Duration backoffAfter(int attemptsMade) {
        int doublings = Math.max(0, Math.min(attemptsMade - 1, 30));
        Duration delay = initialBackoff.multipliedBy(1L << doublings);
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }
}
