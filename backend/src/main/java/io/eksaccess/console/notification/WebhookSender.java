package io.eksaccess.console.notification;

import io.eksaccess.console.system.Sentence;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts one body to one receiver, without following redirects (a webhook that moved is a
 * configuration to fix, not something to chase). One deadline covers the whole attempt (connect,
 * send, status and answer), and at most {@value #MAX_ANSWER_BYTES} bytes of the answer are read:
 * a receiver that trickles or floods its answer costs a bounded time and a few KB, not a stalled
 * dispatcher or the heap. The target is checked ({@link WebhookTargets}) before every attempt.
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

    /** @param httpStatus the receiver's status, or null when it never answered */
    record Result(boolean delivered, Integer httpStatus, String error) {}

    private final HttpClient http;
    private final Duration deadline;
    private final WebhookTargets targets;

    /**
     * @param connectTimeout how long to wait for the connection (within the deadline)
     * @param deadline the whole attempt, answer included
     */
    WebhookSender(Duration connectTimeout, Duration deadline, WebhookTargets targets) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout.compareTo(deadline) < 0 ? connectTimeout : deadline)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.deadline = deadline;
        this.targets = targets;
    }

    /**
     * @param secret HMAC key, or null for an unsigned request
     * @param deliveryId identifies the delivery to the receiver (the same on every retry), or null
     */
    Result send(String url, String body, String eventType, String secret, Long deliveryId) {
        URI uri;
        HttpRequest.Builder request;
        try {
            uri = URI.create(url);
            request = HttpRequest.newBuilder(uri);
        } catch (IllegalArgumentException e) {
            return new Result(false, null, "The endpoint's URL is not valid; correct it on the endpoint's page.");
        }
        Sentence refused = targets.refusal(uri); // again now: the name may resolve elsewhere than when it was saved
        if (refused != null) {
            return new Result(false, null, refused.text());
        }
        request.timeout(deadline)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "eks-access-console")
                .header(EVENT_HEADER, eventType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (deliveryId != null) {
            request.header(DELIVERY_HEADER, Long.toString(deliveryId));
        }
        if (secret != null && !secret.isEmpty()) {
            request.header(SIGNATURE_HEADER, "sha256=" + hmacSha256(secret, body));
        }
        CompletableFuture<HttpResponse<String>> answer =
                http.sendAsync(request.build(), info -> new BoundedAnswer(MAX_ANSWER_BYTES));
        try {
            HttpResponse<String> response = answer.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Result(true, status, null);
            }
            return new Result(false, status, "The receiver answered HTTP " + status + excerpt(response.body()));
        } catch (TimeoutException e) {
            answer.cancel(true); // closes the connection
            return new Result(false, null,
                    "No complete answer within " + describe(deadline) + " (the receiver is too slow).");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return new Result(false, null,
                        "No answer within " + describe(deadline) + " (" + cause.getClass().getSimpleName() + ").");
            }
            if (cause instanceof IOException io) {
                return new Result(false, null, "Could not reach the receiver: " + describe(io, url));
            }
            return new Result(false, null,
                    "Could not send: " + (cause == null ? "unknown error" : cause.getClass().getSimpleName()) + ".");
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return new Result(false, null, "Interrupted while sending (the console is shutting down).");
        }
    }

    /**
     * Keeps the first {@code limit} bytes of the answer and then cancels the rest (which closes
     * the connection), so the size of an answer costs nothing beyond them.
     */
    static final class BoundedAnswer implements HttpResponse.BodySubscriber<String> {

        private final CompletableFuture<String> text = new CompletableFuture<>();
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final int limit;
        private Flow.Subscription subscription;

        BoundedAnswer(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<String> getBody() {
            return text;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), limit - kept.size());
                byte[] bytes = new byte[take];
                buffer.get(bytes);
                kept.write(bytes, 0, take);
            }
            if (kept.size() >= limit) {
                subscription.cancel();
                finish();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            text.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            finish();
        }

        private void finish() {
            text.complete(kept.toString(StandardCharsets.UTF_8));
        }
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
