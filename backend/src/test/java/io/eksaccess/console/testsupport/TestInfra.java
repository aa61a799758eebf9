package io.eksaccess.console.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Where the test infrastructure keeps its binaries, logs and scratch space, and how a missing
 * prerequisite is reported: loudly, with the command that installs it. Nothing skips.
 */
public final class TestInfra {

    private TestInfra() {}

    /** The binaries {@code .ci/testbin/build} puts into its cache. */
    public static Path binary(String name) {
        return binary(binDir(), name);
    }

    static Path binary(Path dir, String name) {
        Path binary = dir.resolve(name);
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("Test binary '" + name + "' is missing at " + binary
                    + ". Build the test binaries first: .ci/testbin/build (from the repository root;"
                    + " the first build takes several minutes, later runs reuse the cache),"
                    + " or point EKS_CONSOLE_TESTBIN at a directory that holds bin/" + name + ".");
        }
        return binary;
    }

    static Path binDir() {
        String override = System.getenv("EKS_CONSOLE_TESTBIN");
        if (override != null && !override.isBlank()) {
            return Path.of(override).resolve("bin");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("eks-access-console").resolve("testbin").resolve("bin");
    }

    /** Runs a command to completion and returns its exit code and combined output. */
    public static CommandResult run(List<String> command, Path workDir) {
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within 2 minutes:\n" + output);
            }
            return new CommandResult(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record CommandResult(int exitCode, String output) {}

    /** {@code target/test-infra}: logs and data of the processes the tests start. */
    public static Path workDir() {
        Path dir = Path.of("target", "test-infra").toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static Path logDir() {
        Path dir = workDir().resolve("logs");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    public static Path freshDir(String prefix) {
        try {
            return Files.createTempDirectory(workDir(), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For readiness probes only: the test API server's serving certificate is self-signed. */
    static HttpClient insecureHttpClient() {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            // HTTP/1.1: a probe needs no multiplexing, and the API server answers early h2 probes with GOAWAY.
            return HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .sslContext(ssl)
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
