package io.eksaccess.console.migration;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import java.util.function.Predicate;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The Migrate to access entries page on a real API server's aws-auth and RBAC, with role paths from
 * IAM on moto: the plan, the restored SSO path, the equivalence check's differences, the steps;
 * admins only, refused server-side for anyone else.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationPageTest {

    static final String CLUSTER = "legacy";
    static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    static final String SSO_ROLE = "AWSReservedSSO_Admins_" + System.nanoTime();
    static final MotoServer MOTO = MotoServer.get();
    static KubeApiServer apiServer;

    static final String WORLD = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: metrics}
            rules:
            - {nonResourceURLs: ["/metrics"], verbs: [get]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: metrics}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: metrics}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:monitoring}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: aws-auth, namespace: kube-system}
            data:
              mapRoles: |
                - rolearn: arn:aws:iam::%1$s:role/NodeInstanceRole
                  username: system:node:{{EC2PrivateDNSName}}
                  groups: [system:bootstrappers, system:nodes]
                - rolearn: arn:aws:iam::%1$s:role/%2$s
                  username: sso-admin:{{SessionName}}
                  groups: [system:masters, "<b>bold</b>"]
                - rolearn: arn:aws:iam::%1$s:role/Monitor
                  username: monitor
                  groups: [system:monitoring]
            """.formatted(ACCOUNT, SSO_ROLE);

    static {
        // The console's IAM client uses the SDK's default credential chain; moto accepts any credentials.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try (IamClient iam = IamClient.builder().endpointOverride(MOTO.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(MOTO.credentials()).build()) {
            iam.createRole(r -> r.roleName(SSO_ROLE).path("/aws-reserved/sso.amazonaws.com/")
                    .assumeRolePolicyDocument("""
                            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                             "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"""));
        }
    }

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.kubeconfig", Once.of(() -> kubeconfig().toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "2s"));
        registry.add("console.aws.iam-checks", Once.of(() -> "on"));
        registry.add("console.aws.endpoint-override", Once.of(() -> MOTO.endpoint().toString()));
        // Every restoration asks IAM (no answers reused), so a GetRole count says who restored paths when.
        registry.add("console.aws.iam-cache-ttl", Once.of(() -> "0s"));
        registry.add("console.clusters.eks.access-entries-check", Once.of(() -> "1s"));
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

    String url(String path) {
        return "http://localhost:" + port + "/clusters/" + CLUSTER + path;
    }

    WebSession signedIn(String username) {
        WebSession session = new WebSession();
        SignIn.viaDemoIssuer(session, "http://localhost:" + port, username);
        return session;
    }

    @Autowired
    RolePaths rolePaths;

    @Autowired
    JdbcClient jdbc;

    /** The page once its result is computed from aws-auth and RBAC as the cache has them now. */
    Document awaitPlan(WebSession admin, Predicate<Document> also) {
        return Eventually.await("the plan computed from aws-auth and RBAC", Duration.ofSeconds(60),
                () -> admin.get(url("/migrate-to-access-entries")),
                p -> p.status() == 200 && p.html().selectFirst("[data-testid=migrate-differences]") != null
                        && p.html().select("[data-testid=migrate-progress] span").isEmpty() && also.test(p.html())).html();
    }

    /** First in the class: no page of this cluster was opened yet, so there is no result until this view asks for one. */
    @Test
    @Order(1)
    void theFirstViewSaysTheResultIsBeingComputedAndPollsForIt() {
        Document page = signedIn("admin").get(url("/migrate-to-access-entries")).html();
        assertThat(page.selectFirst("#migrate-progress").attr("role")).isEqualTo("status");
        assertThat(page.selectFirst("#migrate-progress [data-testid=migrate-computing]").text())
                .contains("being computed off the page");
        Element body = page.selectFirst("#migrate-body");
        assertThat(body.attr("hx-get")).isEqualTo("/clusters/" + CLUSTER + "/migrate-to-access-entries");
        assertThat(body.attr("hx-trigger")).isEqualTo("every 2s");
        assertThat(body.attr("hx-select-oob")).isEqualTo("#migrate-progress:innerHTML");
        assertThat(page.select("[data-testid=migrate-steps]")).isEmpty();
        Document computed = awaitPlan(signedIn("admin"), p -> true);
        assertThat(computed.selectFirst("#migrate-body").hasAttr("hx-trigger")).as("polling stops").isFalse();
    }

    @Test
    void adminSeesThePlanRestoredPathDifferencesAndSteps() {
        WebSession admin = signedIn("admin");
        Document page = awaitPlan(admin, p -> true);

        assertThat(page.select("[data-testid=migrate-entries] tbody tr").eachAttr("data-principal")).containsExactly(
                "arn:aws:iam::" + ACCOUNT + ":role/NodeInstanceRole",
                "arn:aws:iam::" + ACCOUNT + ":role/aws-reserved/sso.amazonaws.com/" + SSO_ROLE);
        String ssoRow = page.select("[data-testid=migrate-entries] tbody tr").get(1).text();
        assertThat(ssoRow).contains("STANDARD").contains("sso-admin:{{SessionName}}")
                .contains("AmazonEKSClusterAdminPolicy, cluster-wide").contains("<b>bold</b>");
        assertThat(page.select("[data-testid=migrate-entries] b")).as("input is escaped, not markup").isEmpty();
        assertThat(page.selectFirst("[data-testid=migrate-restored]").text()).contains("mapRoles[1]")
                .contains("arn:aws:iam::" + ACCOUNT + ":role/aws-reserved/sso.amazonaws.com/" + SSO_ROLE);
        assertThat(page.selectFirst("[data-testid=migrate-unmigratable]").text())
                .contains("mapRoles[2]").contains("system:monitoring");
        assertThat(page.selectFirst("[data-testid=migrate-not-equivalent]").attr("role")).isEqualTo("alert");
        assertThat(page.select("[data-testid=migrate-differences] li").eachText()).containsExactly(
                "arn:aws:iam::" + ACCOUNT + ":role/Monitor (mapRoles[2]): loses all access: after the switch to API no"
                        + " access entry maps it (see unmigratable)");
        assertThat(page.selectFirst("[data-testid=migrate-accepted]").text()).contains("no longer in system:masters")
                .contains("no longer in system:bootstrappers");
        assertThat(page.select("[data-testid=migrate-steps] > li")).hasSize(5);
        assertThat(page.select("[data-testid=migrate-steps] > li").get(0).text()).contains("API_AND_CONFIG_MAP");
        assertThat(page.select("[data-testid=migrate-steps] > li").eachAttr("data-status"))
                .containsExactly("READY", "BLOCKED", "BLOCKED", "BLOCKED", "BLOCKED");
        // A kubeconfig cluster the console does not know as EKS: no step can be filed, and the page says why.
        assertThat(page.selectFirst("[data-testid=migrate-not-eks]")).isNotNull();
        assertThat(page.select("[data-testid=migrate-steps] form")).isEmpty();
        assertThat(page.select("nav.tabs a[aria-current=page]").eachText()).containsExactly("Migrate to access entries");
    }

    @Test
    void aPageViewAsksIamNothingAndThePageFollowsAnAwsAuthChange() {
        WebSession admin = signedIn("admin");
        awaitPlan(admin, p -> true);
        long calls = rolePaths.calls();
        assertThat(calls).as("paths were restored with GetRole, off the page").isPositive();
        for (int i = 0; i < 3; i++) {
            assertThat(admin.get(url("/migrate-to-access-entries")).status()).isEqualTo(200);
        }
        assertThat(rolePaths.calls()).as("GetRole calls made by page views").isEqualTo(calls);

        // aws-auth changes: the cache sees it, the plan is recomputed off the page, and the page shows it.
        String auditor = "arn:aws:iam::" + ACCOUNT + ":role/Auditor";
        try {
            String monitor = "    - rolearn: arn:aws:iam::" + ACCOUNT + ":role/Monitor";
            assertThat(WORLD).contains(monitor);
            apiServer.apply(WORLD.replace(monitor, "    - rolearn: " + auditor + "\n      username: auditor\n"
                    + "      groups: [auditors]\n" + monitor));
            String version;
            try (var kube = apiServer.adminClient()) {
                version = kube.configMaps().inNamespace("kube-system").withName("aws-auth").get().getMetadata()
                        .getResourceVersion();
            }
            Document changed = awaitPlan(admin, p -> p.selectFirst("tr[data-principal='" + auditor + "']") != null);
            assertThat(changed.selectFirst("[data-testid=migrate-computed]").text()).contains("resourceVersion " + version);
            assertThat(rolePaths.calls()).as("the new plan's paths restored with IAM").isGreaterThan(calls);
        } finally {
            apiServer.apply(WORLD);
            awaitPlan(admin, p -> p.selectFirst("tr[data-principal='" + auditor + "']") == null);
        }
    }

    @Test
    void recomputeNowQueuesAComputationAndThePageShowsItsResult() {
        WebSession admin = signedIn("admin");
        Document page = awaitPlan(admin, p -> true);
        Instant before = Instant.parse(page.selectFirst("[data-testid=migrate-computed]").attr("data-computed-at"));
        long calls = rolePaths.calls();
        assertThat(page.selectFirst("[data-testid=migrate-recompute] button").text()).isEqualTo("Recompute now");
        WebSession.Page asked = admin.follow(admin.submit(admin.get(url("/migrate-to-access-entries")),
                "[data-testid=migrate-recompute]", Map.of()));
        assertThat(asked.status()).isEqualTo(200);
        assertThat(asked.html().select("[role=status]").text()).contains("The plan is being recomputed");
        awaitPlan(admin, p -> Instant.parse(p.selectFirst("[data-testid=migrate-computed]").attr("data-computed-at"))
                .isAfter(before));
        assertThat(rolePaths.calls()).as("recomputing asks IAM again").isGreaterThan(calls);
    }

    @Test
    void theDefaultApprovalPolicyBlockingClusterAdminIsSaidBeforeStep2() {
        WebSession admin = signedIn("admin");
        Document page = awaitPlan(admin, p -> true);
        Element blocked = page.selectFirst("[data-testid=migrate-masters-blocked]");
        assertThat(blocked).as("allowMasters is false by default").isNotNull();
        assertThat(blocked.select("li").eachText()).containsExactly(
                "mapRoles[1]: arn:aws:iam::" + ACCOUNT + ":role/aws-reserved/sso.amazonaws.com/" + SSO_ROLE);
        assertThat(blocked.selectFirst("[data-testid=migrate-masters-policy]").attr("href"))
                .isEqualTo("/admin/policies/" + CLUSTER);
        jdbc.sql("INSERT INTO approval_policies (cluster, allow_masters) VALUES (:c, TRUE)").param("c", CLUSTER).update();
        try {
            assertThat(admin.get(url("/migrate-to-access-entries")).html()
                    .selectFirst("[data-testid=migrate-masters-blocked]")).as("the policy allows it now").isNull();
        } finally {
            jdbc.sql("DELETE FROM approval_policies WHERE cluster = :c").param("c", CLUSTER).update();
        }
    }

    @Test
    void nonAdminIsRefusedServerSideAndSeesNoTab() {
        WebSession requester = signedIn("requester");
        assertThat(requester.get(url("/migrate-to-access-entries")).status()).isEqualTo(403);
        Document overview = Eventually.await("the cluster page", Duration.ofSeconds(60), () -> requester.get(url("")),
                p -> p.status() == 200).html();
        assertThat(overview.select("nav.tabs a").eachText()).isNotEmpty().doesNotContain("Migrate to access entries");
        WebSession admin = signedIn("admin");
        assertThat(admin.get(url("/migrate-to-access-entries")).status()).isEqualTo(200);
        assertThat(admin.get("http://localhost:" + port + "/clusters/nope/migrate-to-access-entries").status())
                .isEqualTo(404);
    }
}
