package io.eksaccess.console.notification;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * A real HTTP server standing in for a webhook receiver: it records every request and answers
 * with the status its script gives for the n-th call (1-based). Public for other features' drift
 * and notification tests.
 */
public final class WebhookReceiver implements AutoCloseable {

    public record Received(String path, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();

    private WebhookReceiver(IntUnaryOperator statusForCall, String failureBody, long latencyMillis) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            int call = calls.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new java.util.TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            received.add(new Received(exchange.getRequestURI().getPath(), headers, body));
            if (latencyMillis > 0) {
                try {
                    Thread.sleep(latencyMillis); // a receiver that takes its time, so concurrent senders overlap
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = statusForCall.applyAsInt(call);
            byte[] answer = (status < 300 ? "ok" : failureBody).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    public static WebhookReceiver answering(int status) {
        return new WebhookReceiver(call -> status, "boom: the receiver's database is down", 0);
    }

    static WebhookReceiver scripted(IntUnaryOperator statusForCall) {
        return new WebhookReceiver(statusForCall, "try again later", 0);
    }

    static WebhookReceiver slow(long latencyMillis) {
        return new WebhookReceiver(call -> 204, "", latencyMillis);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
