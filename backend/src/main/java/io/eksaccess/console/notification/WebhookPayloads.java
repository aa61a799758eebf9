package io.eksaccess.console.notification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bodies receivers get. Generic JSON: {@code {"type","cluster","requestId","summary","link",
 * "details","occurredAt"}} with an absolute link; Slack: {@code {"text": …}}, one readable line in
 * Slack mrkdwn with the link.
 */
final class WebhookPayloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String publicUrl;

    /** @param publicUrl where people reach the console ({@code console.public-url}); links are made absolute with it */
    WebhookPayloads(String publicUrl) {
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    String body(EndpointKind kind, OutgoingEvent event) {
        return switch (kind) {
            case GENERIC_JSON -> generic(event);
            case SLACK -> slack(event);
        };
    }

    String generic(OutgoingEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", event.type());
        body.put("cluster", event.cluster());
        body.put("requestId", event.requestId());
        body.put("summary", event.summary());
        body.put("link", absolute(event.link()));
        body.put("details", new TreeMap<>(event.details()));
        body.put("occurredAt", event.occurredAt().toString());
        return json(body);
    }

    String slack(OutgoingEvent event) {
        StringBuilder text = new StringBuilder();
        if (event.cluster() != null) {
            text.append('[').append(escape(event.cluster())).append("] ");
        }
        text.append('*').append(escape(title(event.type()))).append("*: ").append(escape(event.summary()));
        String link = absolute(event.link());
        if (link != null) {
            String label = event.requestId() != null ? "request #" + event.requestId() : "open in the console";
            text.append(" <").append(escape(link).replace("|", "%7C")).append('|').append(label).append('>');
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text.toString());
        return json(body);
    }

    /** A console path made absolute; an absolute link is kept as it is. */
    String absolute(String link) {
        if (link == null || link.isBlank()) {
            return null;
        }
        if (link.startsWith("https://") || link.startsWith("http://")) {
            return link;
        }
        return publicUrl + (link.startsWith("/") ? link : "/" + link);
    }

    static String title(String type) {
        return switch (type) {
            case "REQUEST_FILED" -> "Request filed";
            case "REQUEST_REVIEWED" -> "Request reviewed";
            case "REQUEST_APPLIED" -> "Request applied";
            case "REQUEST_FAILED" -> "Request failed";
            case "GRANT_EXPIRING" -> "Grant expiring";
            case "DRIFT_DETECTED" -> "Drift detected";
            case OutgoingEvent.TEST_TYPE -> "Test notification";
            default -> type;
        };
    }

    /** Slack's control characters in mrkdwn; everything else is shown as written. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String json(Map<String, Object> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
