package io.eksaccess.console.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterSnapshot;
import io.eksaccess.console.cluster.cache.SyncState;
import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.RbacIndex;
import io.eksaccess.console.rbac.WhoCanAnswer;
import io.eksaccess.console.testsupport.BearerTokens;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestInfra;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Not a test (surefire's default includes leave it out; it asserts no timing): the side-by-side
 * of issue 6. Loads a {@link SyntheticRbacWorld} into a dedicated real API server, then asks the
 * same who-can questions of kubectl-who-can (built by {@code .ci/testbin/build kubectl-who-can})
 * and of the console's engine, and prints both timings and the ratio.
 *
 * <p>The console side is timed twice: through its JSON API ({@code GET /api/v1/clusters/bench/who-can},
 * a console on a random port with the signed-in admin's session, answering from its per-cluster
 * index) and in-process on an informer-backed cache ({@link ClusterCache} snapshot → {@link RbacIndex}).
 * Run it with {@code .ci/bench/who-can-vs-kubectl.sh}. Sizes: -Dbench.roles, -Dbench.bindings,
 * -Dbench.namespaces, -Dbench.questions.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WhoCanVsKubectlBenchmark {

    private static final int ROLES = Integer.getInteger("bench.roles", 1000);
    private static final int BINDINGS = Integer.getInteger("bench.bindings", 4000);
    private static final int NAMESPACES = Integer.getInteger("bench.namespaces", 40);
    private static final int QUESTIONS = Integer.getInteger("bench.questions", 20);
    private static final int API_WARM_UP = 5_000;
    private static final int API_ROUNDS = 10;

    static final SyntheticRbacWorld WORLD = new SyntheticRbacWorld("wc", ROLES, BINDINGS, NAMESPACES, 42);
    static KubeApiServer apiServer;

    /** The world is loaded before the console starts, so its cache's first sync holds all of it. */
    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) throws Exception {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        apiServer = KubeApiServer.startDedicated();
        try (KubernetesClient admin = apiServer.adminClient()) {
            long loadStart = System.nanoTime();
            load(admin, WORLD.objects());
            System.out.printf("world: %d roles, %d bindings in %d namespaces, loaded into a real kube-apiserver in %.1f s%n",
                    ROLES, BINDINGS, NAMESPACES, (System.nanoTime() - loadStart) / 1e9);
        }
        Path kubeconfig = apiServer.kubeconfigFor("bench");
        registry.add("console.clusters.kubeconfig", Once.of(kubeconfig::toString));
    }

    @AfterAll
    static void stopApiServer() {
        if (apiServer != null) {
            apiServer.close();
        }
    }

    @LocalServerPort
    int port;

    @Test
    void sameWhoCanQuestionsThroughTheConsoleEngineAndKubectlWhoCan() throws Exception {
        Path kubectlWhoCan = TestInfra.binary("kubectl-who-can");
        SyntheticRbacWorld world = WORLD;
        Random random = new Random(11);
        List<AccessRequest> questions = new ArrayList<>();
        while (questions.size() < QUESTIONS) {
            AccessRequest question = world.question(random);
            if (kubectlWhoCanAccepts(question)) {
                questions.add(question);
            }
        }
        String console = "http://localhost:" + port;
        WebSession browser = new WebSession();
        SignIn.viaDemoIssuer(browser, console, "admin");
        long[] api = timeThroughTheApi(questions, browser, Map.of("Accept", "application/json"));
        // Automation calls with a bearer token: no session row is read or touched in PostgreSQL.
        String token = BearerTokens.fromDemoIssuer(console, "admin").accessToken();
        long[] apiBearer = timeThroughTheApi(questions, new WebSession(),
                Map.of("Accept", "application/json", "Authorization", "Bearer " + token));
        try (KubernetesClient admin = apiServer.adminClient()) {

            try (ClusterCache cache = ClusterCache.start("bench", apiServer.adminClient(), Clock.systemUTC())) {
                while (cache.status().state() != SyncState.LIVE) {
                    Thread.sleep(20);
                }
                ClusterSnapshot snapshot = cache.snapshot();
                assertThat(snapshot.roleBindings().size()).as("the cache holds the world").isGreaterThanOrEqualTo(
                        world.roleBindings.size());

                // Console engine: warm the JIT first (a running console is warm), then time each question.
                for (int i = 0; i < 200; i++) {
                    RbacIndex.of(cache.snapshot()).whoCan(questions.get(i % QUESTIONS));
                }
                long[] consoleWithBuild = new long[QUESTIONS];
                long[] consoleIndexed = new long[QUESTIONS];
                RbacIndex index = RbacIndex.of(cache.snapshot());
                int[] subjectCounts = new int[QUESTIONS];
                for (int q = 0; q < QUESTIONS; q++) {
                    long start = System.nanoTime();
                    WhoCanAnswer answer = RbacIndex.of(cache.snapshot()).whoCan(questions.get(q));
                    consoleWithBuild[q] = System.nanoTime() - start;
                    subjectCounts[q] = answer.subjects().size();
                    start = System.nanoTime();
                    index.whoCan(questions.get(q));
                    consoleIndexed[q] = System.nanoTime() - start;
                }

                long[] kubectl = new long[QUESTIONS];
                for (int q = 0; q < QUESTIONS; q++) {
                    List<String> command = kubectlWhoCanCommand(kubectlWhoCan, apiServer.kubeconfig(), questions.get(q));
                    long start = System.nanoTime();
                    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    boolean ended = process.waitFor(120, TimeUnit.SECONDS);
                    kubectl[q] = System.nanoTime() - start;
                    assertThat(ended && process.exitValue() == 0)
                            .as("kubectl-who-can %s failed:%n%s", String.join(" ", command.subList(1, command.size())), output)
                            .isTrue();
                    System.out.printf("  q%-2d %-55s console %3d subjects %8.3f ms (%8.3f ms with index build) | kubectl-who-can %8.1f ms%n",
                            q, describe(questions.get(q)), subjectCounts[q], consoleIndexed[q] / 1e6,
                            consoleWithBuild[q] / 1e6, kubectl[q] / 1e6);
                }
                System.out.println();
                report("console JSON API who-can, session     ", api);
                report("console JSON API who-can, bearer token", apiBearer);
                report("console who-can on the cached index   ", consoleIndexed);
                report("console who-can incl. index build     ", consoleWithBuild);
                report("kubectl-who-can v0.4.0 (process)      ", kubectl);
                System.out.printf("ratio (median kubectl-who-can / median console JSON API, session): %.0fx%n",
                        median(kubectl) / median(api));
                System.out.printf("ratio (median kubectl-who-can / median console JSON API, bearer token): %.0fx%n",
                        median(kubectl) / median(apiBearer));
                System.out.printf("ratio (median kubectl-who-can / median console, cached index): %.0fx%n",
                        median(kubectl) / median(consoleIndexed));
                System.out.printf("ratio (median kubectl-who-can / median console, index rebuilt per question): %.0fx%n",
                        median(kubectl) / median(consoleWithBuild));
            }
        }
    }

    /**
     * Each question through GET /api/v1/clusters/bench/who-can, {@value #API_ROUNDS} times over, after
     * {@value #API_WARM_UP} warm-up calls (a running console is warm: a few hundred calls leave the
     * request path interpreted, which measured the JIT rather than the console).
     */
    private long[] timeThroughTheApi(List<AccessRequest> questions, WebSession admin, Map<String, String> headers)
            throws Exception {
        String console = "http://localhost:" + port;
        String first = apiUrl(console, questions.get(0));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (admin.get(first, headers).status() != 200) {
            assertThat(System.nanoTime()).as("the console's cache of cluster bench never synced").isLessThan(deadline);
            Thread.sleep(500);
        }
        Map<String, String> sent = new LinkedHashMap<>(headers);
        String cookies = admin.cookieHeader(first);
        if (!cookies.isEmpty()) {
            sent.put("Cookie", cookies);
        }
        for (int i = 0; i < API_WARM_UP; i++) {
            get(apiUrl(console, questions.get(i % questions.size())), sent);
        }
        long[] nanos = new long[questions.size() * API_ROUNDS];
        for (int round = 0; round < API_ROUNDS; round++) {
            for (int q = 0; q < questions.size(); q++) {
                String url = apiUrl(console, questions.get(q));
                long start = System.nanoTime();
                int status = get(url, sent);
                nanos[round * questions.size() + q] = System.nanoTime() - start;
                assertThat(status).as("GET " + url).isEqualTo(200);
            }
        }
        return nanos;
    }

    /**
     * One keep-alive GET that reads the whole answer, as an automation client would. The JDK's
     * HttpClient (WebSession) spent more CPU per call than the console did answering it, and on
     * two cores that CPU came out of the console's time.
     */
    private static int get(String url, Map<String, String> headers) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        headers.forEach(connection::setRequestProperty);
        int status = connection.getResponseCode();
        try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (body != null) {
                body.readAllBytes(); // read to the end, so the connection goes back to the keep-alive pool
            }
        }
        return status;
    }

    private static String apiUrl(String console, AccessRequest question) {
        return console + whoCanPath("bench", question);
    }

    /** The API's who-can path and query for one question (also timed by {@link ApiFixedCostBenchmark}). */
    static String whoCanPath(String cluster, AccessRequest question) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("verb", question.verb());
        query.put("resource", question.subresource().isEmpty() ? question.resource()
                : question.resource() + "/" + question.subresource());
        query.put("apiGroup", question.apiGroup());
        if (!question.namespace().isEmpty()) {
            query.put("namespace", question.namespace());
        }
        if (!question.name().isEmpty()) {
            query.put("name", question.name());
        }
        return "/api/v1/clusters/" + cluster + "/who-can?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** kubectl-who-can checks the verb against discovery: pods/log only has get, pods/exec create and get, … */
    static boolean kubectlWhoCanAccepts(AccessRequest request) {
        return switch (request.subresource()) {
            case "" -> true;
            case "log" -> request.verb().equals("get");
            case "exec" -> request.verb().equals("get") || request.verb().equals("create");
            case "scale" -> List.of("get", "update", "patch").contains(request.verb());
            default -> false;
        };
    }

    /** kubectl-who-can VERB RESOURCE [NAME] [--subresource S] [-n NS] with the API server's kubeconfig. */
    static List<String> kubectlWhoCanCommand(Path binary, Path kubeconfig, AccessRequest request) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), request.verb(),
                request.apiGroup().isEmpty() ? request.resource() : request.resource() + "." + request.apiGroup()));
        if (!request.name().isEmpty()) {
            command.add(request.name());
        }
        if (!request.subresource().isEmpty()) {
            command.add("--subresource=" + request.subresource());
        }
        if (!request.namespace().isEmpty()) {
            command.add("--namespace=" + request.namespace());
        }
        command.add("--kubeconfig=" + kubeconfig);
        return command;
    }

    private static String describe(AccessRequest request) {
        return request.verb() + " " + request.resource() + (request.subresource().isEmpty() ? "" : "/" + request.subresource())
                + (request.apiGroup().isEmpty() ? "" : "." + request.apiGroup())
                + (request.name().isEmpty() ? "" : " " + request.name())
                + (request.namespace().isEmpty() ? " (cluster)" : " -n " + request.namespace());
    }

    private static void report(String label, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%s median %10.3f ms, p99 %10.3f ms, min %10.3f ms, max %10.3f ms over %d calls%n", label,
                median(nanos) / 1e6, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6, sorted[0] / 1e6,
                sorted[sorted.length - 1] / 1e6, nanos.length);
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    static void load(KubernetesClient admin, List<HasMetadata> objects) throws Exception {
        List<HasMetadata> namespaces = objects.stream().filter(o -> o.getKind().equals("Namespace")).toList();
        for (HasMetadata namespace : namespaces) {
            admin.resource(namespace).create();
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (HasMetadata object : objects) {
                if (!object.getKind().equals("Namespace")) {
                    work.add(pool.submit(() -> admin.resource(object).create()));
                }
            }
            for (Future<?> future : work) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
