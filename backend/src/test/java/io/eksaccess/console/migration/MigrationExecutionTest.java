package io.eksaccess.console.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.AccessEntriesCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.MotoServer;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.SharedApiServer;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;

/**
 * The migration carried out from the page, end to end, the demo's pairing: a kubeconfig cluster on a
 * real API server (aws-auth, RBAC) described as an EKS cluster of the EKS API's HTTP double (moto).
 * An admin files each step from the page, an approver who is not the admin approves it, the normal
 * apply writes it; from CONFIG_MAP to API with the verification passing, and — with one entry
 * changed behind the console's back — the removal of aws-auth refused with the difference named.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class MigrationExecutionTest {

    static final String CLUSTER = "migrating";
    static final MotoServer MOTO = MotoServer.get();
    static final Region REGION = Region.EU_NORTH_1;
    static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    static final String EKS_NAME = "mig-" + System.nanoTime();
    static final String NODE = "arn:aws:iam::" + ACCOUNT + ":role/NodeInstanceRole";
    static final String ADMIN = "arn:aws:iam::" + ACCOUNT + ":role/PlatformAdmin";
    static final String DEV = "arn:aws:iam::" + ACCOUNT + ":role/Developer";
    static final String BREAK_GLASS = "arn:aws:iam::" + ACCOUNT + ":role/BreakGlass";
    static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/alice";
    static final String CLUSTER_ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
    static final ObjectMapper JSON = new ObjectMapper();
    static KubeApiServer apiServer;

    static final String WORLD = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: dev}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: devs-edit, namespace: dev}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: devs}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: aws-auth, namespace: kube-system}
            data:
              mapRoles: |
                - rolearn: %1$s
                  username: system:node:{{EC2PrivateDNSName}}
                  groups: [system:bootstrappers, system:nodes]
                - rolearn: %2$s
                  username: platform-admin:{{SessionName}}
                  groups: [system:masters]
                - rolearn: %3$s
                  username: dev:{{SessionName}}
                  groups: [devs]
                - rolearn: %5$s
                  username: break-glass:{{SessionName}}
                  groups: [system:masters]
              mapUsers: |
                - userarn: %4$s
                  username: alice
                  groups: [devs]
            """.formatted(NODE, ADMIN, DEV, ALICE, BREAK_GLASS);

    static {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try (EksClient eks = eks()) {
            eks.createCluster(c -> c.name(EKS_NAME).roleArn("arn:aws:iam::" + ACCOUNT + ":role/eks-cluster")
                    .resourcesVpcConfig(vpc -> vpc.subnetIds("subnet-1"))
                    .accessConfig(access -> access.authenticationMode(AuthenticationMode.CONFIG_MAP)));
        }
    }

    static EksClient eks() {
        return EksClient.builder().endpointOverride(MOTO.endpoint()).region(REGION).credentialsProvider(MOTO.credentials())
                .build();
    }

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.kubeconfig", Once.of(() -> kubeconfig().toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "2s"));
        registry.add("console.clusters.eks.endpoint-override", Once.of(() -> MOTO.endpoint().toString()));
        registry.add("console.clusters.eks.access-entries-check", Once.of(() -> "1s"));
        registry.add("console.clusters.eks.access-entries-interval", Once.of(() -> "1h")); // the first sync and the console's refreshes
    }

    /** The run's shared API server with this class's world (it never stops or restarts the server). */
    static synchronized Path kubeconfig() {
        if (apiServer == null) {
            apiServer = SharedApiServer.withWorld(WORLD);
        }
        return apiServer.kubeconfigFor(CLUSTER);
    }

    @AfterAll
    static void removeWorld() {
        if (apiServer != null) {
            SharedApiServer.removeWorld(apiServer, WORLD);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ClusterRepository clusters;

    @Autowired
    ClusterCaches caches;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anAdminMigratesTheClusterFromConfigMapToApiStepByStepWithARefusalWhileNotEquivalent() throws Exception {
        Eventually.await("cluster imported from the kubeconfig", Duration.ofSeconds(60),
                () -> clusters.findByName(CLUSTER).isPresent(), Boolean::booleanValue);
        // As the demo does: the kubeconfig cluster is the EKS double's cluster, still in CONFIG_MAP.
        assertThat(clusters.describeAsEks(CLUSTER, ACCOUNT, REGION.id(), EKS_NAME, "CONFIG_MAP", false)).isTrue();
        // The migration carries system:masters over as AmazonEKSClusterAdminPolicy; this cluster's policy allows asking for it.
        jdbc.sql("INSERT INTO approval_policies (cluster, allow_masters) VALUES (:c, TRUE)").param("c", CLUSTER).update();
        WebSession admin = signedIn("admin");

        Document page = awaitStep(admin, 1, "READY");
        assertThat(status(page, 2)).isEqualTo("BLOCKED");
        assertThat(page.selectFirst("#migrate-step-2")).as("only the next step has a button").isNull();
        assertThat(page.selectFirst("#migrate-step-1").attr("data-opens-dialog")).isEqualTo("migrate-dialog-1");
        assertThat(page.selectFirst("[data-testid=migrate-undo]").text()).contains("undone from the history");

        // Server-side: nobody but an admin files a step, and a step out of order is refused.
        WebSession requester = signedIn("requester");
        assertThat(requester.post(url("/migrate-to-access-entries/steps/1"),
                Map.of("_csrf", requester.get(base() + "/requests").csrfToken())).status()).isEqualTo(403);
        Document outOfOrder = admin.follow(admin.post(url("/migrate-to-access-entries/steps/5"),
                Map.of("_csrf", page.selectFirst("#migrate-step-1-form input[name=_csrf]").val()))).html();
        assertThat(outOfOrder.selectFirst("[data-testid=migrate-step-error]").text())
                .contains("Step 5 was not filed").contains("step 4 is not applied yet");
        assertThat(migrationRequests()).isEmpty();

        // Step 1: the switch to API_AND_CONFIG_MAP, filed by the admin, approved by someone else, applied.
        // Clicked three times at once (a double click, a second tab), it is filed once.
        String csrf = page.selectFirst("#migrate-step-1-form input[name=_csrf]").val();
        java.util.concurrent.ExecutorService clicks = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<WebSession.Page>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(clicks.submit(() -> {
                    start.await();
                    return admin.post(url("/migrate-to-access-entries/steps/1"), Map.of("_csrf", csrf));
                }));
            }
            start.countDown();
            for (var answer : answers) {
                assertThat(answer.get().isRedirect()).as(answer.get().body()).isTrue();
            }
        } finally {
            clicks.shutdownNow();
        }
        assertThat(migrationRequests()).as("filed once").containsExactly("SET_AUTHENTICATION_MODE");
        assertThat(approveAll()).hasSize(1);
        try (EksClient eks = eks()) {
            assertThat(eks.describeCluster(d -> d.name(EKS_NAME)).cluster().accessConfig().authenticationMode())
                    .isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
        }

        // Step 2: ONE batch request: a CREATE per entry, each admin's ClusterAdmin association right after its CREATE.
        awaitStep(admin, 2, "READY");
        fileStep(admin, 2);
        List<JsonNode> batch = approveAll();
        assertThat(batch).as("step 2 is one request").hasSize(1);
        assertThat(batch.get(0).at("/change/kind").asText()).isEqualTo("ACCESS_ENTRY_BATCH");
        List<String> items = new java.util.ArrayList<>();
        batch.get(0).at("/change/changes").forEach(c -> items.add(c.get("kind").asText() + " " + c.get("principalArn").asText()));
        assertThat(items).containsExactlyInAnyOrder("CREATE_ACCESS_ENTRY " + NODE, "CREATE_ACCESS_ENTRY " + ADMIN,
                "CREATE_ACCESS_ENTRY " + DEV, "CREATE_ACCESS_ENTRY " + ALICE, "CREATE_ACCESS_ENTRY " + BREAK_GLASS,
                "ASSOCIATE_ACCESS_POLICY " + ADMIN, "ASSOCIATE_ACCESS_POLICY " + BREAK_GLASS);
        assertThat(items.indexOf("ASSOCIATE_ACCESS_POLICY " + ADMIN)).as("right after its entry")
                .isEqualTo(items.indexOf("CREATE_ACCESS_ENTRY " + ADMIN) + 1);
        try (EksClient eks = eks()) {
            assertThat(eks.listAssociatedAccessPolicies(l -> l.clusterName(EKS_NAME).principalArn(BREAK_GLASS))
                    .associatedAccessPolicies()).extracting(p -> p.policyArn()).containsExactly(CLUSTER_ADMIN);
        }
        resync();
        assertThat(status(awaitStep(admin, 2, "DONE"), 2)).isEqualTo("DONE");

        // A change behind the console's back: the developer's entry loses its group. Verification catches it.
        try (EksClient eks = eks()) {
            eks.updateAccessEntry(u -> u.clusterName(EKS_NAME).principalArn(DEV).kubernetesGroups("strangers"));
        }
        fileStep(admin, 3);
        Document notVerified = awaitVerification(admin, "migrate-verify-failed");
        assertThat(notVerified.select("[data-testid=migrate-verify-differences] li").eachText())
                .anySatisfy(d -> assertThat(d).startsWith(DEV + " (mapRoles[2])").contains("devs"));
        Document refused = admin.follow(admin.post(url("/migrate-to-access-entries/steps/4"),
                Map.of("_csrf", notVerified.selectFirst("form input[name=_csrf]").val()))).html();
        assertThat(refused.selectFirst("[data-testid=migrate-step-error]").text())
                .contains("Step 4 was not filed: the verification fails").contains(DEV);
        assertThat(migrationRequests()).as("no aws-auth removal filed").noneMatch(kind -> kind.startsWith("UNMAP"));

        // Put right; read back and verify again: now equivalent.
        try (EksClient eks = eks()) {
            eks.updateAccessEntry(u -> u.clusterName(EKS_NAME).principalArn(DEV).kubernetesGroups("devs"));
        }
        fileStep(admin, 3);
        awaitVerification(admin, "migrate-verified");

        // Step 4, approved separately: the five migrated mappings leave aws-auth.
        fileStep(admin, 4);
        assertThat(approveAll()).extracting(r -> r.at("/change/kind").asText())
                .containsExactlyInAnyOrder("UNMAP_ROLE", "UNMAP_ROLE", "UNMAP_ROLE", "UNMAP_ROLE", "UNMAP_USER");
        try (var kube = apiServer.adminClient()) {
            String awsAuth = kube.configMaps().inNamespace("kube-system").withName("aws-auth").get().getData().toString();
            assertThat(awsAuth).doesNotContain(ADMIN).doesNotContain(DEV).doesNotContain(ALICE).doesNotContain(NODE)
                    .doesNotContain(BREAK_GLASS);
        }

        // Step 5: the switch to API, the end.
        awaitStep(admin, 5, "READY");
        fileStep(admin, 5);
        assertThat(approveAll()).hasSize(1);
        try (EksClient eks = eks()) {
            assertThat(eks.describeCluster(d -> d.name(EKS_NAME)).cluster().accessConfig().authenticationMode())
                    .isEqualTo(AuthenticationMode.API);
            assertThat(eks.describeAccessEntry(d -> d.clusterName(EKS_NAME).principalArn(DEV)).accessEntry()
                    .kubernetesGroups()).containsExactly("devs");
            assertThat(eks.describeAccessEntry(d -> d.clusterName(EKS_NAME).principalArn(NODE)).accessEntry().type())
                    .isEqualTo("EC2_LINUX");
        }
        assertThat(clusters.findByName(CLUSTER).orElseThrow().eksAuthenticationMode()).isEqualTo("API");
        // Every request of the migration was filed by the admin and approved by someone else.
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM access_requests r JOIN request_reviews v ON v.request_id = r.id
                         WHERE r.cluster = :c AND r.justification LIKE 'Migration to access entries%'
                           AND r.requester_subject <> v.reviewer_subject AND r.state = 'APPLIED'""")
                .param("c", CLUSTER).query(Long.class).single()).isEqualTo(8L); // 1 + 1 batch + 5 removals + 1
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    Document awaitStep(WebSession admin, int step, String status) {
        return Eventually.await("step " + step + " " + status, Duration.ofSeconds(90),
                () -> admin.get(url("/migrate-to-access-entries")),
                p -> p.status() == 200 && p.html().selectFirst("[data-step=" + step + "]") != null
                        && p.html().select("[data-testid=migrate-progress] span").isEmpty() // computed from the state now
                        && status.equals(status(p.html(), step))).html();
    }

    Document awaitVerification(WebSession admin, String testId) {
        return Eventually.await(testId, Duration.ofSeconds(90), () -> admin.get(url("/migrate-to-access-entries")),
                p -> p.html().selectFirst("[data-testid=" + testId + "]") != null
                        && p.html().select("[data-testid=migrate-progress] span").isEmpty()).html();
    }

    static String status(Document page, int step) {
        return page.selectFirst("[data-step=" + step + "]").attr("data-status");
    }

    /** Submits the step's form, as the confirmation dialog's button does, and checks the page said it was filed. */
    void fileStep(WebSession admin, int step) {
        // The buttons are offered once the plan is computed from the state now (not while it is recomputed).
        WebSession.Page page = Eventually.await("step " + step + "'s button", Duration.ofSeconds(60),
                () -> admin.get(url("/migrate-to-access-entries")),
                p -> p.html().selectFirst("#migrate-step-" + step + "-form") != null);
        WebSession.Page after = admin.follow(admin.submit(page, "#migrate-step-" + step + "-form", Map.of()));
        assertThat(after.html().selectFirst("[data-testid=migrate-step-error]")).as(after.body()).isNull();
        assertThat(after.html().selectFirst("[data-testid=migrate-step-filed]")).as(after.body()).isNotNull();
    }

    /** Approves (as the approver) every pending request of the migration, each applied; returns them. */
    List<JsonNode> approveAll() throws Exception {
        List<Long> ids = jdbc.sql("""
                        SELECT id FROM access_requests WHERE cluster = :c AND state = 'PENDING'
                           AND justification LIKE 'Migration to access entries%' ORDER BY id""")
                .param("c", CLUSTER).query(Long.class).list();
        assertThat(ids).isNotEmpty();
        WebSession approver = signedIn("approver");
        List<JsonNode> applied = new java.util.ArrayList<>();
        for (long id : ids) {
            WebSession.Page approved = approver.postJson(base() + "/api/v1/requests/" + id + "/reviews",
                    "{\"decision\":\"APPROVE\",\"comment\":\"fine\"}",
                    Map.of("X-CSRF-TOKEN", approver.get(base() + "/requests").csrfToken()));
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
            JsonNode request = JSON.readTree(approved.body());
            assertThat(request.get("state").asText()).as(request.toString()).isEqualTo("APPLIED");
            applied.add(request);
        }
        return applied;
    }

    List<String> migrationRequests() {
        return jdbc.sql("""
                        SELECT change->>'kind' FROM access_requests
                         WHERE cluster = :c AND justification LIKE 'Migration to access entries%'""")
                .param("c", CLUSTER).query(String.class).list();
    }

    /**
     * Asks for a sync of the cluster's entries and waits until one that started reading after this call is in
     * (syncedAt is when the read started).
     */
    void resync() {
        Instant asked = Instant.now();
        Eventually.await("access entries of " + CLUSTER + " synced", Duration.ofSeconds(60), () -> {
            caches.refreshAccessEntries(CLUSTER);
            return caches.accessEntries(CLUSTER).flatMap(AccessEntriesCache::entries).map(e -> e.syncedAt());
        }, started -> started.isPresent() && started.get().isAfter(asked));
    }

    String base() {
        return "http://localhost:" + port;
    }

    String url(String path) {
        return base() + "/clusters/" + CLUSTER + path;
    }

    WebSession signedIn(String username) {
        WebSession session = new WebSession();
        SignIn.viaDemoIssuer(session, base(), username);
        return session;
    }
}
