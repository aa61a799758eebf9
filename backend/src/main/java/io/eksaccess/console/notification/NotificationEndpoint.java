package io.eksaccess.console.notification;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * An endpoint as pages show it. It carries neither the signing secret nor the full URL: webhook
 * URLs often hold a token themselves (Slack's do), so pages show only where they point.
 *
 * @param destination scheme and host of the URL, e.g. {@code https://hooks.slack.com/…}
 * @param signed whether a signing secret is set
 */
public record NotificationEndpoint(
        long id, String name, EndpointKind kind, String destination, List<NotificationType> eventTypes,
        boolean signed, boolean enabled, Instant updatedAt) {

    public boolean notifies(NotificationType type) {
        return eventTypes.contains(type);
    }

    /** The URL's origin followed by an ellipsis; never its path or query, which may hold a token. */
    static String destinationOf(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "(not a valid URL)";
            }
            String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
            return uri.getScheme() + "://" + uri.getHost() + port + "/…";
        } catch (IllegalArgumentException e) {
            return "(not a valid URL)";
        }
    }
}
