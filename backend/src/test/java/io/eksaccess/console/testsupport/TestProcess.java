package io.eksaccess.console.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * A real server process the tests depend on (etcd, kube-apiserver, Dex, moto). Its output goes to
 * a log file under {@code target/test-infra}; when it does not come up, the failure shows the
 * log's tail so the cause is visible in the test report.
 */
public final class TestProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private TestProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static TestProcess start(String name, List<String> command, Path workDir) {
        return start(name, command, workDir, java.util.Map.of());
    }

    /** With extra environment variables for the process. */
    public static TestProcess start(String name, List<String> command, Path workDir, java.util.Map<String, String> env) {
        try {
            Files.createDirectories(workDir);
            Path log = TestInfra.logDir().resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(env);
            Process process = builder
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            TestProcess started = new TestProcess(name, process, log);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-" + name));
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
    }

    /** Waits until {@code url} answers with a status the predicate accepts. */
    public void awaitHttp(String url, Predicate<Integer> ready, Duration timeout) {
        HttpClient http = TestInfra.insecureHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "\n" + logTail());
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.test(response.statusCode())) {
                    return;
                }
                last = "status " + response.statusCode();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        throw new IllegalStateException(
                name + " did not become ready at " + url + " within " + timeout + " (" + last + ")\n" + logTail());
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "--- last lines of " + log + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
