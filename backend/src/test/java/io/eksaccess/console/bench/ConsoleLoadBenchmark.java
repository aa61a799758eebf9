package io.eksaccess.console.bench;

import io.eksaccess.console.ConsoleApplication;
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
import java.io.InputStream;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Not a test (surefire's default includes leave it out; it asserts no timing): the load run that
 * {@code .ci/load/run} starts. A dedicated real API server gets the 20,000 RBAC objects of
 * {@link ClusterCacheBenchmark} plus the demo cluster's aws-auth; a console process (main classes
 * only, production settings, {@code -Xmx768m} as 75% of the Helm chart's 1 GiB limit) caches it as
 * cluster {@value #CLUSTER}; 50 people sign in through the demo issuer; then wrk (Debian's
 * package) drives each page with 50 connections that take turns over the 50 sessions, and
 * finally all pages mixed. Prints p50/p95/p99 latency, throughput, errors and the console's heap
 * (actuator {@code jvm.memory.used}, area heap, sampled every second).
 *
 * <p>Pages that do not exist yet answer 404: they are reported apart and left out of the runs.
 * Properties: {@code load.seconds} (per page, default 20), {@code load.connections} (50),
 * {@code load.sessions} (50), {@code load.warmupSeconds} (90, all pages mixed before anything is
 * measured), {@code load.thinkMs} (1000,250), {@code load.jfr} (true: a Flight
 * Recording of the console into target/test-infra/load-console.jfr).
 */
class ConsoleLoadBenchmark {

    static final String CLUSTER = "bench";
    static final int SESSIONS = Integer.getInteger("load.sessions", 50);
    static final int CONNECTIONS = Integer.getInteger("load.connections", 50);
    static final int SECONDS = Integer.getInteger("load.seconds", 20);
    static final int WARMUP_SECONDS = Integer.getInteger("load.warmupSeconds", 90);
    /**
     * A person's pause between two pages in the last runs, one run per value (uniform around it,
     * ±50%): ~1 s is someone reading, 250 ms someone clicking through fast; 0 leaves them out.
     */
    static final List<Integer> THINK_MS = Arrays.stream(System.getProperty("load.thinkMs", "1000,250").split(","))
            .map(String::strip).map(Integer::parseInt).filter(ms -> ms > 0).toList();
    static final Pattern RESULT = Pattern.compile(
            "RESULT requests=(\\d+) duration_us=(\\d+) p50_us=(\\d+) p95_us=(\\d+) p99_us=(\\d+) max_us=(\\d+)"
                    + " not_200=(\\d+) socket_errors=(\\d+)");

    /** The pages under load; the bindings and who-can pages come with the RBAC pages (404 until then). */
    static final Map<String, String> PAGES = new LinkedHashMap<>();

    static {
        PAGES.put("clusters", "/clusters");
        PAGES.put("cluster overview", "/clusters/" + CLUSTER);
        PAGES.put("mappings + who-is", "/clusters/" + CLUSTER
                + "/mappings?arn=arn%3Aaws%3Asts%3A%3A111122223333%3Aassumed-role%2FPlatformAdmins%2Falice");
        PAGES.put("bindings", "/clusters/" + CLUSTER + "/rbac?subject=user-7");
        PAGES.put("who-can", "/clusters/" + CLUSTER + "/who-can?verb=get&resource=configmaps&namespace=bench-7");
        PAGES.put("requests", "/requests");
    }

    /**
     * Each role's dashboard ("/"): its sections differ, so each runs over sessions of that role only,
     * on a seeded review queue, requester history, report and failed applies ({@link #seedDashboards}).
     */
    static final Map<String, String> DASHBOARDS = new LinkedHashMap<>();

    static {
        DASHBOARDS.put("dashboard admin", "admin");
        DASHBOARDS.put("dashboard requester", "requester");
        DASHBOARDS.put("dashboard approver", "approver");
        DASHBOARDS.put("dashboard auditor", "auditor");
    }

    @Test
    void fiftySessionsOnAClusterOfTwentyThousandRbacObjects() throws Exception {
        Path wrk = Path.of("/usr/bin/wrk");
        if (!Files.isExecutable(wrk)) {
            throw new IllegalStateException("The load run needs wrk: as root, apt-get install wrk");
        }
        KubeApiServer apiServer = KubeApiServer.startDedicated();
        TestProcess console = null;
        try {
            try (KubernetesClient admin = apiServer.adminClient()) {
                Instant start = Instant.now();
                int created = ClusterCacheBenchmark.load(admin);
                System.out.printf("seeded %,d RBAC objects in %d s%n", created, Duration.between(start, Instant.now()).toSeconds());
            }
            try (InputStream demo = ConsoleLoadBenchmark.class.getResourceAsStream("/demo/demo-cluster.yaml")) {
                apiServer.apply(new String(demo.readAllBytes(), StandardCharsets.UTF_8));
            }

            int port = FreePorts.next();
            String base = "http://localhost:" + port;
            String database = TestPostgres.newDatabase();
            console = startConsole(port, apiServer, database);
            console.awaitHttp(base + "/actuator/health/readiness", s -> s == 200, Duration.ofMinutes(5));
            seedDashboards(database);

            Instant signInStart = Instant.now();
            List<WebSession> sessions = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                WebSession session = new WebSession();
                SignIn.viaDemoIssuer(session, base, i % 2 == 0 ? "admin" : "requester");
                sessions.add(session);
            }
            // The approvers and auditors, as many as each of the two roles above, for their dashboards.
            Map<String, List<WebSession>> byRole = new LinkedHashMap<>();
            for (int i = 0; i < SESSIONS; i++) {
                byRole.computeIfAbsent(i % 2 == 0 ? "admin" : "requester", r -> new ArrayList<>()).add(sessions.get(i));
            }
            for (String role : List.of("approver", "auditor")) {
                for (int i = 0; i < (SESSIONS + 1) / 2; i++) {
                    WebSession session = new WebSession();
                    SignIn.viaDemoIssuer(session, base, role);
                    byRole.computeIfAbsent(role, r -> new ArrayList<>()).add(session);
                }
            }
            System.out.printf("signed in %d sessions in %d s%n", SESSIONS + byRole.get("approver").size() * 2,
                    Duration.between(signInStart, Instant.now()).toSeconds());
            List<String> cookies = sessions.stream().map(s -> s.cookieHeader(base + "/")).toList();
            WebSession probe = sessions.get(0);
            awaitLive(probe, base);
            System.out.printf("%d sessions signed in; cluster '%s' cached%n", sessions.size(), CLUSTER);

            Map<String, String> ready = new LinkedHashMap<>();
            for (Map.Entry<String, String> page : PAGES.entrySet()) {
                WebSession.Page answer = probe.get(base + page.getValue());
                if (answer.status() == 404) {
                    System.out.printf("NOT BUILT YET (404): %s %s%n", page.getKey(), page.getValue());
                } else if (answer.status() != 200) {
                    System.out.printf("ERROR %d before the run: %s %s%n", answer.status(), page.getKey(), page.getValue());
                } else {
                    ready.put(page.getKey(), page.getValue());
                }
            }
            for (Map.Entry<String, String> dashboard : DASHBOARDS.entrySet()) {
                WebSession.Page answer = byRole.get(dashboard.getValue()).get(0).get(base + "/");
                if (answer.status() != 200 || !answer.body().contains("id=\"home-")) {
                    throw new IllegalStateException(dashboard.getKey() + " answered " + answer.status()
                            + " without a section before the run");
                }
            }
            List<String> mixed = new ArrayList<>(ready.values());
            mixed.add("/"); // people land on the dashboard after every sign-in

            if (WARMUP_SECONDS > 0) {
                // The JIT compiles the request path during the first tens of thousands of requests
                // (C2 took a fifth of the CPU in runs without this); measure the warmed-up console.
                System.out.printf("warm-up: all pages mixed for %d s, not counted: %s%n", WARMUP_SECONDS,
                        run(wrk, base, "warm-up", mixed, cookies, WARMUP_SECONDS, 0).strip());
            }
            // One person, one request at a time: the page's own cost, without queueing behind 49 others.
            System.out.printf("%nalone (20 requests in a row, one session; after 5 to warm up):%n");
            for (Map.Entry<String, String> page : ready.entrySet()) {
                System.out.println(alone(probe, base, page.getKey(), page.getValue()));
            }
            for (Map.Entry<String, String> dashboard : DASHBOARDS.entrySet()) {
                System.out.println(alone(byRole.get(dashboard.getValue()).get(0), base, dashboard.getKey(), "/"));
            }
            String loadAtStart = loadAverage();
            HeapSampler heap = new HeapSampler(probe, base);
            System.out.printf("heap before the runs: %s%n", heap.mib(heap.sample()));
            heap.start();
            List<String> table = new ArrayList<>();
            table.add(String.format("%-20s %9s %8s %8s %8s %8s %9s %7s %7s", "page", "requests", "req/s", "p50 ms",
                    "p95 ms", "p99 ms", "max ms", "non-200", "socket"));
            for (Map.Entry<String, String> page : ready.entrySet()) {
                table.add(run(wrk, base, page.getKey(), List.of(page.getValue()), cookies, SECONDS, 0));
            }
            for (Map.Entry<String, String> dashboard : DASHBOARDS.entrySet()) {
                List<String> ofRole = byRole.get(dashboard.getValue()).stream().map(s -> s.cookieHeader(base + "/")).toList();
                table.add(run(wrk, base, dashboard.getKey(), List.of("/"), ofRole, SECONDS, 0));
            }
            table.add(run(wrk, base, "all pages mixed", mixed, cookies, SECONDS * 2, 0));
            // The runs above have each connection send its next request the moment an answer comes
            // (a saturation test); people read a page before the next click.
            for (int thinkMs : THINK_MS) {
                table.add(run(wrk, base, "mixed, " + thinkMs + " ms think", mixed, cookies,
                        SECONDS * 2, thinkMs));
            }
            heap.stop();
            String loadAtEnd = loadAverage();

            System.out.printf("%nconsole under load: %d connections over %d signed-in sessions, %d s per page;"
                    + " machine: %d cores, load average %s at the start%n",
                    CONNECTIONS, SESSIONS, SECONDS, Runtime.getRuntime().availableProcessors(), loadAtStart);
            table.forEach(System.out::println);
            System.out.printf("heap (jvm.memory.used, area heap; -Xmx768m): after the runs %s, highest sample %s%n",
                    heap.mib(heap.sample()), heap.mib(heap.max()));
            System.out.printf("errors: non-200 answers (a redirect to /login counts) and socket errors (connect, read,"
                    + " write, wrk's 10 s timeout); load average at the end %s (other builds share the machine)%n", loadAtEnd);
        } finally {
            if (console != null) {
                console.close();
            }
            apiServer.close();
        }
    }

    /**
     * A morning's worth of dashboard content in the console's database (after its migrations): 45
     * requests waiting for review (some expiring within a day), the requester's open, granted and
     * decided ones, 2,000 older requests of others, failed applies, break-glass uses, drift and a
     * report with a chain verification.
     */
    private static void seedDashboards(String database) throws java.sql.SQLException {
        String other = "'{\"kind\":\"UNMAP_ROLE\",\"arn\":\"arn:aws:iam::111122223333:role/load\"}'";
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(database);
                java.sql.Statement sql = connection.createStatement()) {
            String insert = "INSERT INTO access_requests (cluster, requester_subject, requester_name, change,"
                    + " justification, state, expires_at, created_at, resolved_at, applied_at, grant_ends_at,"
                    + " outcome_message, break_glass) ";
            // Waiting for review, oldest 58 h: those past 48 h expire within a day (the 72 h default).
            sql.execute(insert + "SELECT '" + CLUSTER + "', 'person-' || i, 'Person ' || i, " + other + ", 'load',"
                    + " 'PENDING', now() + ((72 - i * 1.3) || ' hours')::interval, now() - ((i * 1.3) || ' hours')::interval,"
                    + " NULL, NULL, NULL, NULL, false FROM generate_series(1, 45) i");
            sql.execute(insert + "SELECT '" + CLUSTER + "', 'requester', 'Rita Requester', " + other + ", 'load',"
                    + " 'PENDING', now() + interval '60 hours', now() - (i || ' hours')::interval,"
                    + " NULL, NULL, NULL, NULL, false FROM generate_series(1, 5) i");
            sql.execute(insert + "SELECT '" + CLUSTER + "', 'requester', 'Rita Requester', " + other + ", 'load',"
                    + " 'APPLIED', now(), now() - interval '1 day', now() - (i || ' hours')::interval,"
                    + " now() - (i || ' hours')::interval, now() + (i || ' hours')::interval, NULL, false"
                    + " FROM generate_series(1, 10) i");
            sql.execute(insert + "SELECT '" + CLUSTER + "', 'requester', 'Rita Requester', " + other + ", 'load',"
                    + " 'REJECTED', now(), now() - (i || ' days')::interval, now() - (i || ' days')::interval,"
                    + " NULL, NULL, NULL, false FROM generate_series(1, 30) i");
            sql.execute(insert + "SELECT '" + CLUSTER + "', 'person-' || (i % 300), 'Person', " + other + ", 'load',"
                    + " CASE WHEN i % 3 = 0 THEN 'REJECTED' ELSE 'EXPIRED' END, now(),"
                    + " now() - (i || ' hours')::interval, now() - (i || ' hours')::interval, NULL, NULL, NULL,"
                    + " i % 400 = 0 FROM generate_series(1, 2000) i");
            sql.execute(insert + "SELECT '" + CLUSTER + "', 'person-' || i, 'Person', " + other + ", 'load',"
                    + " 'FAILED', now(), now() - interval '2 hours', now() - interval '1 hour', NULL, NULL,"
                    + " 'conflict: aws-auth changed', false FROM generate_series(1, 3) i");
            sql.execute("INSERT INTO access_reports (scope, trigger, requested_by, generated_at, content, content_sha256)"
                    + " VALUES ('all', 'SCHEDULED', 'system:reports', now() - interval '1 day', '{}', repeat('a', 64))");
            sql.execute("INSERT INTO audit_chain_verifications (verified_at, rows_checked, first_broken_sequence,"
                    + " problem, replica) VALUES (now(), 42, NULL, NULL, 'load')");
            sql.execute("INSERT INTO drift_events (cluster, before_hash, after_hash, before_data, after_data, diff)"
                    + " VALUES ('" + CLUSTER + "', 'a', 'b', '{}', '{}', '-x\n+y')");
        }
    }

    private static TestProcess startConsole(int port, KubeApiServer apiServer, String database) throws IOException {
        Path dir = TestInfra.freshDir("load-console-");
        Path kubeconfig = apiServer.kubeconfigFor(CLUSTER);
        // Main classes and libraries only: the tests' config/application.properties (no template cache) stays out.
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m"));
        if (Boolean.getBoolean("load.jfr")) {
            Path recording = TestInfra.workDir().resolve("load-console.jfr");
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + recording);
            System.out.printf("profiling the console into %s%n", recording);
        }
        // e.g. -Dload.jvmArgs=-agentpath:/path/libasyncProfiler.so=start,event=itimer,file=cpu.txt,collapsed
        String jvmArgs = System.getProperty("load.jvmArgs", "").trim();
        if (!jvmArgs.isEmpty()) {
            command.addAll(List.of(jvmArgs.split("\\s+")));
        }
        command.addAll(List.of("-cp", classpath, ConsoleApplication.class.getName(),
                "--server.port=" + port,
                "--spring.datasource.url=" + database,
                "--console.data-dir=" + dir,
                "--console.clusters.kubeconfig=" + kubeconfig,
                "--console.aws.iam-checks=off",
                "--management.endpoints.web.exposure.include=health,metrics"));
        return TestProcess.start("load-console-" + port, command, dir);
    }

    /** The 1-, 5- and 15-minute load averages: on a shared machine they say how far to trust the figures. */
    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static void awaitLive(WebSession session, String base) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (!session.get(base + "/clusters/" + CLUSTER).html().select("#cluster-status .state-live").hasText()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("cluster " + CLUSTER + " did not sync within 3 minutes");
            }
            Thread.sleep(1000);
        }
    }

    private static String alone(WebSession session, String base, String label, String path) {
        for (int i = 0; i < 5; i++) {
            session.get(base + path);
        }
        List<Long> micros = new ArrayList<>();
        int bytes = 0;
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            WebSession.Page page = session.get(base + path);
            micros.add((System.nanoTime() - start) / 1000);
            bytes = page.body().length();
        }
        micros.sort(null);
        return String.format("%-20s median %7.1f ms   max %7.1f ms   page %,d chars", label,
                micros.get(micros.size() / 2) / 1000.0, micros.get(micros.size() - 1) / 1000.0, bytes);
    }

    /** One wrk run over the paths; returns its line of the table. */
    private static String run(Path wrk, String base, String label, List<String> paths, List<String> cookies, int seconds,
            int thinkMs) throws IOException, InterruptedException {
        Path script = TestInfra.freshDir("wrk-").resolve("sessions.lua");
        Files.writeString(script, luaScript(paths, cookies, thinkMs));
        Process process = new ProcessBuilder(wrk.toString(), "-t2", "-c" + CONNECTIONS, "-d" + seconds + "s",
                "--timeout", "10s", "-s", script.toString(), base).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher m = RESULT.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("wrk printed no result for " + label + ":\n" + output);
        }
        long requests = Long.parseLong(m.group(1));
        double duration = Long.parseLong(m.group(2)) / 1e6;
        return String.format("%-20s %9d %8.1f %8.1f %8.1f %8.1f %9.1f %7s %7s", label, requests, requests / duration,
                ms(m.group(3)), ms(m.group(4)), ms(m.group(5)), ms(m.group(6)), m.group(7), m.group(8));
    }

    private static double ms(String micros) {
        return Long.parseLong(micros) / 1000.0;
    }

    /**
     * Each request takes the next path and the next session; statuses other than 200 are counted
     * per thread. With {@code thinkMs} > 0 each connection pauses thinkMs ±50% before its next
     * request (wrk's delay(); the pause is not part of the latency).
     */
    static String luaScript(List<String> paths, List<String> cookies, int thinkMs) {
        String think = thinkMs <= 0 ? "" : """
                function delay()
                  return math.random(%d, %d)
                end
                """.formatted(thinkMs / 2, thinkMs * 3 / 2);
        return think + """
                local paths = {%s}
                local cookies = {%s}
                local threads = {}
                local counter = 0
                function setup(thread)
                  counter = counter + 1
                  thread:set("offset", counter * 17)
                  table.insert(threads, thread)
                end
                function init(args)
                  n = offset
                  not200 = 0
                end
                function request()
                  n = n + 1
                  return wrk.format("GET", paths[(n %% #paths) + 1],
                    {["Cookie"] = cookies[(math.floor(n / #paths) %% #cookies) + 1], ["Accept"] = "text/html"})
                end
                function response(status, headers, body)
                  if status ~= 200 then not200 = not200 + 1 end
                end
                function done(summary, latency, requests)
                  local bad = 0
                  for _, thread in ipairs(threads) do bad = bad + thread:get("not200") end
                  local e = summary.errors
                  io.write(string.format("RESULT requests=%%d duration_us=%%d p50_us=%%d p95_us=%%d p99_us=%%d max_us=%%d not_200=%%d socket_errors=%%d\\n",
                    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
                    latency:percentile(99), latency.max, bad, e.connect + e.read + e.write + e.timeout))
                end
                """.formatted(quoted(paths), quoted(cookies));
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", "));
    }

    /** The console's heap from its actuator, every second while the runs go on. */
    static final class HeapSampler {
        private static final Pattern VALUE = Pattern.compile("\"statistic\"\\s*:\\s*\"VALUE\"\\s*,\\s*\"value\"\\s*:\\s*([0-9.E+]+)");
        private final WebSession session;
        private final String url;
        private final AtomicLong max = new AtomicLong();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        HeapSampler(WebSession session, String base) {
            this.session = session;
            this.url = base + "/actuator/metrics/jvm.memory.used?tag=area:heap";
        }

        long sample() {
            WebSession.Page page = session.get(url, Map.of("Accept", "application/json"));
            Matcher m = VALUE.matcher(page.body());
            if (page.status() != 200 || !m.find()) {
                throw new IllegalStateException("no heap figure from " + url + " (" + page.status() + "): " + page.body());
            }
            long used = (long) Double.parseDouble(m.group(1));
            max.accumulateAndGet(used, Math::max);
            return used;
        }

        void start() {
            timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
        }

        void stop() {
            timer.shutdownNow();
        }

        long max() {
            return max.get();
        }

        String mib(long bytes) {
            return String.format("%.0f MiB", bytes / 1048576.0);
        }
    }
}
