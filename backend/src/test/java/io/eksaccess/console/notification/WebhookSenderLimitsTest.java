package io.eksaccess.console.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One attempt costs a bounded time and a few KB whatever the receiver does, and goes only where
 * webhooks may go. Real receivers on local sockets; the bound on waiting for {@code send} is only
 * there so that a regression fails instead of hanging.
 */
class WebhookSenderLimitsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final WebhookTargets LOOPBACK_ALLOWED = new WebhookTargets(true);

    @Test
    void aReceiverThatTricklesItsAnswerFailsTheAttemptAtTheDeadlineWithAShortReason() throws Exception {
        try (MisbehavingReceiver trickling = MisbehavingReceiver.trickling(200)) {
            WebhookSender sender = new WebhookSender(Duration.ofSeconds(1), DEADLINE, LOOPBACK_ALLOWED);
            WebhookSender.Result result = CompletableFuture
                    .supplyAsync(() -> sender.send(trickling.url("/hook"), "{}", "TEST", null, 1L))
                    .get(60, TimeUnit.SECONDS);

            assertThat(result.delivered()).isFalse();
            assertThat(result.error()).isEqualTo("No complete answer within 2 s (the receiver is too slow).");
            assertThat(trickling.written()).as("it did start answering").isPositive();
        }
    }

    @Test
    void aHugeAnswerIsReadOnlyAsFarAsTheFirstKilobytesAndQuotedShortAndPrintable() throws Exception {
        String start = "\u001b[31mdisk\r\nfull\u202e\u0000 " + "y".repeat(300);
        try (MisbehavingReceiver flooding = MisbehavingReceiver.flooding(500, start)) {
            WebhookSender sender = new WebhookSender(Duration.ofSeconds(1), Duration.ofSeconds(30), LOOPBACK_ALLOWED);
            WebhookSender.Result result = CompletableFuture
                    .supplyAsync(() -> sender.send(flooding.url("/hook"), "{}", "TEST", null, 2L))
                    .get(60, TimeUnit.SECONDS);

            assertThat(result.delivered()).isFalse();
            assertThat(result.httpStatus()).isEqualTo(500);
            assertThat(result.error()).startsWith("The receiver answered HTTP 500: [31mdisk full yyy")
                    .endsWith("…")
                    .hasSizeLessThan(260)
                    .doesNotContainPattern("[\\p{Cntrl}\\p{Cf}]");
            // 1.5 GB on offer; what was written is what the sender read plus the sockets' buffers.
            assertThat(flooding.written()).isLessThan(64L * 1024 * 1024);
        }
        try (MisbehavingReceiver flooding = MisbehavingReceiver.flooding(200, "ok")) {
            WebhookSender sender = new WebhookSender(Duration.ofSeconds(1), Duration.ofSeconds(30), LOOPBACK_ALLOWED);
            WebhookSender.Result result = CompletableFuture
                    .supplyAsync(() -> sender.send(flooding.url("/hook"), "{}", "TEST", null, 3L))
                    .get(60, TimeUnit.SECONDS);
            assertThat(result.delivered()).as("a 2xx is a delivery; its body is not needed").isTrue();
            assertThat(flooding.written()).isLessThan(64L * 1024 * 1024);
        }
    }

    @Test
    void loopbackLinkLocalUnspecifiedMulticastPrivateAndOwnAddressesAreRefusedUnlessAllowed() throws Exception {
        WebhookTargets targets = new WebhookTargets(false);
        List<String> refused = new java.util.ArrayList<>(List.of(
                "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]/hook", "http://127.1.2.3/",
                "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://0.0.0.0:8080/", "http://[::]/",
                "http://224.0.0.1/", "http://[ff02::1]/", "http://255.255.255.255/", "http://10.0.0.1/",
                "http://172.16.5.4/", "http://192.168.1.1/", "http://100.64.0.1/", "http://[fd00::1]/",
                "http://[::ffff:127.0.0.1]/", "http://[::ffff:169.254.169.254]/", "http://[::127.0.0.1]/",
                "http://no-such-host.invalid/"));
        for (InetAddress own : WebhookTargets.ownAddresses()) {
            if (!own.isLoopbackAddress() && !own.isLinkLocalAddress()) {
                String literal = own.getHostAddress().replaceFirst("%.*$", "");
                refused.add("http://" + (literal.contains(":") ? "[" + literal + "]" : literal) + ":8080/");
            }
        }
        for (String url : refused) {
            assertThat(targets.refusal(URI.create(url))).as(url).isNotNull();
            assertThat(LOOPBACK_ALLOWED.refusal(URI.create(url))).as(url + " when allowed").isNull();
        }
        assertThat(targets.refusal(URI.create("http://169.254.169.254/latest/meta-data/")).text())
                .isEqualTo("Webhooks may not go to 169.254.169.254: it is a link-local address (where cloud metadata"
                        + " services answer). Give a receiver outside the console's own network, or set"
                        + " console.notifications.allow-private-targets=true.");
        assertThat(targets.refusal(URI.create("http://localhost/hook")).text()).contains("localhost (127.0.0.1)", "loopback");
        assertThat(targets.refusal(URI.create("https://203.0.113.10/hook"))).as("a public address").isNull();
        assertThat(targets.refusal(URI.create("https://[2001:db8::10]/hook"))).isNull();

        // The sender checks again before each attempt: nothing reaches a loopback receiver.
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            WebhookSender.Result result = new WebhookSender(Duration.ofSeconds(1), DEADLINE, targets)
                    .send(receiver.url("/hook"), "{}", "TEST", null, 4L);
            assertThat(result.delivered()).isFalse();
            assertThat(result.error()).startsWith("Webhooks may not go to 127.0.0.1: it is a loopback address.");
            assertThat(receiver.received()).isEmpty();
        }
    }
}
