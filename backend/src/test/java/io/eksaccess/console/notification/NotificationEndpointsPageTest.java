package io.eksaccess.console.notification;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.WebSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Admins manage endpoints through the pages: every change audited, the signing secret and the
 * URL's token never shown back or audited, "Send test" posts a signed TEST event at once, removal
 * confirms first, and only admins get in.
 */
@ConsoleIntegrationTest(properties = {"console.public-url=https://console.example.test",
                // The receivers here listen on loopback, which webhooks may not name by default.
                "console.notifications.allow-private-targets=true"})
class NotificationEndpointsPageTest {

    private static final String SECRET = "Very-Secret-Signing-Key-4f9a2c";
    private static final String URL_TOKEN = "B0000TOKEN7x9Qz";


    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void adminAddsTestsChangesAndRemovesAnEndpointWithoutTheSecretEverShowing() {
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            WebSession admin = new WebSession();
            SignIn.viaDemoIssuer(admin, console(), "admin");
            WebSession.Page list = admin.get(console() + "/admin/notifications");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.html().select(".empty").text()).contains("No endpoints yet");

            // A browser sends the checked boxes only; this endpoint wants one event type.
            WebSession.Page added = admin.follow(admin.post(console() + "/admin/notifications", fields(list,
                    "name", "automation", "kind", "GENERIC_JSON", "url", receiver.url("/hooks/" + URL_TOKEN),
                    "eventTypes", "REQUEST_FAILED", "enabled", "true", "secret", SECRET)));
            assertThat(added.html().select("[role=status]").text()).isEqualTo("Endpoint automation was added.");
            Element row = added.html().selectFirst("tr[data-endpoint=automation]");
            assertThat(row.text()).contains("Generic JSON", "http://127.0.0.1:", "/…", "Request failed", "yes");
            long id = jdbc.sql("SELECT id FROM notification_endpoints WHERE name = 'automation'").query(Long.class).single();
            assertThat(jdbc.sql("SELECT signing_secret FROM notification_endpoints WHERE id = :id").param("id", id)
                    .query(String.class).single()).as("stored for signing").isEqualTo(SECRET);

            WebSession.Page tested = admin.follow(admin.submit(added, "form[action$=/admin/notifications/" + id + "/test]", Map.of()));
            assertThat(tested.html().select("[role=status]").text())
                    .isEqualTo("Test sent to automation: the receiver answered HTTP 200.");
            WebhookReceiver.Received test = receiver.received().get(0);
            assertThat(test.path()).isEqualTo("/hooks/" + URL_TOKEN);
            assertThat(test.body()).startsWith("{\"type\":\"TEST\",\"cluster\":null,\"requestId\":null,")
                    .contains("\"link\":\"https://console.example.test/admin/notifications\"", "sent by Ada Admin");
            assertThat(test.header("X-EKS-Console-Signature"))
                    .isEqualTo("sha256=" + NotificationDeliveryTest.hmacHex(SECRET, test.body()));

            WebSession.Page edit = admin.get(console() + "/admin/notifications/" + id);
            assertThat(edit.status()).isEqualTo(200);
            assertThat(edit.html().selectFirst("#secret").attr("value")).isEmpty();
            assertThat(edit.html().selectFirst("#url").attr("value")).as("the URL is not shown back").isEmpty();
            // A refused change shows the form again, without the secret that was typed.
            WebSession.Page refused = admin.post(console() + "/admin/notifications/" + id, fields(edit,
                    "name", "automation", "kind", "GENERIC_JSON", "url", "", "eventTypes", "REQUEST_FAILED",
                    "enabled", "true", "secret", "short"));
            assertThat(refused.status()).isEqualTo(200);
            assertThat(refused.html().select("[role=alert].notice").text()).contains("A signing secret is 16 to 500 characters");
            assertThat(refused.html().selectFirst("#secret").attr("value")).isEmpty();
            WebSession.Page changed = admin.follow(admin.post(console() + "/admin/notifications/" + id, fields(edit,
                    "name", "automation-v2", "kind", "GENERIC_JSON", "url", "", "eventTypes", "DRIFT_DETECTED",
                    "enabled", "true", "secret", "")));
            assertThat(changed.html().select("[role=status]").text()).isEqualTo("Endpoint automation-v2 was changed.");
            Map<String, Object> stored = jdbc.sql("""
                            SELECT url, signing_secret, array_to_string(event_types, ',') AS events
                              FROM notification_endpoints WHERE id = :id""")
                    .param("id", id).query().singleRow();
            assertThat(stored).containsEntry("url", receiver.url("/hooks/" + URL_TOKEN))
                    .as("empty fields keep URL and secret").containsEntry("signing_secret", SECRET)
                    .containsEntry("events", "DRIFT_DETECTED");

            WebSession.Page deliveries = admin.get(console() + "/admin/notifications/deliveries?endpoint=" + id);
            assertThat(deliveries.status()).isEqualTo(200);

