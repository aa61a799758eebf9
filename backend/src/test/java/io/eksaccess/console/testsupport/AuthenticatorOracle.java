package io.eksaccess.console.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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
}
