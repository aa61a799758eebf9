package io.eksaccess.console.notification;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS rebinding: a name that answers a public address when it is checked and a loopback one when it
 * is looked up again must not bring a webhook to the loopback receiver. The sender resolves once,
 * checks every address, and connects to exactly the checked one, still naming the host (Host header).
 * Real receivers on local sockets; only the DNS answers are scripted (a rebinding DNS server cannot
 * be provoked on a test machine).
 */
class WebhookRebindingTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);

    @Test
    void aNameThatRebindsToLoopbackAfterItsCheckNeverReachesTheLoopbackReceiver() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            int port = URI.create(receiver.url("/")).getPort();
            AtomicInteger asked = new AtomicInteger();
            // First answer public (what the check sees), every later one loopback (what a second lookup would see).
            WebhookTargets targets = new WebhookTargets(false, host -> new InetAddress[] {asked.incrementAndGet() == 1
                    ? InetAddress.getByName("203.0.113.10") : InetAddress.getLoopbackAddress()});

            // "localhost" so that a client doing its own lookup finds the loopback receiver, as a rebound name would.
            WebhookSender.Result result = new WebhookSender(Duration.ofMillis(500), DEADLINE, targets)
                    .send("http://localhost:" + port + "/hook", "{}", "TEST", null, 1L);

            assertThat(receiver.received()).as("nothing reached the loopback receiver").isEmpty();
            assertThat(result.delivered()).isFalse();
            assertThat(asked).as("the name was resolved once, by the check").hasValue(1);
        }
    }

    @Test
    void everyAddressOfTheAnswerIsCheckedNotOnlyTheFirst() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            int port = URI.create(receiver.url("/")).getPort();
            WebhookTargets targets = new WebhookTargets(false, host -> new InetAddress[] {
                    InetAddress.getByName("203.0.113.10"), InetAddress.getByName("169.254.169.254"),
                    InetAddress.getLoopbackAddress()});

            WebhookSender.Result result = new WebhookSender(Duration.ofMillis(500), DEADLINE, targets)
                    .send("http://hooks.example.com:" + port + "/hook", "{}", "TEST", null, 2L);

            assertThat(result.delivered()).isFalse();
            assertThat(result.error()).isEqualTo("Webhooks may not go to hooks.example.com (169.254.169.254): it is a"
                    + " link-local address (where cloud metadata services answer). Give a receiver outside the console's"
                    + " own network, or set console.notifications.allow-private-targets=true.");
            assertThat(receiver.received()).isEmpty();
        }
    }

    @Test
    void addressLiteralsGoThroughTheSameCheckBeforeAnyConnection() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            int port = URI.create(receiver.url("/")).getPort();
            WebhookSender sender = new WebhookSender(Duration.ofMillis(500), DEADLINE, new WebhookTargets(false));
            for (String url : java.util.List.of("http://127.0.0.1:" + port + "/hook", "http://[::1]:" + port + "/hook",
                    "http://[::ffff:127.0.0.1]:" + port + "/hook", "http://169.254.169.254/latest/meta-data/")) {
                WebhookSender.Result result = sender.send(url, "{}", "TEST", null, 6L);
                assertThat(result.delivered()).as(url).isFalse();
                assertThat(result.error()).as(url).startsWith("Webhooks may not go to ");
            }
            assertThat(receiver.received()).isEmpty();
        }
    }

    @Test
    void theConnectionGoesToTheResolvedAddressAndStillNamesTheHost() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.answering(204)) {
            int port = URI.create(receiver.url("/")).getPort();
            AtomicInteger asked = new AtomicInteger();
            WebhookTargets targets = new WebhookTargets(true, host -> {
                asked.incrementAndGet();
                assertThat(host).isEqualTo("receiver.example");
                return new InetAddress[] {InetAddress.getLoopbackAddress()};
            });

            WebhookSender.Result result = new WebhookSender(Duration.ofSeconds(2), DEADLINE, targets)
                    .send("http://receiver.example:" + port + "/hook", "{\"a\":1}", "TEST", "s3cret", 3L);

            assertThat(result.error()).isNull();
            assertThat(result.delivered()).isTrue();
            assertThat(asked).hasValue(1);
            assertThat(receiver.received()).singleElement().satisfies(r -> {
                assertThat(r.header("Host")).isEqualTo("receiver.example:" + port);
                assertThat(r.body()).isEqualTo("{\"a\":1}");
                assertThat(r.header(WebhookSender.SIGNATURE_HEADER))
                        .isEqualTo("sha256=" + WebhookSender.hmacSha256("s3cret", "{\"a\":1}"));
                assertThat(r.header(WebhookSender.DELIVERY_HEADER)).isEqualTo("3");
            });
        }
    }

    @Test
    void overHttpsTheServerNameAndCertificateCheckStayThoseOfTheHostWhileTheConnectionIsPinned(@TempDir Path dir)
            throws Exception {
        // A certificate for receiver.example only, made by the JDK's keytool (no test CA library on the classpath).
        Path store = dir.resolve("receiver.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-dname", "CN=receiver.example",
                "-ext", "san=dns:receiver.example", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);

        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        List<String> serverNames = new CopyOnWriteArrayList<>();
        List<String> hosts = new CopyOnWriteArrayList<>();
        server.createContext("/", exchange -> {
            for (SNIServerName name : ((ExtendedSSLSession) ((HttpsExchange) exchange).getSSLSession()).getRequestedServerNames()) {
                serverNames.add(((SNIHostName) name).getAsciiName());
            }
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            WebhookTargets targets = new WebhookTargets(true, host -> new InetAddress[] {InetAddress.getLoopbackAddress()});
            WebhookSender sender = new WebhookSender(Duration.ofSeconds(2), DEADLINE, targets, clientTls);

            WebhookSender.Result delivered = sender.send("https://receiver.example:" + port + "/hook", "{}", "TEST", null, 4L);
            assertThat(delivered.error()).isNull();
            assertThat(delivered.delivered()).isTrue();
            assertThat(serverNames).containsExactly("receiver.example");
            assertThat(hosts).containsExactly("receiver.example:" + port);

            // The same address under a name the certificate does not carry: the hostname check still refuses it.
            WebhookSender.Result refused = sender.send("https://other.example:" + port + "/hook", "{}", "TEST", null, 5L);
            assertThat(refused.delivered()).isFalse();
            assertThat(refused.error()).startsWith("Could not reach the receiver: SSLHandshakeException: No subject"
                    + " alternative DNS name matching other.example found");
            assertThat(hosts).hasSize(1);
        } finally {
            server.stop(0);
        }
    }
}