            WebSession.Page listed = admin.get(console() + "/admin/notifications");
            Element dialog = listed.html().selectFirst("dialog#remove-" + id);
            assertThat(dialog.text()).contains("Remove the endpoint automation-v2?", "its delivery log is deleted");
            WebSession.Page confirm = admin.get(console() + "/admin/notifications/" + id + "/remove");
            assertThat(confirm.html().select("main").text()).contains("Remove the endpoint automation-v2?");
            assertThat(jdbc.sql("SELECT count(*) FROM notification_endpoints").query(Long.class).single())
                    .as("nothing removed before confirming").isEqualTo(1);
            WebSession.Page removed = admin.follow(admin.submit(confirm, "form[action$=/remove]", Map.of()));
            assertThat(removed.html().select("[role=status]").text()).contains("automation-v2 was removed");
            assertThat(jdbc.sql("SELECT count(*) FROM notification_endpoints").query(Long.class).single()).isZero();

            List<String> actions = jdbc.sql("""
                            SELECT action FROM audit_events WHERE resource = :resource ORDER BY sequence""")
                    .param("resource", "notification-endpoints/" + id).query(String.class).list();
            assertThat(actions).containsExactly("NOTIFICATION_ENDPOINT_ADDED", "NOTIFICATION_ENDPOINT_TESTED",
                    "NOTIFICATION_ENDPOINT_CHANGED", "NOTIFICATION_ENDPOINT_REMOVED");
            assertThat(jdbc.sql("SELECT details ->> 'changed' FROM audit_events WHERE action = 'NOTIFICATION_ENDPOINT_CHANGED'")
                    .query(String.class).single()).isEqualTo("name,events");
            String audit = String.join("\n", jdbc.sql("SELECT audit_events::text FROM audit_events").query(String.class).list());
            assertThat(audit).contains("automation-v2", "Ada Admin")
                    .doesNotContain(SECRET).doesNotContain(URL_TOKEN);
            for (WebSession.Page page : List.of(list, added, tested, edit, refused, changed, deliveries, listed, confirm, removed)) {
                assertThat(page.body()).as("page " + page.url()).doesNotContain(SECRET).doesNotContain(URL_TOKEN);
            }
        }
    }

    @Test
    void aRefusedAdditionSaysWhyKeepsWhatWasTypedButNotTheSecret() {
        WebSession admin = new WebSession();
        SignIn.viaDemoIssuer(admin, console(), "admin");
        WebSession.Page list = admin.get(console() + "/admin/notifications");
        WebSession.Page refused = admin.post(console() + "/admin/notifications", fields(list,
                "name", "no-events", "kind", "GENERIC_JSON", "url", "https://hooks.example.test/x", "enabled", "true",
                "secret", SECRET));
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.html().select("[role=alert].notice").text()).isEqualTo("Choose at least one event the endpoint is told about.");
        assertThat(refused.html().selectFirst("#name").attr("value")).isEqualTo("no-events");
        assertThat(refused.html().select("#eventTypes-error").text()).as("beside the events")
                .isEqualTo("Choose at least one event the endpoint is told about.");
        assertThat(refused.html().select("fieldset[aria-describedby=eventTypes-error] legend").text()).isNotEmpty();
        assertThat(refused.body()).doesNotContain(SECRET);

        WebSession.Page notHttp = admin.post(console() + "/admin/notifications", fields(list,
                "name", "ftp", "kind", "SLACK", "url", "ftp://files.example.test/x", "eventTypes", "REQUEST_FILED",
                "enabled", "true", "secret", ""));
        assertThat(notHttp.html().select("[role=alert].notice").text()).contains("absolute http:// or https:// URL");
        WebSession.Page slackSigned = admin.post(console() + "/admin/notifications", fields(list,
                "name", "chat", "kind", "SLACK", "url", "https://hooks.slack.test/services/x", "eventTypes", "REQUEST_FILED",
                "enabled", "true", "secret", SECRET));
        assertThat(slackSigned.html().select("[role=alert].notice").text()).contains("Only generic JSON webhooks are signed");
        assertThat(slackSigned.html().select("#secret-error").text()).contains("Only generic JSON webhooks are signed");
        assertThat(slackSigned.html().selectFirst("#secret").attr("aria-invalid")).isEqualTo("true");
        assertThat(slackSigned.body()).doesNotContain(SECRET);
        assertThat(jdbc.sql("SELECT count(*) FROM notification_endpoints").query(Long.class).single()).isZero();
    }

    @Test
    void onlyAdminsReachNotificationSettings() {
        for (String person : List.of("requester", "approver", "auditor")) {
            WebSession session = new WebSession();
            String token = SignIn.viaDemoIssuer(session, console(), person).csrfToken();
            assertThat(session.get(console() + "/admin/notifications").status()).as(person).isEqualTo(403);
            assertThat(session.get(console() + "/admin/notifications/deliveries").status()).as(person).isEqualTo(403);
            assertThat(session.post(console() + "/admin/notifications", Map.of("_csrf", token, "name", "x", "kind", "SLACK",
                    "url", "https://example.test", "eventTypes", "REQUEST_FILED")).status()).as(person).isEqualTo(403);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM notification_endpoints").query(Long.class).single()).isZero();
    }

    private String console() {
        return "http://localhost:" + port;
    }

    /** The form fields a browser sends: the CSRF token from the page plus the given name/value pairs. */
    private static Map<String, String> fields(WebSession.Page page, String... pairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("_csrf", page.csrfToken());
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put(pairs[i], pairs[i + 1]);
        }
        return fields;
    }
}
