package io.eksaccess.console.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * aws-iam-authenticator's own {@code ParseMap}, run as the {@code authenticator-parse} program
 * that {@code .ci/testbin/build} compiles from the authenticator's Go module: the reference our
 * aws-auth parser is held against.
 */
public final class AuthenticatorOracle {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuthenticatorOracle() {}

    /**
     * Parses a ConfigMap's data the way the authenticator does.
     *
     * @return {@code {"roles":[…],"users":[…],"accounts":[…],"error":null|"…","sectionErrors":{…}}}
     */
    public static JsonNode parse(Map<String, String> configMapData) {
        try {
            Process process = new ProcessBuilder(TestInfra.binary("authenticator-parse").toString())
                    .redirectError(ProcessBuilder.Redirect.PIPE)
                    .start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(JSON.writeValueAsBytes(configMapData));
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("authenticator-parse failed (exit "
                        + (process.isAlive() ? "timeout" : process.exitValue()) + "): " + err);
            }
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses many ConfigMaps' data with one process ({@code authenticator-parse --jsonl}); the
     * answers are in the order of the inputs, each shaped as {@link #parse} returns it.
     */
    public static List<JsonNode> parseAll(List<Map<String, String>> configMapData) {
        try {
            Process process = new ProcessBuilder(TestInfra.binary("authenticator-parse").toString(), "--jsonl")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            // Write on another thread: the oracle answers line by line and both pipes are bounded.
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try (BufferedWriter stdin = new BufferedWriter(
                        new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8))) {
                    for (Map<String, String> data : configMapData) {
                        stdin.write(JSON.writeValueAsString(data));
                        stdin.write('\n');
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            List<JsonNode> results = new ArrayList<>(configMapData.size());
            try (BufferedReader stdout = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = stdout.readLine()) != null; ) {
                    JsonNode result = JSON.readTree(line);
                    if (result.has("inputError")) {
                        throw new IllegalStateException("authenticator-parse could not read input "
                                + results.size() + ": " + result.get("inputError").asText());
                    }
                    results.add(result);
                }
            }
            writing.join();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0 || results.size() != configMapData.size()) {
                throw new IllegalStateException("authenticator-parse --jsonl answered " + results.size() + " of "
                        + configMapData.size() + " inputs");
            }
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
