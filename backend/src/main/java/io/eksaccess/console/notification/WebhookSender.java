package io.eksaccess.console.notification;

import io.eksaccess.console.system.Sentence;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Posts one body to one receiver, without following redirects (a webhook that moved is a
 * configuration to fix, not something to chase). One deadline covers the whole attempt (connect,
 * send, status and answer), and at most {@value #MAX_ANSWER_BYTES} bytes of the answer are read:
 * a receiver that trickles or floods its answer costs a bounded time and a few KB, not a stalled
 * dispatcher or the heap. The receiver's name is resolved once per attempt, by {@link WebhookTargets},
 * which checks every address; the connection goes to exactly those addresses (Apache HttpClient's
 * {@link DnsResolver}), so a DNS answer that changes after the check (rebinding) cannot redirect it.
 * The request still names the host: Host header, TLS server name (SNI) and certificate check.
 * Errors are described without the URL, which may carry a token (Slack's does), and quote at most
 * 200 printable characters of what the receiver said.
 */
final class WebhookSender {

    static final String SIGNATURE_HEADER = "X-EKS-Console-Signature";
    static final String EVENT_HEADER = "X-EKS-Console-Event";
    static final String DELIVERY_HEADER = "X-EKS-Console-Delivery";
    /** Enough for an error message; the rest of an answer is never read. */
    static final int MAX_ANSWER_BYTES = 4096;
    static final int MAX_EXCERPT = 200;

    /** Aborts attempts that pass their deadline; one daemon thread for all senders (it only calls cancel). */
    private static final ScheduledExecutorService DEADLINES = deadlines();

    /** @param httpStatus the receiver's status, or null when it never answered */
    record Result(boolean delivered, Integer httpStatus, String error) {}

    private final CloseableHttpClient http;
    private final Duration connectTimeout;
    private final Duration deadline;

    /**
     * @param connectTimeout how long to wait for the connection (within the deadline)
     * @param deadline the whole attempt, answer included
     */
    WebhookSender(Duration connectTimeout, Duration deadline, WebhookTargets targets) {
        this(connectTimeout, deadline, targets, null);
    }

    /** @param tls trust for HTTPS receivers, or null for the JVM's default trust store */
    WebhookSender(Duration connectTimeout, Duration deadline, WebhookTargets targets, SSLContext tls) {
        this.connectTimeout = connectTimeout.compareTo(deadline) < 0 ? connectTimeout : deadline;
        this.deadline = deadline;
        PoolingHttpClientConnectionManagerBuilder connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new CheckedResolver(targets))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(this.connectTimeout))
                        .setSocketTimeout(Timeout.of(deadline))
                        .build());
        if (tls != null) {
            connections.setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(tls).buildClassic());
        }
        // No proxy, retries, redirects, cookies, decompression or kept connections: each attempt is one
        // fresh connection to the address its own lookup checked.
        this.http = HttpClients.custom()
                .setConnectionManager(connections.build())
                .setConnectionReuseStrategy((request, response, context) -> false)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(false)
                        .setConnectionRequestTimeout(Timeout.of(deadline))
                        .setResponseTimeout(Timeout.of(deadline))
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .disableDefaultUserAgent()
                .build();
    }

    /** Resolution for connections: the targets' single checked lookup, refusing what they refuse. */
    private record CheckedResolver(WebhookTargets targets) implements DnsResolver {

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return targets.addresses(host);
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host; // only asked for Kerberos/SPNEGO, which webhooks never use
        }
    }

    /**
     * @param secret HMAC key, or null for an unsigned request
     * @param deliveryId identifies the delivery to the receiver (the same on every retry), or null
     */
    Result send(String url, String body, String eventType, String secret, Long deliveryId) {
        HttpPost request;
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("not an HTTP URL");
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                return new Result(false, null, Sentence.of("error.webhook.no-host").text());
            }
            request = new HttpPost(uri);
        } catch (IllegalArgumentException e) {
            return new Result(false, null, "The endpoint's URL is not valid; correct it on the endpoint's page.");
        }
        request.setHeader("User-Agent", "eks-access-console");
        request.setHeader(EVENT_HEADER, eventType);
        if (deliveryId != null) {
            request.setHeader(DELIVERY_HEADER, Long.toString(deliveryId));
        }
        if (secret != null && !secret.isEmpty()) {
            request.setHeader(SIGNATURE_HEADER, "sha256=" + hmacSha256(secret, body));
        }
        request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8)));
        AtomicBoolean late = new AtomicBoolean();
        ScheduledFuture<?> timer = DEADLINES.schedule(() -> {
            late.set(true);
            request.cancel(); // closes the connection, wherever the attempt is
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        ClassicHttpResponse response = null;
        try {
            response = http.executeOpen(null, request, null);
            int status = response.getCode();
            String answer = readStart(response.getEntity()); // as far as the limit or the end, within the deadline
            if (late.get()) {
                return tooSlow();
            }
            if (status >= 200 && status < 300) {
                return new Result(true, status, null);
            }
            return new Result(false, status, "The receiver answered HTTP " + status + excerpt(answer));
        } catch (IOException | RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof WebhookTargets.Refused refused) {
                    return new Result(false, null, refused.reason().text());
                }
            }
            if (late.get()) {
                return tooSlow();
            }
            if (e instanceof ConnectTimeoutException) {
                return new Result(false, null, "No answer within " + describe(connectTimeout) + " (the connection"
                        + " was not accepted).");
            }
            if (e instanceof java.net.SocketTimeoutException) {
                return new Result(false, null, "No answer within " + describe(deadline) + " (SocketTimeoutException).");
            }
            if (e instanceof IOException io) {
                return new Result(false, null, "Could not reach the receiver: " + describe(io, url));
            }
            return new Result(false, null, "Could not send: " + e.getClass().getSimpleName() + ".");
        } finally {
            timer.cancel(false);
            closeUnread(request, response);
        }
    }

    /** Closes the connection without draining what the receiver still has to say (a close would read it all). */
    private static void closeUnread(HttpPost request, ClassicHttpResponse response) {
        request.cancel();
        if (response != null) {
            try {
                response.close();
            } catch (IOException | RuntimeException alreadyAborted) {
                // the connection is gone, which is all this was for
            }
        }
    }

    private Result tooSlow() {
        return new Result(false, null, "No complete answer within " + describe(deadline) + " (the receiver is too slow).");
    }

    /** At most {@value #MAX_ANSWER_BYTES} bytes of the answer, however much is on offer. */
    private static String readStart(HttpEntity entity) throws IOException {
        if (entity == null) {
            return "";
        }
        InputStream in = entity.getContent();
        if (in == null) {
            return "";
        }
        byte[] kept = in.readNBytes(MAX_ANSWER_BYTES);
        return new String(kept, StandardCharsets.UTF_8);
    }

    private static ScheduledExecutorService deadlines() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "webhook-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    static String hmacSha256(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static String describe(IOException e, String url) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            Throwable cause = e.getCause();
            message = cause != null && cause.getMessage() != null ? cause.getMessage() : "";
        }
        message = message.replace(url, "<endpoint URL>");
        String kind = e.getClass().getSimpleName();
        return message.isBlank() ? kind + "." : kind + ": " + printable(message) + ".";
    }

    /** The start of the receiver's answer helps to see why it refused; it is its text, not ours. */
    static String excerpt(String body) {
        String printable = body == null ? "" : printable(body);
        return printable.isEmpty() ? "." : ": " + printable;
    }

    /** Control and formatting characters (newlines, escapes, bidi overrides) removed, spaces collapsed, capped. */
    static String printable(String text) {
        String clean = text.replaceAll("[\\p{Cntrl}\\p{Cf}\\s]+", " ").strip();
        return clean.length() > MAX_EXCERPT ? clean.substring(0, MAX_EXCERPT) + "…" : clean;
    }
}
