package io.eksaccess.console.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookPayloadsTest {

    private final WebhookPayloads payloads = new WebhookPayloads("https://console.example.test/");

    @Test
    void slackTextEscapesMrkdwnControlCharactersAndLinksTheRequest() {
        OutgoingEvent event = new OutgoingEvent("REQUEST_REVIEWED", "a&b", 5L, "<@channel> approve & go",
                "/requests/5?tab=a&b", Map.of(), Instant.EPOCH);
        assertThat(payloads.slack(event)).isEqualTo("{\"text\":\"[a&amp;b] *Request reviewed*: &lt;@channel&gt; approve "
                + "&amp; go <https://console.example.test/requests/5?tab=a&amp;b|request #5>\"}");
    }

    @Test
    void slackTextWithoutClusterOrLinkIsJustTheLine() {
        OutgoingEvent event = new OutgoingEvent("DRIFT_DETECTED", null, null, "changed", null, Map.of(), Instant.EPOCH);
        assertThat(payloads.slack(event)).isEqualTo("{\"text\":\"*Drift detected*: changed\"}");
    }

    @Test
    void genericBodyKeepsFieldOrderNullsAndAbsoluteLinks() {
        OutgoingEvent event = new OutgoingEvent("GRANT_EXPIRING", null, null, "s", "https://elsewhere.test/x",
                Map.of("b", "2", "a", "1"), Instant.parse("2026-01-02T03:04:05.678Z"));
        assertThat(payloads.generic(event)).isEqualTo("{\"type\":\"GRANT_EXPIRING\",\"cluster\":null,\"requestId\":null,"
                + "\"summary\":\"s\",\"link\":\"https://elsewhere.test/x\",\"details\":{\"a\":\"1\",\"b\":\"2\"},"
                + "\"occurredAt\":\"2026-01-02T03:04:05.678Z\"}");
        assertThat(payloads.absolute("requests/1")).isEqualTo("https://console.example.test/requests/1");
    }

    @Test
    void backoffDoublesUpToTheMaximum() {
        NotificationProperties properties = new NotificationProperties(Duration.ofSeconds(5), 8, Duration.ofSeconds(30),
                Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofDays(90), false, 4);
        assertThat(properties.backoffAfter(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.backoffAfter(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(properties.backoffAfter(4)).isEqualTo(Duration.ofSeconds(240));
        assertThat(properties.backoffAfter(5)).isEqualTo(Duration.ofMinutes(5));
        assertThat(properties.backoffAfter(1000)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void signatureIsHexHmacSha256OfTheBody() {
        // RFC 4231 test case 2.
        assertThat(WebhookSender.hmacSha256("Jefe", "what do ya want for nothing?"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
