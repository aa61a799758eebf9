package io.eksaccess.console.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * NAT64 (RFC 6052 64:ff9b::/96, RFC 8215 64:ff9b:1::/48): on an IPv6-only or dual-stack network with DNS64
 * and a NAT64 gateway (AWS VPCs offer both), 64:ff9b::a9fe:a9fe reaches 169.254.169.254 and
 * 64:ff9b::a00:1 reaches 10.0.0.1: the IPv4 address inside is where the request goes, so it is what is
 * checked. Only the DNS answers are scripted (no NAT64 gateway on a test machine).
 */
class WebhookNat64Test {

    private static WebhookTargets answering(String address) {
        return new WebhookTargets(false, host -> new InetAddress[] {InetAddress.getByName(address)});
    }

    @Test
    void aNat64AddressIsCheckedAsTheIpv4AddressItTranslatesTo() {
        URI url = URI.create("https://hooks.example.com/hook");
        assertThat(answering("64:ff9b::a9fe:a9fe").refusal(url)).as("metadata service").isNotNull()
                .satisfies(s -> assertThat(s.text()).contains("(64:ff9b:0:0:0:0:a9fe:a9fe)").contains("link-local"));
        assertThat(answering("64:ff9b::a00:1").refusal(url)).as("RFC 1918").isNotNull()
                .satisfies(s -> assertThat(s.text()).contains("private address (RFC 1918)"));
        assertThat(answering("64:ff9b::7f00:1").refusal(url)).as("loopback").isNotNull()
                .satisfies(s -> assertThat(s.text()).contains("loopback"));
        assertThat(answering("64:ff9b:1::a00:1").refusal(url)).as("the local-use prefix translates into the"
                + " operator's own networks").isNotNull().satisfies(s -> assertThat(s.text()).contains("local-use NAT64"));
        assertThat(answering("64:ff9b::cb00:710a").refusal(url)).as("a public IPv4 address behind NAT64 may receive")
                .isNull();
        assertThat(answering("2001:db8::1").refusal(url)).as("other IPv6 unchanged").isNull();
    }

    @Test
    void theSenderRefusesANat64AddressOfTheMetadataServiceBeforeAnyConnection() {
        WebhookSender.Result result = new WebhookSender(Duration.ofMillis(500), Duration.ofSeconds(5),
                answering("64:ff9b::a9fe:a9fe")).send("http://hooks.example.com/hook", "{}", "TEST", null, 1L);
        assertThat(result.delivered()).isFalse();
        assertThat(result.error()).startsWith("Webhooks may not go to hooks.example.com (64:ff9b:0:0:0:0:a9fe:a9fe): it"
                + " is a link-local address");
    }
}
