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
 * @param requestTimeout how long to wait for a receiver's answer
 * @param retention how long finished deliveries (and events with none left) are kept for the log
 */
@ConfigurationProperties("console.notifications")
public record NotificationProperties(
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("8") int maxAttempts,
        @DefaultValue("30s") Duration initialBackoff,
        @DefaultValue("1h") Duration maxBackoff,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("90d") Duration retention) {

    /** The wait before attempt {@code attemptsMade + 1}, after {@code attemptsMade} failures. */
    public Duration backoffAfter(int attemptsMade) {
        int doublings = Math.max(0, Math.min(attemptsMade - 1, 30));
        Duration delay = initialBackoff.multipliedBy(1L << doublings);
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }
}
