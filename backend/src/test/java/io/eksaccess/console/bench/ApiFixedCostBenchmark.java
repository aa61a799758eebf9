package io.eksaccess.console.bench;

import io.eksaccess.console.ConsoleApplication;
import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.testsupport.BearerTokens;
import io.eksaccess.console.testsupport.FreePorts;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestInfra;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.TestProcess;
import io.eksaccess.console.testsupport.WebSession;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Not a test (surefire's default includes leave it out; it asserts no timing): the JSON API's
 * fixed cost per call (issue 19), measured as an outside client sees it. Consoles run in JVMs of
 * their own (main classes, production settings) on one real API server loaded with a
 * {@link SyntheticRbacWorld}; wrk (one connection, keep-alive, in C, so no client JIT or GC shares
 * the console's JVM) asks {@code /actuator/health} with a bearer token (the fixed part: no
 * controller work), who-can with a bearer token and who-can with a session cookie, then
 * kubectl-who-can answers the same questions against the same API server.
 *
 * <p>With {@code -Dbench.baseline=dir:dir:…} (the {@code target/classes} of another build, see
 * {@code .ci/bench/api-fixed-cost.sh}) a second console runs that build's classes and the two are
 * measured in alternating rounds (A/B, same machine, same minute), medians per build. With
 * {@code -Dbench.profile=<path of libasyncProfiler.so>} the current build's console is profiled
 * (CPU, 1 ms interval) over one extra run of each endpoint after the rounds; the collapsed stacks
 * go to target/test-infra/api-profile-*.collapsed.
 * Sizes: {@code bench.roles}, {@code bench.bindings}, {@code bench.namespaces}; {@code bench.rounds} (5),
 * {@code bench.seconds} per run (5), {@code bench.warmupSeconds} per endpoint and console (20).
 */
class ApiFixedCostBenchmark {

    static final String CLUSTER = "bench";
    static final int ROLES = Integer.getInteger("bench.roles", 1000);
    static final int BINDINGS = Integer.getInteger("bench.bindings", 4000);
    static final int NAMESPACES = Integer.getInteger("bench.namespaces", 40);
    static final int QUESTIONS = 20;
    static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    static final int SECONDS = Integer.getInteger("bench.seconds", 5);
    static final int WARMUP_SECONDS = Integer.getInteger("bench.warmupSeconds", 20);
    static final Pattern RESULT = Pattern.compile(
            "RESULT requests=(\\d+) duration_us=(\\d+) p50_us=(\\d+) p99_us=(\\d+) not_200=(\\d+) errors=(\\d+)");

    /** One build's console: its process, address and session cookie. */
    record Console(String label, TestProcess process, String base, String cookie) {}

    @Test
    void fixedCostPerCallOldAndNewSideBySide() throws Exception {
        Path wrk = Path.of("/usr/bin/wrk");
        if (!Files.isExecutable(wrk)) {
            throw new IllegalStateException("The benchmark needs wrk: as root, apt-get install wrk");
        }
        SyntheticRbacWorld world = new SyntheticRbacWorld("wc", ROLES, BINDINGS, NAMESPACES, 42);
        Random random = new Random(11);
        List<AccessRequest> questions = new ArrayList<>();
        while (questions.size() < QUESTIONS) {
            AccessRequest question = world.question(random);
            if (WhoCanVsKubectlBenchmark.kubectlWhoCanAccepts(question)) {
                questions.add(question);
            }
        }
        List<String> whoCanPaths = questions.stream().map(ApiFixedCostBenchmark::apiPath).toList();

        KubeApiServer apiServer = KubeApiServer.startDedicated();
        List<Console> consoles = new ArrayList<>();
        try {
            try (KubernetesClient admin = apiServer.adminClient()) {
                Instant start = Instant.now();
                WhoCanVsKubectlBenchmark.load(admin, world.objects());
                System.out.printf("world: %d roles, %d bindings in %d namespaces, loaded in %d s%n", ROLES, BINDINGS,
                        NAMESPACES, Duration.between(start, Instant.now()).toSeconds());
            }
            String baseline = System.getProperty("bench.baseline", "").trim();
            if (!baseline.isEmpty()) {
                consoles.add(start("old", apiServer, classpath(baseline), System.getProperty("bench.baselineJvmArgs", ""),
                        whoCanPaths.get(0)));
            }
            consoles.add(start("new", apiServer, classpath(""), System.getProperty("bench.jvmArgs", ""), whoCanPaths.get(0)));

            List<String> kinds = List.of("health, bearer", "who-can, bearer", "who-can, session");
            for (Console console : consoles) {
                for (String kind : kinds) {
                    run(wrk, console, kind, whoCanPaths, WARMUP_SECONDS); // the JIT compiles the request path
                }
            }
            String loadAtStart = loadAverage();
            // per build and endpoint: per-call ms (duration / requests) and p50 of each round
            Map<String, List<double[]>> figures = new LinkedHashMap<>();
            for (int round = 0; round < ROUNDS; round++) {
                List<Console> order = new ArrayList<>(consoles);
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order); // neither build always goes first
                }
                for (String kind : kinds) {
                    for (Console console : order) {
                        double[] result = run(wrk, console, kind, whoCanPaths, SECONDS);
                        figures.computeIfAbsent(console.label() + " | " + kind, k -> new ArrayList<>()).add(result);
                        System.out.printf("round %d %s %s: %.3f ms per call%n", round + 1, console.label(), kind, result[0]);
                    }
                }
            }
            String loadAtEnd = loadAverage();

            String profiler = System.getProperty("bench.profile", "").trim();
            if (!profiler.isEmpty()) {
                Console profiled = consoles.get(consoles.size() - 1);
                for (String kind : kinds) {
                    Path out = TestInfra.workDir().resolve("api-profile-" + kind.replaceAll("[^a-z]+", "-") + ".collapsed");
                    long pid = pidOf(profiled);
                    jcmd(pid, profiler, "start,event=" + System.getProperty("bench.profileEvent", "cpu")
                            + ",interval=1ms,threads");
                    double[] result = run(wrk, profiled, kind, whoCanPaths, Integer.getInteger("bench.profileSeconds", 30));
                    jcmd(pid, profiler, "stop,file=" + out + ",collapsed");
                    System.out.printf("profile of %s (%.0f calls): %s%n", kind, result[2], out);
                }
            }

            long[] kubectl = timeKubectlWhoCan(apiServer, questions);

            System.out.printf("%nper call, one keep-alive connection (wrk -c1), %d rounds of %d s, builds alternated;"
                    + " machine: %d cores, load average %s at the start, %s at the end%n", ROUNDS, SECONDS,
                    Runtime.getRuntime().availableProcessors(), loadAtStart, loadAtEnd);
            System.out.printf("%-6s %-18s %12s %12s   %s%n", "build", "endpoint", "median ms", "median p50", "rounds (ms per call)");
            Map<String, Double> medians = new LinkedHashMap<>();
            for (Map.Entry<String, List<double[]>> entry : figures.entrySet()) {
                double[] perCall = entry.getValue().stream().mapToDouble(r -> r[0]).toArray();
                double[] p50 = entry.getValue().stream().mapToDouble(r -> r[1]).toArray();
                String[] parts = entry.getKey().split(" \\| ");
                medians.put(entry.getKey(), median(perCall));
                System.out.printf("%-6s %-18s %12.3f %12.3f   %s%n", parts[0], parts[1], median(perCall), median(p50),
                        Arrays.stream(perCall).mapToObj(v -> String.format("%.3f", v)).collect(Collectors.joining(" ")));
            }
            double kubectlMs = medianOf(kubectl) / 1e6;
            System.out.printf("kubectl-who-can v0.4.0, a process per question: median %.1f ms over %d questions%n",
                    kubectlMs, kubectl.length);
            for (Map.Entry<String, Double> entry : medians.entrySet()) {
                if (entry.getKey().contains("who-can")) {
                    System.out.printf("ratio kubectl-who-can / %-26s %6.0fx%n", entry.getKey(), kubectlMs / entry.getValue());
                }
            }
            if (consoles.size() == 2) {
                for (String kind : kinds) {
                    System.out.printf("new / old, %-18s %6.2f%n", kind,
                            medians.get("new | " + kind) / medians.get("old | " + kind));
                }
            }
        } finally {
            for (Console console : consoles) {
                console.process().close();
            }
            apiServer.close();
        }
    }

    private static Console start(String label, KubeApiServer apiServer, String classpath, String jvmArgs,
            String whoCanPath) throws IOException {
        int port = FreePorts.next();
        String base = "http://localhost:" + port;
        Path dir = TestInfra.freshDir("api-bench-" + label + "-");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m"));
        if (!jvmArgs.isBlank()) {
            command.addAll(List.of(jvmArgs.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", classpath, ConsoleApplication.class.getName(),
                "--server.port=" + port,
                "--spring.datasource.url=" + TestPostgres.newDatabase(),
                "--console.data-dir=" + dir,
                "--console.clusters.kubeconfig=" + apiServer.kubeconfigFor(CLUSTER),
                "--console.aws.iam-checks=off"));
        TestProcess process = TestProcess.start("api-bench-" + label + "-" + port, command, dir);
        process.awaitHttp(base + "/actuator/health/readiness", s -> s == 200, Duration.ofMinutes(5));
        WebSession browser = new WebSession();
        SignIn.viaDemoIssuer(browser, base, "admin");
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        String first = base + whoCanPath;
        while (browser.get(first, Map.of("Accept", "application/json")).status() != 200) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("cluster " + CLUSTER + " did not sync in the " + label + " console");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return new Console(label, process, base, browser.cookieHeader(first));
    }

    /**
     * The current build's class path, or with {@code baseline}'s directories in place of this
     * build's own {@code target/classes} (the libraries are the same).
     */
    private static String classpath(String baseline) {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith("test-classes")) {
                continue; // the tests' config/application.properties stays out
            }
            boolean ownClasses = entry.endsWith("target" + File.separator + "classes");
            if (!ownClasses || baseline.isEmpty()) {
                entries.add(entry);
            }
        }
        if (!baseline.isEmpty()) {
            entries.addAll(0, List.of(baseline.split(File.pathSeparator)));
        }
        return String.join(File.pathSeparator, entries);
    }

    /** One wrk run with one connection: {ms per call, p50 ms, calls}. */
    private static double[] run(Path wrk, Console console, String kind, List<String> whoCanPaths, int seconds)
            throws IOException, InterruptedException {
        List<String> paths = kind.startsWith("health") ? List.of("/actuator/health") : whoCanPaths;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (kind.endsWith("session")) {
            headers.put("Cookie", console.cookie());
        } else {
            // A fresh token per run: the demo issuer's expire after 5 minutes, and in the minute of
            // clock skew after that every call is verified again (RSA), which is not the fixed cost.
            headers.put("Authorization", "Bearer " + BearerTokens.fromDemoIssuer(console.base(), "admin").accessToken());
        }
        Path script = TestInfra.freshDir("wrk-api-").resolve("api.lua");
        Files.writeString(script, luaScript(paths, headers));
        Process process = new ProcessBuilder(wrk.toString(), "-t1", "-c1", "-d" + seconds + "s", "--timeout", "10s",
                "-s", script.toString(), console.base()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher m = RESULT.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("wrk printed no result for " + kind + ":\n" + output);
        }
        long requests = Long.parseLong(m.group(1));
        if (!m.group(5).equals("0") || !m.group(6).equals("0")) {
            throw new IllegalStateException(console.label() + " " + kind + ": " + m.group(5) + " answers other than 200, "
                    + m.group(6) + " socket errors\n" + console.process().logTail());
        }
        return new double[] {Long.parseLong(m.group(2)) / 1000.0 / requests, Long.parseLong(m.group(3)) / 1000.0, requests};
    }

    static String luaScript(List<String> paths, Map<String, String> headers) {
        String headerTable = headers.entrySet().stream()
                .map(e -> "[\"" + e.getKey() + "\"] = \"" + e.getValue().replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", "));
        return """
                local paths = {%s}
                local headers = {%s}
                local n = 0
                not200 = 0
                function request()
                  n = n + 1
                  return wrk.format("GET", paths[(n %% #paths) + 1], headers)
                end
                function response(status, h, body)
                  if status ~= 200 then not200 = not200 + 1 end
                end
                local thread
                function setup(t) thread = t end
                function done(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format("RESULT requests=%%d duration_us=%%d p50_us=%%d p99_us=%%d not_200=%%d errors=%%d\\n",
                    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
                    thread:get("not200"), e.connect + e.read + e.write + e.timeout + e.status))
                end
                """.formatted(paths.stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(", ")), headerTable);
    }

    static String apiPath(AccessRequest question) {
        return WhoCanVsKubectlBenchmark.whoCanPath(CLUSTER, question);
    }

    private static long[] timeKubectlWhoCan(KubeApiServer apiServer, List<AccessRequest> questions) throws Exception {
        Path binary = TestInfra.binary("kubectl-who-can");
        long[] nanos = new long[questions.size()];
        for (int q = 0; q < questions.size(); q++) {
            List<String> command = WhoCanVsKubectlBenchmark.kubectlWhoCanCommand(binary, apiServer.kubeconfig(), questions.get(q));
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean ended = process.waitFor(120, TimeUnit.SECONDS);
            nanos[q] = System.nanoTime() - start;
            if (!ended || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl-who-can failed: " + command + "\n" + output);
            }
        }
        return nanos;
    }

    /** The console's JVM: the child process whose arguments name its port. */
    private static long pidOf(Console console) {
        String port = "--server.port=" + console.base().substring(console.base().lastIndexOf(':') + 1);
        return ProcessHandle.current().descendants()
                .filter(p -> commandLine(p.pid()).contains(port))
                .findFirst().orElseThrow(() -> new IllegalStateException("no process with " + port)).pid();
    }

    /** From /proc: ProcessHandle.Info leaves out command lines as long as the console's class path. */
    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** Loads async-profiler into the running JVM with one command (start, stop, …). */
    private static void jcmd(long pid, String library, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "JVMTI.agent_load", library,
                "\"" + command + "\"") // quoted: jcmd would read "event=cpu" as an option of its own
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0 || output.toLowerCase(java.util.Locale.ROOT).contains("error")) {
            throw new IllegalStateException("jcmd " + command + ": " + output);
        }
    }

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double medianOf(long[] values) {
        return median(Arrays.stream(values).asDoubleStream().toArray());
    }
}
