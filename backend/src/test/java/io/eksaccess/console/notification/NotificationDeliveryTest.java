package io.eksaccess.console.notification;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.WebSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Events published to the outbox reach real local HTTP receivers: exact bodies, signatures,
 * retries with back-off, giving up, type filters, and exactly-once delivery with several
 * dispatchers on one database. Poll and back-off are shortened so this runs in seconds.
 */
@ConsoleIntegrationTest(properties = {
        "console.public-url=https://console.example.test/",
        "console.notifications.poll-interval=100ms",
        "console.notifications.initial-backoff=100ms",
        "console.notifications.max-backoff=300ms",
        "console.notifications.max-attempts=4",
        // Long, so that a receiver that hangs is still hanging while the others are served.
        "console.notifications.request-timeout=60s",
        // The receivers here listen on loopback, which webhooks may not name by default.
        "console.notifications.allow-private-targets=true"})
class NotificationDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AuditActor ADMIN = new AuditActor("test-admin", "Test Admin", null);
    private static final String SECRET = "a-signing-secret-of-32-characters";


    @LocalServerPort
    int port;

    @Autowired
    Notifications notifications;

    @Autowired
    NotificationEndpoints endpoints;

    @Autowired
    NotificationDispatcher dispatcher;

    @Autowired
    JdbcClient jdbc;

    /** Each test starts with no endpoints and nothing left in the outbox for them. */
    @BeforeEach
    void noEndpoints() {
        jdbc.sql("DELETE FROM notification_endpoints").update();
        jdbc.sql("UPDATE notification_outbox SET fanned_out_at = now() WHERE fanned_out_at IS NULL").update();
    }

    @Test
    void anEventReachesAGenericAndASlackEndpointWithTheExactBodiesAndAVerifiableSignature() {
        try (WebhookReceiver generic = WebhookReceiver.answering(200);
                WebhookReceiver slack = WebhookReceiver.answering(200)) {
            endpoints.add(ADMIN, form("automation", EndpointKind.GENERIC_JSON, generic.url("/hooks/eks"),
                    List.of("REQUEST_FILED"), SECRET));
            endpoints.add(ADMIN, form("team-chat", EndpointKind.SLACK, slack.url("/services/T0/B0/xyz"),
                    List.of("REQUEST_FILED"), ""));

            notifications.publish(new NotificationEvent(NotificationType.REQUEST_FILED, "prod", 42L,
                    "Rita asks for <cluster-admin> & more", "/requests/42",
                    Map.of("principal", "arn:aws:iam::111122223333:role/dev", "groups", "system:masters"),
                    Instant.parse("2026-11-28T07:00:00Z")));

            Eventually.await("both receivers called", WAIT,
                    () -> generic.received().size() + slack.received().size(), n -> n == 2);

            WebhookReceiver.Received json = generic.received().get(0);
            assertThat(json.path()).isEqualTo("/hooks/eks");
            assertThat(json.body()).isEqualTo("{\"type\":\"REQUEST_FILED\",\"cluster\":\"prod\",\"requestId\":42,"
                    + "\"summary\":\"Rita asks for <cluster-admin> & more\","
                    + "\"link\":\"https://console.example.test/requests/42\","
                    + "\"details\":{\"groups\":\"system:masters\",\"principal\":\"arn:aws:iam::111122223333:role/dev\"},"
                    + "\"occurredAt\":\"2026-11-28T07:00:00Z\"}");
            assertThat(json.header("Content-Type")).startsWith("application/json");
            assertThat(json.header("X-EKS-Console-Event")).isEqualTo("REQUEST_FILED");
            // The receiver's side of the signature: HMAC-SHA256 of the exact bytes under the shared secret.
            assertThat(json.header("X-EKS-Console-Signature"))
                    .isEqualTo("sha256=" + hmacHex(SECRET, json.body()))
                    .isNotEqualTo("sha256=" + hmacHex("another-secret-of-some-length", json.body()));

            WebhookReceiver.Received text = slack.received().get(0);
            assertThat(text.body()).isEqualTo("{\"text\":\"[prod] *Request filed*: Rita asks for &lt;cluster-admin&gt; "
                    + "&amp; more <https://console.example.test/requests/42|request #42>\"}");
            assertThat(text.header("X-EKS-Console-Signature")).as("Slack endpoints are not signed").isNull();

            Eventually.await("both deliveries recorded as delivered", WAIT,
                    () -> jdbc.sql("SELECT status || '/' || attempts || '/' || last_http_status FROM notification_deliveries")
                            .query(String.class).list(),
                    rows -> rows.equals(List.of("DELIVERED/1/200", "DELIVERED/1/200")));
        }
    }

    @Test
    void aReceiverThatFailsTwiceIsRetriedAndDeliveredOnTheThirdAttempt() {
        try (WebhookReceiver flaky = WebhookReceiver.scripted(call -> call <= 2 ? 500 : 200)) {
            endpoints.add(ADMIN, form("flaky", EndpointKind.GENERIC_JSON, flaky.url("/hook"), List.of("REQUEST_APPLIED"), ""));
            notifications.publish(event(NotificationType.REQUEST_APPLIED, "applied #7"));

            Map<String, Object> delivery = Eventually.await("delivered after retries", WAIT,
                    () -> jdbc.sql("SELECT status, attempts, last_http_status, last_error, delivered_at FROM notification_deliveries")
                            .query().listOfRows(),
                    rows -> rows.size() == 1 && "DELIVERED".equals(rows.get(0).get("status"))).get(0);
            assertThat(delivery.get("attempts")).isEqualTo(3);
            assertThat(delivery.get("last_http_status")).isEqualTo(200);
            assertThat(delivery.get("last_error")).as("a success clears the last error").isNull();
            assertThat(delivery.get("delivered_at")).isNotNull();
            List<WebhookReceiver.Received> calls = flaky.received();
            assertThat(calls).hasSize(3);
            assertThat(calls).extracting(WebhookReceiver.Received::body).containsOnly(calls.get(0).body());
            assertThat(calls).extracting(call -> call.header("X-EKS-Console-Delivery"))
                    .as("every retry names the same delivery, for receivers that de-duplicate")
                    .containsOnly(calls.get(0).header("X-EKS-Console-Delivery"));
        }
    }

    @Test
    void aReceiverThatAlwaysFailsEndsFailedAfterMaxAttemptsAndTheLogSaysWhy() {
        try (WebhookReceiver broken = WebhookReceiver.answering(500)) {
            endpoints.add(ADMIN, form("broken", EndpointKind.GENERIC_JSON, broken.url("/hook"), List.of("DRIFT_DETECTED"), ""));
            notifications.publish(event(NotificationType.DRIFT_DETECTED, "aws-auth changed outside the console"));

            Map<String, Object> delivery = Eventually.await("given up", WAIT,
                    () -> jdbc.sql("SELECT status, attempts, last_http_status, last_error FROM notification_deliveries")
                            .query().listOfRows(),
                    rows -> rows.size() == 1 && "FAILED".equals(rows.get(0).get("status"))).get(0);
            assertThat(delivery.get("attempts")).isEqualTo(4);
            assertThat(delivery.get("last_http_status")).isEqualTo(500);
            assertThat((String) delivery.get("last_error"))
                    .isEqualTo("The receiver answered HTTP 500: boom: the receiver's database is down");
            assertThat(broken.received()).as("no attempt after the last").hasSize(4);

            WebSession admin = new WebSession();
            SignIn.viaDemoIssuer(admin, console(), "admin");
            WebSession.Page log = admin.get(console() + "/admin/notifications/deliveries");
            assertThat(log.status()).isEqualTo(200);
            Element row = log.html().selectFirst("#delivery-log tr[data-status=FAILED]");
            assertThat(row).as("failed delivery in the log:\n" + log.body()).isNotNull();
            assertThat(row.text()).contains("broken", "DRIFT_DETECTED", "failed",
                    "HTTP 500", "The receiver answered HTTP 500: boom: the receiver's database is down");
            assertThat(row.selectFirst("[data-field=attempts]").text()).isEqualTo("4");

            WebSession.Page fragment = admin.get(console() + "/admin/notifications/deliveries", Map.of("HX-Request", "true"));
            assertThat(fragment.body()).as("htmx polls get the table only").doesNotContain("<html")
                    .contains("data-status=\"FAILED\"");
        }
    }

    @Test
    void anEndpointGetsOnlyTheEventTypesItChose() {
        try (WebhookReceiver driftOnly = WebhookReceiver.answering(204)) {
            long id = endpoints.add(ADMIN, form("drift-only", EndpointKind.GENERIC_JSON, driftOnly.url("/hook"),
                    List.of("DRIFT_DETECTED"), ""));
            notifications.publish(event(NotificationType.REQUEST_FILED, "not for drift-only"));
            notifications.publish(event(NotificationType.DRIFT_DETECTED, "for drift-only"));
            notifications.publish(event(NotificationType.GRANT_EXPIRING, "not for drift-only either"));

            Eventually.await("every event fanned out", WAIT,
                    () -> jdbc.sql("SELECT count(*) FROM notification_outbox WHERE fanned_out_at IS NULL").query(Long.class).single(),
                    n -> n == 0);
            Eventually.await("the drift event delivered", WAIT,
                    () -> jdbc.sql("SELECT status FROM notification_deliveries WHERE endpoint_id = :id").param("id", id)
                            .query(String.class).list(),
                    statuses -> statuses.equals(List.of("DELIVERED")));
            assertThat(driftOnly.received()).hasSize(1);
            assertThat(driftOnly.received().get(0).body()).contains("\"type\":\"DRIFT_DETECTED\"", "for drift-only");
        }
    }

    @Test
    void severalDispatchersOnOneDatabaseDeliverEachEventExactlyOnce() throws Exception {
        int events = 40;
        try (WebhookReceiver slow = WebhookReceiver.slow(25)) {
            endpoints.add(ADMIN, form("once", EndpointKind.GENERIC_JSON, slow.url("/hook"), List.of("REQUEST_REVIEWED"), ""));
            for (int i = 0; i < events; i++) {
                notifications.publish(event(NotificationType.REQUEST_REVIEWED, "review " + i));
            }
            // Besides the application's own dispatcher thread, three more compete for the same rows,
            // as replicas would: each row is claimed with FOR UPDATE SKIP LOCKED by exactly one of them.
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService replicas = Executors.newFixedThreadPool(3);
            List<Future<?>> running = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                running.add(replicas.submit(() -> {
                    while (!done.get()) {
                        dispatcher.runOnce();
                    }
                    return null;
                }));
            }
            try {
                Eventually.await("all delivered", WAIT,
                        () -> jdbc.sql("SELECT count(*) FROM notification_deliveries WHERE status = 'DELIVERED'")
                                .query(Long.class).single(),
                        n -> n == events);
            } finally {
                done.set(true);
                for (Future<?> future : running) {
                    future.get(); // a dispatcher that threw fails the test here
                }
                replicas.shutdown();
            }
            List<String> summaries = slow.received().stream()
                    .map(WebhookReceiver.Received::body)
                    .map(body -> body.replaceAll(".*\"summary\":\"([^\"]*)\".*", "$1"))
                    .toList();
            assertThat(summaries).hasSize(events).doesNotHaveDuplicates();
            assertThat(jdbc.sql("SELECT DISTINCT attempts FROM notification_deliveries").query(Integer.class).list())
                    .containsExactly(1);
        }
    }

    @Test
    void aReceiverThatHangsHoldsUpOnlyItsOwnDeliveries() {
        try (MisbehavingReceiver hanging = MisbehavingReceiver.trickling(1000);
                WebhookReceiver healthy = WebhookReceiver.answering(200)) {
            long slow = endpoints.add(ADMIN, form("hanging", EndpointKind.GENERIC_JSON, hanging.url("/hook"),
                    List.of("DRIFT_DETECTED"), ""));
            endpoints.add(ADMIN, form("healthy", EndpointKind.GENERIC_JSON, healthy.url("/hook"),
                    List.of("REQUEST_FILED"), ""));
            notifications.publish(event(NotificationType.DRIFT_DETECTED, "for the hanging receiver"));
            notifications.publish(event(NotificationType.DRIFT_DETECTED, "queued behind it"));
            Eventually.await("the hanging receiver holds a sender", WAIT, hanging::open, n -> n == 1);

            notifications.publish(event(NotificationType.REQUEST_FILED, "for the healthy receiver"));
            Eventually.await("the healthy receiver served", WAIT, () -> healthy.received().size(), n -> n == 1);

            assertThat(hanging.open()).as("still hanging meanwhile").isEqualTo(1);
            assertThat(hanging.accepted()).as("one sender per endpoint, not one per delivery").isEqualTo(1);
            assertThat(jdbc.sql("SELECT status || '/' || attempts FROM notification_deliveries WHERE endpoint_id = :id")
                    .param("id", slow).query(String.class).list())
                    .as("the hanging endpoint's deliveries: none has finished an attempt")
                    .containsOnly("PENDING/0");
        }
    }

    @Test
    void finishedDeliveriesAndTheirEventsAreForgottenAfterTheRetentionButPendingOnesAreKept() {
        long endpoint = endpoints.add(ADMIN, form("disabled", EndpointKind.GENERIC_JSON, "http://127.0.0.1:9/never",
                List.of("REQUEST_FILED"), ""));
        jdbc.sql("UPDATE notification_endpoints SET enabled = false WHERE id = :id").param("id", endpoint).update();
        for (String status : List.of("DELIVERED", "FAILED", "PENDING")) {
            for (int age : List.of(100, 1)) {
                long event = jdbc.sql("""
                                INSERT INTO notification_outbox (type, summary, occurred_at, fanned_out_at)
                                VALUES ('REQUEST_FILED', :summary, now() - :age * interval '1 day', now() - :age * interval '1 day')
                                RETURNING id""")
                        .param("summary", status + "-" + age).param("age", age).query(Long.class).single();
                jdbc.sql("""
                                INSERT INTO notification_deliveries (outbox_id, endpoint_id, status, created_at)
                                VALUES (:event, :endpoint, :status, now() - :age * interval '1 day')""")
                        .param("event", event).param("endpoint", endpoint).param("status", status).param("age", age).update();
            }
        }

        dispatcher.purge();

        assertThat(jdbc.sql("""
                        SELECT o.summary FROM notification_outbox o JOIN notification_deliveries d ON d.outbox_id = o.id
                         WHERE d.endpoint_id = :id ORDER BY o.summary""")
                .param("id", endpoint).query(String.class).list())
                .containsExactly("DELIVERED-1", "FAILED-1", "PENDING-1", "PENDING-100");
        assertThat(jdbc.sql("SELECT count(*) FROM notification_outbox WHERE summary IN ('DELIVERED-100', 'FAILED-100')")
                .query(Long.class).single()).as("old events without deliveries are gone too").isZero();
    }

    private String console() {
        return "http://localhost:" + port;
    }

    private static NotificationEndpoints.Form form(String name, EndpointKind kind, String url, List<String> types,
            String secret) {
        return new NotificationEndpoints.Form(name, kind.name(), url, types, true, secret, false);
    }

    private static NotificationEvent event(NotificationType type, String summary) {
        return new NotificationEvent(type, "prod", 7L, summary, "/requests/7", Map.of(), Instant.now());
    }

    static String hmacHex(String secret, String body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
