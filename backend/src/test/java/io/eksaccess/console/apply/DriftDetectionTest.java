package io.eksaccess.console.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.SharedApiServer;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
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

/**
 * Drift from the watch on the shared real API server (the class owns its aws-auth while it runs): the first observation is the baseline;
 * the console's own writes (also one rebased over another writer's change) are not drift, the
 * other writer's change is; an edit straight to the API server is recorded with its diff, audited,
 * notified and shown on the cluster page; only an admin may adopt it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriftDetectionTest {

    static final String CLUSTER = "drift";
    static final String BOB = "arn:aws:iam::111122223333:user/bob";
    static KubeApiServer apiServer;

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        if (apiServer == null) {
            apiServer = SharedApiServer.withAwsAuth(ApplyTestCluster.fixture());
        }
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.kubeconfig", Once.of(() -> ApplyTestCluster.kubeconfig(apiServer, CLUSTER).toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "1s"));
        registry.add("console.apply.drift-scan-interval", Once.of(() -> "1s"));
        registry.add("console.apply.recovery-interval", Once.of(() -> "1h"));
    }

    @LocalServerPort int port;
    @Autowired AwsAuthApplier applier;
    @Autowired ClusterRepository clusters;
    @Autowired JdbcClient jdbc;

    @Test
    @Order(1)
    void theFirstObservationIsTheBaselineNotDrift() {
        String hash = AwsAuthApplier.hash(ApplyTestCluster.fixture());
        Eventually.await("the first observation", Duration.ofSeconds(120), this::baselineHash, hash::equals);

        assertThat(driftCount()).isZero();
        Document page = overview(signedIn("requester"));
        assertThat(page.select("[data-testid=drift-none]")).hasSize(1);
        assertThat(page.select("[data-testid=drift-event]")).isEmpty();
    }

    @Test
    @Order(2)
    void theConsolesOwnWritesAreNotDriftButAChangeTheyWereRebasedOverIs() {
        ApplyResult own = applier.apply(new ApplyCommand(CLUSTER, AwsAuthApplierTest.mapOps(), AuditActor.system("test"),
                null, "test", false));
        assertThat(own.status()).as(own.message()).isEqualTo(ApplyResult.Status.APPLIED);
        Eventually.await("the watch to show the console's write", Duration.ofSeconds(60), this::baselineHash,
                own.afterHash()::equals);
        assertThat(driftCount()).isZero();
        assertThat(jdbc.sql("SELECT source FROM aws_auth_baselines").query(String.class).single()).isEqualTo("APPLIED");

        // Another writer slips in between the console's read and write: the console keeps the change
        // (409, re-plan) and its own write is still not drift, but the other writer's change is.
        applier.beforeWrite(attempt -> {
            if (attempt == 1) {
                edit(data -> {
                    data.put("mapAccounts", "- \"444455556666\"\n");
                    return data;
                });
            }
        });
        ApplyResult rebased;
        try {
            rebased = applier.apply(new ApplyCommand(CLUSTER, new MappingChange.UnmapRole(
                    "arn:aws:iam::111122223333:role/ops"), AuditActor.system("test"), null, "test", false));
        } finally {
            applier.beforeWrite(null);
        }
        assertThat(rebased.attempts()).isEqualTo(2);
        Eventually.await("the watch to show the rebased write", Duration.ofSeconds(60), this::baselineHash,
                rebased.afterHash()::equals);
        List<String> diffs = jdbc.sql("SELECT diff FROM drift_events ORDER BY id").query(String.class).list();
        assertThat(diffs).singleElement().asString().contains("+- \"444455556666\"").doesNotContain("role/ops");
        adoptAllAsAdmin();
    }

    @Test
    @Order(3)
    void anEditStraightToTheApiServerIsRecordedAuditedNotifiedAndShown() {
        long before = driftCount();
        edit(data -> {
            data.put("mapUsers", data.get("mapUsers") + """
                    - userarn: arn:aws:iam::111122223333:user/bob
                      username: bob
                      groups: [system:masters]
                    """);
            data.put("mapRoles", ApplyTestCluster.MAP_ROLES.substring(0, ApplyTestCluster.MAP_ROLES.indexOf("# developers")));
            return data;
        });

        Eventually.await("the drift to be recorded", Duration.ofSeconds(60), this::driftCount, n -> n == before + 1);
        String diff = jdbc.sql("SELECT diff FROM drift_events ORDER BY id DESC LIMIT 1").query(String.class).single();
        assertThat(diff).contains("+- userarn: arn:aws:iam::111122223333:user/bob")
                .contains("-- rolearn: arn:aws:iam::111122223333:role/devs").doesNotContain("role/admins\n-");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_events WHERE action = 'DRIFT_DETECTED' AND cluster = :c")
                .param("c", CLUSTER).query(Long.class).single()).isEqualTo(before + 1);
        assertThat(jdbc.sql("SELECT count(*) FROM notification_outbox WHERE type = 'DRIFT_DETECTED' AND cluster = :c")
                .param("c", CLUSTER).query(Long.class).single()).isEqualTo(before + 1);

        Document page = overview(signedIn("requester"));
        Element event = page.selectFirst("[data-testid=drift-event]");
        assertThat(event).as(page.body().text()).isNotNull();
        assertThat(event.select("[data-testid=drift-diff]").text()).contains("user/bob").contains("role/devs");
        assertThat(event.select("form[action$=/adopt]")).as("only admins see the adopt button").isEmpty();
        assertThat(event.select("[data-testid=drift-revert]").eachAttr("href")).containsExactlyInAnyOrder(
                "/requests/new?cluster=drift&kind=UNMAP_USER&arn=arn%3Aaws%3Aiam%3A%3A111122223333%3Auser%2Fbob",
                "/requests/new?cluster=drift&kind=MAP_ROLE&arn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fdevs"
                        + "&username=dev%3A%7B%7BSessionName%7D%7D&groups=developers");
    }

    @Test
    @Order(4)
    void onlyAnAdminMayAdopt() {
        long id = jdbc.sql("SELECT max(id) FROM drift_events").query(Long.class).single();
        WebSession requester = signedIn("requester");
        String csrf = requester.get(base() + "/clusters/" + CLUSTER).csrfToken();
        WebSession.Page refused = requester.post(base() + "/clusters/" + CLUSTER + "/drift/" + id + "/adopt",
                Map.of("_csrf", csrf));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.html().text()).as("refused for the role, not the token").contains("This needs the")
                .doesNotContain("security token");
        assertThat(state(id)).isEqualTo("OPEN");

        WebSession admin = signedIn("admin");
        WebSession.Page page = admin.get(base() + "/clusters/" + CLUSTER);
        WebSession.Page adopted = admin.follow(admin.submit(page, "#drift-" + id + " form[action$=/adopt]", Map.of()));

        assertThat(adopted.status()).isEqualTo(200);
        assertThat(adopted.html().select("[data-testid=drift-event]")).isEmpty();
        assertThat(state(id)).isEqualTo("ADOPTED");
        assertThat(jdbc.sql("SELECT source FROM aws_auth_baselines").query(String.class).single()).isEqualTo("ADOPTED");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_events WHERE action = 'DRIFT_ADOPTED' AND details->>'driftId' = :id")
                .param("id", Long.toString(id)).query(Long.class).single()).isEqualTo(1L);
    }

    private void adoptAllAsAdmin() {
        WebSession admin = signedIn("admin");
        for (long id : jdbc.sql("SELECT id FROM drift_events WHERE state = 'OPEN'").query(Long.class).list()) {
            WebSession.Page page = admin.get(base() + "/clusters/" + CLUSTER);
            admin.follow(admin.submit(page, "#drift-" + id + " form[action$=/adopt]", Map.of()));
            assertThat(state(id)).isEqualTo("ADOPTED");
        }
    }

    private static void edit(UnaryOperator<Map<String, String>> change) {
        try (KubernetesClient other = apiServer.adminClient()) {
            ConfigMap current = other.configMaps().inNamespace("kube-system").withName("aws-auth").get();
            other.configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder(current)
                    .withData(change.apply(new HashMap<>(current.getData()))).build()).update();
        }
    }

    private String baselineHash() {
        return jdbc.sql("SELECT hash FROM aws_auth_baselines WHERE cluster = :c").param("c", CLUSTER)
                .query(String.class).optional().orElse("none");
    }

    private long driftCount() {
        return jdbc.sql("SELECT count(*) FROM drift_events WHERE cluster = :c").param("c", CLUSTER).query(Long.class).single();
    }

    private String state(long id) {
        return jdbc.sql("SELECT state FROM drift_events WHERE id = :id").param("id", id).query(String.class).single();
    }

    private WebSession signedIn(String who) {
        WebSession session = new WebSession();
        SignIn.viaDemoIssuer(session, base(), who);
        return session;
    }

    private Document overview(WebSession session) {
        WebSession.Page page = session.get(base() + "/clusters/" + CLUSTER);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return page.html();
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
