package io.eksaccess.console.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.cluster.ClusterRegistry;
import io.eksaccess.console.testsupport.BearerTokens;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The RBAC JSON API against a real API server of its own, seeded with a random RBAC world
 * ({@link RbacWorld}; seed printed, {@code -Drbac.api.seed=N} reruns it): every answer, less its
 * {@code cache} part, equals the engine's own answer (in the CLI's JSON shapes) for the same
 * objects as the API server lists them; the index is reused until RBAC changes; errors are
 * problem+json with specific messages; a stopped API server leaves answers marked stale.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@RunsAlongside(seconds = 16)
class RbacApiTest {

    static final long SEED = Long.getLong("rbac.api.seed", new Random().nextLong());
    static final JsonMapper JSON = JsonMapper.builder().build();
    static KubeApiServer apiServer;
    static RbacWorld world;

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.kubeconfig", Once.of(() -> kubeconfig().toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "2s"));
    }

    static synchronized Path kubeconfig() {
        if (apiServer == null) {
            System.out.println("RbacApiTest seed " + SEED + " (rerun with -Drbac.api.seed=" + SEED + ")");
            apiServer = KubeApiServer.startDedicated();
            world = new RbacWorld("api", new Random(SEED));
            try (KubernetesClient admin = apiServer.adminClient()) {
                for (HasMetadata object : world.objects) {
                    admin.resource(object).create();
                }
            }
        }
        return apiServer.kubeconfigFor("rbac");
    }

    @AfterAll
    static void stopApiServer() {
        if (apiServer != null) {
            apiServer.close();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ClusterRbacIndexes indexes;

    @Autowired
    ClusterRegistry registry;

    String token;

    @BeforeEach
    void token() {
        token = BearerTokens.fromDemoIssuer(base(), "auditor").accessToken();
    }

    String base() {
        return "http://localhost:" + port;
    }

    WebSession.Page call(String path, Map<String, String> query) {
        String url = base() + "/api/v1/clusters/" + path + "?" + query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return new WebSession().get(url, Map.of("Authorization", "Bearer " + token, "Accept", "application/json"));
    }

    JsonNode answer(String path, Map<String, String> query) {
        WebSession.Page page = call(path, query);
        assertThat(page.status()).as(path + " " + query + ":\n" + page.body()).isEqualTo(200);
        return JSON.readTree(page.body());
    }

    static JsonNode withoutCache(JsonNode answer) {
        ObjectNode copy = (ObjectNode) answer.deepCopy();
        copy.remove("cache");
        return copy;
    }

    /** The engine's index over what the API server lists now (the console's cache is not used). */
    RbacIndex engine() {
        try (KubernetesClient admin = apiServer.adminClient()) {
            return RbacIndex.build(admin.rbac().roles().inAnyNamespace().list().getItems(),
                    admin.rbac().clusterRoles().list().getItems(),
                    admin.rbac().roleBindings().inAnyNamespace().list().getItems(),
                    admin.rbac().clusterRoleBindings().list().getItems());
        }
    }

    /** Waits until the console's cache holds the world (its last binding answers). */
    void awaitWorld() {
        Eventually.await("the world in the console's cache", Duration.ofSeconds(60),
                () -> call("rbac/rules-for", Map.of("user", "nobody")),
                page -> page.status() == 200 && indexes.view("rbac").map(view -> view.snapshot().clusterRoleBindings()
                        .stream().anyMatch(b -> b.getMetadata().getName().equals("api-crb5"))).orElse(false));
    }

    @Test
    @Order(1)
    void everyAnswerEqualsTheEngineOnTheSameObjects() {
        awaitWorld();
        RbacIndex engine = engine();
        Random random = new Random(SEED);
        List<PolicyRule> rules = world.rules();
        int compared = 0;
        for (int i = 0; i < 150; i++) {
            Map<String, String> question = randomQuestion(random, rules);
            AccessRequest request = RbacQuestions.request(question.get("verb"), question.get("resource"),
                    question.get("apiGroup"), question.get("namespace"), question.get("name"), question.get("nonResourceURL"));
            assertThat(withoutCache(answer("rbac/who-can", question)))
                    .as("seed " + SEED + " who-can " + question).isEqualTo(RbacJson.whoCan(request, engine.whoCan(request)));

            List<String> groups = new ArrayList<>();
            if (random.nextBoolean()) {
                groups.add(pick(random, world.groups));
            }
            if (random.nextBoolean()) {
                groups.add("system:authenticated");
            }
            // Every fourth question with groups names no user, as a SubjectAccessReview may (issue #19).
            String user = !groups.isEmpty() && i % 4 == 0 ? "" : pick(random, world.users);
            Map<String, String> canI = new LinkedHashMap<>(question);
            if (!user.isEmpty()) {
                canI.put("user", user);
            }
            String query = canI.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                    StandardCharsets.UTF_8)).collect(Collectors.joining("&"))
                    + groups.stream().map(g -> "&group=" + URLEncoder.encode(g, StandardCharsets.UTF_8)).collect(Collectors.joining());
            WebSession.Page page = new WebSession().get(base() + "/api/v1/clusters/rbac/can-i?" + query,
                    Map.of("Authorization", "Bearer " + token, "Accept", "application/json"));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            assertThat(withoutCache(JSON.readTree(page.body()))).as("seed " + SEED + " can-i " + query)
                    .isEqualTo(RbacJson.canI(engine.canI(new Identity(user, groups), request)));
            compared += 2;
        }
        for (String user : world.users) {
            Subject subject = Subject.user(user);
            assertThat(withoutCache(answer("rbac/rules-for", Map.of("user", user))))
                    .isEqualTo(RbacJson.rulesFor(subject, Identity.of(subject), engine.rulesFor(Identity.of(subject))));
            compared++;
        }
        for (String group : world.groups) {
            Subject subject = Subject.group(group);
            assertThat(withoutCache(answer("rbac/rules-for", Map.of("group", group))))
                    .isEqualTo(RbacJson.rulesFor(subject, Identity.of(subject), engine.rulesFor(Identity.of(subject))));
            compared++;
        }
        for (String namespace : world.namespaces) {
            Subject subject = Subject.serviceAccount(namespace, "sa0");
            assertThat(withoutCache(answer("rbac/rules-for", Map.of("serviceAccount", namespace + ":sa0"))))
                    .isEqualTo(RbacJson.rulesFor(subject, Identity.of(subject), engine.rulesFor(Identity.of(subject))));
            compared++;
        }
        System.out.println("RbacApiTest compared " + compared + " answers with the engine's");
        JsonNode live = answer("rbac/who-can", Map.of("verb", "get", "resource", "pods"));
        assertThat(live.path("cache").path("state").asString()).isEqualTo("LIVE");
        assertThat(live.path("cache").path("stale").asBoolean()).isFalse();
    }

    @Test
    @Order(2)
    void theIndexIsBuiltOncePerChangeNotPerRequest() {
        awaitWorld();
        long before = indexes.builds();
        for (int i = 0; i < 20; i++) {
            answer("rbac/who-can", Map.of("verb", "list", "resource", "secrets", "namespace", "api-a"));
        }
        assertThat(indexes.builds()).as("no rebuild without a change").isEqualTo(before);

        try (KubernetesClient admin = apiServer.adminClient()) {
            admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("api-new-viewer").endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "api-cr0")
                    .addNewSubject().withKind("User").withName("carol-" + SEED).withApiGroup("rbac.authorization.k8s.io")
                    .endSubject().build()).create();
        }
        JsonNode rules = Eventually.await("the new binding answers", Duration.ofSeconds(30),
                () -> answer("rbac/rules-for", Map.of("user", "carol-" + SEED)),
                json -> json.path("scopes").size() > 0);
        assertThat(rules.path("scopes").get(0).path("rules").get(0).path("binding").path("name").asString())
                .isEqualTo("api-new-viewer");
        assertThat(indexes.builds()).isGreaterThan(before);
    }

    @Test
    @Order(3)
    void badQuestionsAreProblemJsonWithSpecificMessages() {
        awaitWorld();
        assertProblem(call("rbac/who-can", Map.of("resource", "pods")), 400, "Give a verb");
        assertProblem(call("rbac/who-can", Map.of("verb", "get")), 400, "Give a resource");
        assertProblem(call("rbac/who-can", Map.of("verb", "get", "nonResourceURL", "/healthz", "namespace", "a")),
                400, "A non-resource URL goes without resource, API group, namespace and name");
        assertProblem(call("rbac/who-can", Map.of("verb", "get", "nonResourceURL", "healthz")), 400, "starting with '/'");
        assertProblem(call("rbac/can-i", Map.of("verb", "get", "resource", "pods")), 400, "Give the user");
        assertProblem(call("rbac/rules-for", Map.of("user", "a", "group", "b")), 400, "Give exactly one subject");
        assertProblem(call("rbac/who-can", Map.of("verb", "list", "resource", "deployments.apps", "apiGroup", "batch")),
                400, "The resource deployments.apps names API group apps, but apiGroup (--api-group in the CLI) says batch");
        assertThat(withoutCache(answer("rbac/who-can", Map.of("verb", "list", "resource", "deployments.apps"))))
                .as("kubectl's RESOURCE.GROUP").isEqualTo(withoutCache(answer("rbac/who-can",
                        Map.of("verb", "list", "resource", "deployments", "apiGroup", "apps"))));
        // The page's "did you mean the apps group" for a bare "deployments" (core group), as an added field.
        JsonNode core = answer("rbac/who-can", Map.of("verb", "list", "resource", "deployments/scale", "namespace", "api-a"));
        assertThat(core.path("likelyGroup").path("apiGroup").asString()).isEqualTo("apps");
        assertThat(core.path("likelyGroup").path("resource").asString()).isEqualTo("deployments.apps/scale");
        assertThat(core.path("likelyGroup").path("message").asString())
                .contains("about deployments/scale in the core group").contains("served by API group apps");
        assertThat(core.has("subjects") && core.has("bindings") && core.has("cache")).as("the fields as before").isTrue();
        for (Map<String, String> meant : List.of(Map.of("verb", "list", "resource", "deployments.apps"),
                Map.of("verb", "list", "resource", "pods"), Map.of("verb", "list", "resource", "widgets"))) {
            assertThat(answer("rbac/who-can", meant).has("likelyGroup")).as("%s", meant).isFalse();
        }
        assertProblem(call("rbac/rules-for", Map.of("serviceAccount", "default")), 400, "NAMESPACE:NAME");
        assertProblem(call("nowhere/who-can", Map.of("verb", "get", "resource", "pods")), 404,
                "No cluster named 'nowhere' is registered");
        assertProblem(call("rbac/access-for", Map.of()), 400, "Give the IAM caller ARN");
        assertProblem(call("rbac/access-for", Map.of("arn", "arn:aws:iam::111122223333:role/x")), 404,
                "has no kube-system/aws-auth ConfigMap");
    }

    @Test
    @Order(4)
    void accessForFollowsTheArnThroughAwsAuthToRules() {
        awaitWorld();
        apiServer.apply("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: aws-auth, namespace: kube-system}
                data:
                  mapRoles: |
                    - rolearn: arn:aws:iam::111122223333:role/dev
                      username: %s
                      groups: [%s]
                    - username: no-rolearn
                """.formatted(world.users.get(0), world.groups.get(0)));
        String arn = "arn:aws:sts::111122223333:assumed-role/dev/alice";
        JsonNode answer = Eventually.await("aws-auth in the cache", Duration.ofSeconds(30),
                () -> call("rbac/access-for", Map.of("arn", arn)), page -> page.status() == 200)
                .body().transform(JSON::readTree);
        assertThat(answer.path("mapped").asBoolean()).isTrue();
        assertThat(answer.path("mapping").path("via").asString()).isEqualTo("mapRoles");
        assertThat(answer.path("identity").path("user").asString()).isEqualTo(world.users.get(0));
        assertThat(answer.path("identity").path("groups").toString())
                .isEqualTo("[\"" + world.groups.get(0) + "\",\"system:authenticated\"]");
        Identity identity = new Identity(world.users.get(0), List.of(world.groups.get(0), "system:authenticated"));
        assertThat(answer.path("scopes")).isEqualTo(RbacJson.scopes(engine().rulesFor(identity)));
        assertThat(answer.path("errors").get(0).path("message").asString()).startsWith("mapRoles[1]");

        JsonNode unmapped = answer("rbac/access-for", Map.of("arn", "arn:aws:iam::111122223333:user/mallory"));
        assertThat(unmapped.path("mapped").asBoolean()).isFalse();
        assertThat(unmapped.has("scopes")).isFalse();
        assertProblem(call("rbac/access-for", Map.of("arn", "arn:aws:iam::bad")), 400, "");
    }

    @Test
    @Order(5)
    void aStoppedApiServerLeavesAnswersMarkedStaleWithTheirAge() {
        awaitWorld();
        JsonNode live = answer("rbac/who-can", Map.of("verb", "get", "resource", "pods", "namespace", "api-b"));
        apiServer.stopApiServer();
        try {
            JsonNode stale = Eventually.await("stale", Duration.ofSeconds(60),
                    () -> answer("rbac/who-can", Map.of("verb", "get", "resource", "pods", "namespace", "api-b")),
                    json -> json.path("cache").path("stale").asBoolean());
            assertThat(stale.path("cache").path("state").asString()).isIn("STALE", "ERROR");
            assertThat(stale.path("cache").path("lastSyncedAt").asString()).isNotEmpty();
            assertThat(stale.path("cache").path("reason").asString()).isNotEmpty();
            assertThat(withoutCache(stale)).as("the last known answer stays").isEqualTo(withoutCache(live));
        } finally {
            apiServer.restartApiServer();
        }
    }

    @Test
    @Order(6)
    void aClusterRemovedFromTheRegistryStopsAnsweringAtOnce() {
        awaitWorld();
        answer("rbac/who-can", Map.of("verb", "get", "resource", "pods"));
        registry.remove(AuditActor.system("test"), "rbac");
        // No wait: answers come from the cache without reading the registry, so the removal itself
        // must stop the cache (the periodic reconcile would be too late).
        assertProblem(call("rbac/who-can", Map.of("verb", "get", "resource", "pods")), 404,
                "No cluster named 'rbac' is registered");
        assertThat(indexes.view("rbac")).isEmpty();
    }

    static void assertProblem(WebSession.Page page, int status, String detail) {
        assertThat(page.status()).as(page.body()).isEqualTo(status);
        assertThat(page.header("Content-Type")).startsWith("application/problem+json");
        assertThat(JSON.readTree(page.body()).path("detail").asString()).contains(detail);
    }

    private Map<String, String> randomQuestion(Random random, List<PolicyRule> rules) {
        Map<String, String> question = new LinkedHashMap<>();
        PolicyRule near = rules.get(random.nextInt(rules.size()));
        boolean nonResource = near.getNonResourceURLs() != null && !near.getNonResourceURLs().isEmpty();
        question.put("verb", pick(random, List.of("get", "list", "watch", "create", "delete", "*", "impersonate", "post")));
        if (nonResource) {
            question.put("nonResourceURL", pick(random, List.of("/healthz", "/healthz/etcd", "/api", "/apis/apps",
                    "/metrics", "/logs/x", "/x", "/version/")));
            return question;
        }
        question.put("resource", pick(random, List.of("pods", "pods/log", "pods/status", "deployments", "deployments/scale",
                "secrets", "nodes", "configmaps")));
        String group = pick(random, List.of("", "", "apps", "x.example.com"));
        if (!group.isEmpty()) {
            question.put("apiGroup", group);
        }
        if (random.nextInt(3) > 0) {
            question.put("namespace", pick(random, world.namespaces));
        }
        if (random.nextInt(3) == 0) {
            question.put("name", pick(random, List.of("a", "b", "c")));
        }
        return question;
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
