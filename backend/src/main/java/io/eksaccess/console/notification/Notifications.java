package io.eksaccess.console.notification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one way features announce something: {@link #publish} writes to the outbox in the caller's
 * transaction (so a rolled-back change announces nothing); delivery to webhooks happens later.
 */
@Component
public class Notifications {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcClient jdbc;

    Notifications(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void publish(NotificationEvent event) {
        jdbc.sql("""
                        INSERT INTO notification_outbox (type, cluster, request_id, summary, link, details, occurred_at)
                        VALUES (:type, :cluster, :request, :summary, :link, CAST(:details AS jsonb), :at)
                        """)
                .param("type", event.type().name())
                .param("cluster", event.cluster())
                .param("request", event.requestId())
                .param("summary", event.summary())
                .param("link", event.link())
                .param("details", json(event))
                .param("at", Timestamp.from(event.occurredAt()))
                .update();
    }

    private static String json(NotificationEvent event) {
        try {
            return JSON.writeValueAsString(event.details());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("notification details are not serializable", e);
        }
    }
}
