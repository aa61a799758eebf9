package io.eksaccess.console.notification;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts one body to one receiver, with timeouts and without following redirects (a webhook that
 * moved is a configuration to fix, not something to chase). Errors are described without the URL,
 * which may carry a token (Slack's does).
 */
final class WebhookSender {

    static final String SIGNATURE_HEADER = "X-EKS-Console-Signature";
    static final String EVENT_HEADER = "X-EKS-Console-Event";
    static final String DELIVERY_HEADER = "X-EKS-Console-Delivery";

    /** @param httpStatus the receiver's status, or null when it never answered */
    record Result(boolean delivered, Integer httpStatus, String error) {}

    private final HttpClient http;
    private final Duration requestTimeout;

    WebhookSender(Duration connectTimeout, Duration requestTimeout) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = requestTimeout;
    }

    /**
     * @param secret HMAC key, or null for an unsigned request
     * @param deliveryId identifies the delivery to the receiver (the same on every retry), or null
     */
    Result send(String url, String body, String eventType, String secret, Long deliveryId) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url));
        } catch (IllegalArgumentException e) {
            return new Result(false, null, "The endpoint's URL is not valid; correct it on the endpoint's page.");
        }
        request.timeout(requestTimeout)
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
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Result(true, status, null);
            }
            return new Result(false, status, "The receiver answered HTTP " + status + excerpt(response.body()));
        } catch (HttpTimeoutException e) {
            return new Result(false, null, "No answer within the time limit (" + e.getClass().getSimpleName() + ").");
        } catch (IOException e) {
            return new Result(false, null, "Could not reach the receiver: " + describe(e, url));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, null, "Interrupted while sending (the console is shutting down).");
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

    private static String describe(IOException e, String url) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            Throwable cause = e.getCause();
            message = cause != null && cause.getMessage() != null ? cause.getMessage() : "";
        }
        message = message.replace(url, "<endpoint URL>");
        String kind = e.getClass().getSimpleName();
        return message.isBlank() ? kind + "." : kind + ": " + shorten(message) + ".";
    }

    /** The start of the receiver's answer helps to see why it refused; it is its text, not ours. */
    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return ".";
        }
        return ": " + shorten(body.strip().replaceAll("\\s+", " "));
    }

    private static String shorten(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
