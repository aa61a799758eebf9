package io.eksaccess.console.notification;

/** The body format a receiver expects. */
public enum EndpointKind {
    /** Our own JSON document, optionally signed with HMAC-SHA256. */
    GENERIC_JSON,
    /** Slack incoming webhooks and compatible receivers (Mattermost, Rocket.Chat): {@code {"text": …}}. */
    SLACK
}
