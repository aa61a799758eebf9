package io.eksaccess.console.notification;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.WebSession;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * With the default settings webhooks may not name the console's own network: the form refuses
 * such URLs beside the URL field, and a stored endpoint whose host now resolves there is refused
 * again at delivery, before any connection.
 */
@ConsoleIntegrationTest(properties = {
        "console.notifications.poll-interval=100ms",
        "console.notifications.max-attempts=1"})
class WebhookTargetsPageTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Notifications notifications;

    @Test
    void theFormRefusesLoopbackMetadataAndPrivateTargetsBesideTheUrlField() {
        WebSession admin = new WebSession();
        SignIn.viaDemoIssuer(admin, console(), "admin");
        WebSession.Page list = admin.get(console() + "/admin/notifications");
        for (String url : List.of("http://127.0.0.1:" + port + "/actuator/health", "http://localhost:" + port + "/",
                "http://169.254.169.254/latest/meta-data/iam/", "http://[::1]/", "http://10.1.2.3/hook",
                "http://[::ffff:127.0.0.1]/")) {
            WebSession.Page refused = admin.post(console() + "/admin/notifications", fields(list,
                    "name", "inside", "kind", "GENERIC_JSON", "url", url, "eventTypes", "REQUEST_FILED", "enabled", "true"));
            assertThat(refused.status()).as(url).isEqualTo(200);
            Element field = refused.html().selectFirst("#url");
            assertThat(field.attr("aria-invalid")).as(url).isEqualTo("true");
            assertThat(field.attr("value")).as("what was typed stays").isEqualTo(url);
            assertThat(refused.html().select("#url-error").text()).as(url)
                    .startsWith("Webhooks may not go to ")
                    .contains("console.notifications.allow-private-targets=true");
        }
        assertThat(jdbc.sql("SELECT count(*) FROM notification_endpoints").query(Long.class).single()).isZero();

        WebSession.Page accepted = admin.follow(admin.post(console() + "/admin/notifications", fields(list,
                "name", "outside", "kind", "GENERIC_JSON", "url", "https://203.0.113.10/hook", "eventTypes", "REQUEST_FILED",
                "enabled", "true")));
        assertThat(accepted.html().select("[role=status]").text()).isEqualTo("Endpoint outside was added.");
        jdbc.sql("DELETE FROM notification_endpoints").update();
    }

    @Test
    void anEndpointThatNowPointsInsideIsRefusedAtDeliveryAndByTheTestButton() {
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            // Saved while its name resolved elsewhere: the row as the form would have stored it.
            long id = jdbc.sql("""
                            INSERT INTO notification_endpoints (name, kind, url, event_types, enabled)
                            VALUES ('rebound', 'GENERIC_JSON', :url, ARRAY['DRIFT_DETECTED'], true) RETURNING id""")
                    .param("url", receiver.url("/hook")).query(Long.class).single();
            notifications.publish(new NotificationEvent(NotificationType.DRIFT_DETECTED, "prod", null, "drift",
                    "/clusters/prod", Map.of(), Instant.now()));

            Map<String, Object> delivery = Eventually.await("refused at delivery", Duration.ofSeconds(30),
                    () -> jdbc.sql("SELECT status, last_http_status, last_error FROM notification_deliveries WHERE endpoint_id = :id")
                            .param("id", id).query().listOfRows(),
                    rows -> rows.size() == 1 && "FAILED".equals(rows.get(0).get("status"))).get(0);
            assertThat(delivery.get("last_http_status")).isNull();
            assertThat((String) delivery.get("last_error")).startsWith("Webhooks may not go to 127.0.0.1: it is a loopback address.");

            WebSession admin = new WebSession();
            SignIn.viaDemoIssuer(admin, console(), "admin");
            WebSession.Page list = admin.get(console() + "/admin/notifications");
            WebSession.Page tested = admin.follow(admin.submit(list, "form[action$=/admin/notifications/" + id + "/test]", Map.of()));
            assertThat(tested.html().select("[role=alert]").text())
                    .contains("The test to rebound was not delivered. Webhooks may not go to 127.0.0.1");
            assertThat(receiver.received()).as("never connected").isEmpty();
            jdbc.sql("DELETE FROM notification_endpoints").update();
        }
    }

    private String console() {
        return "http://localhost:" + port;
    }

    private static Map<String, String> fields(WebSession.Page page, String... pairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("_csrf", page.csrfToken());
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put(pairs[i], pairs[i + 1]);
        }
        return fields;
    }

}
