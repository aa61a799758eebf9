package io.eksaccess.console.dashboard;

import static io.eksaccess.console.dashboard.DashboardTestCluster.awsAuth;
import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.SyncState;
import io.eksaccess.console.report.findings.ClusterFindings;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.MovableClock;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.SharedApiServer;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The cluster overview on the dashboard tests' real API server and PostgreSQL: first its empty
 * states (no cluster-wide admin but system:masters, nothing filed), then each block with data put in
 * through the API server and the request pages, and the statement count, which must not grow with
 * the rows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@Import({DashboardTest.StatementCounting.class, ClusterOverviewTest.MemoClock.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterOverviewTest {

    static final String CLUSTER = "ovw";
    static final String ACCOUNT = "111122223333";
    static final AtomicLong SEQUENCE = new AtomicLong();
    static KubeApiServer apiServer;

    /** Cluster-wide admins of every kind, and two that are not (read-only wildcard, admin in one namespace). */
    static final String ADMINS = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: ops-are-admins}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects:
              - {kind: Group, name: ops-admins, apiGroup: rbac.authorization.k8s.io}
              - {kind: User, name: carol, apiGroup: rbac.authorization.k8s.io}
              - {kind: ServiceAccount, name: deployer, namespace: ci}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: reads-everything}
            rules:
              - {apiGroups: ["*"], resources: ["*"], verbs: [get, list, watch]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: dave-reads}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reads-everything}
            subjects:
              - {kind: User, name: dave, apiGroup: rbac.authorization.k8s.io}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: erin-admin-in-one-namespace, namespace: default}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects:
              - {kind: User, name: erin, apiGroup: rbac.authorization.k8s.io}
            """;

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.kubeconfig", Once.of(() -> kubeconfig().toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "2s"));
        registry.add("console.requests.expiry-check", Once.of(() -> "1h"));
        registry.add("console.reports.check-interval", Once.of(() -> "1h"));
    }

    /**
     * The findings memo (kept a minute) on a clock the test moves: its renewal needs no wait, and the
     * warm-up and the counted view in statements() fall within one memo however slow the machine.
     */
    @TestConfiguration
    static class MemoClock {

        static final MovableClock CLOCK = new MovableClock();

        @Bean
        @Primary
        FindingCounts findingCountsOnTheTestsClock(ClusterFindings findings) {
            return new FindingCounts(findings::current, CLOCK);
        }
    }

    static synchronized Path kubeconfig() {
        if (apiServer == null) {
            apiServer = DashboardTestCluster.start();
        }
        return apiServer.kubeconfigFor(CLUSTER);
    }

    /** The API server is DashboardTest's too: its empty states must not find these admins. */
    @AfterAll
    static void removeAdmins() {
        if (apiServer != null) {
            SharedApiServer.removeWorld(apiServer, ADMINS);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ClusterCaches caches;

    @Autowired
    FindingCounts findingCounts;

    @Test
    @Order(1)
    void emptyStatesSayNobodyButSystemMastersHoldsAdminAndNothingIsOpenOrApplied() {
        awaitLive();
        WebSession auditor = signedIn("auditor");
        // Read again if a watch was interrupted between the two reads (a moment of "stale" under load).
        Document page = Eventually.await("the overview saying live", Duration.ofSeconds(60), () -> overview(auditor),
                overview -> overview.selectFirst("#cluster-status .badge").text().contains("live"));
        assertThat(page.selectFirst("#overview-auth-mode")).as("not an EKS cluster").isNull();
        assertThat(page.selectFirst("#overview-admins-rbac-none").text()).contains("No subject holds * on *.*");
        assertThat(page.selectFirst("#overview-admins-masters-none").text()).contains("No aws-auth mapping");
        assertThat(page.selectFirst("#overview-admins-entries-unknown").text()).contains("Not an EKS cluster");
        assertThat(page.select("[data-testid^=admin-]")).isEmpty();
        assertThat(page.selectFirst("#overview-open-none").text()).contains("No request for this cluster is open");
        assertThat(page.selectFirst("#overview-open-none a").attr("href")).isEqualTo("/requests/new?cluster=" + CLUSTER);
        assertThat(page.selectFirst("#overview-applied-none").text()).contains("Nothing has been applied");
        assertThat(page.selectFirst("[data-testid=drift-none]")).isNotNull();

        // Findings as the memo has them (the same one the admins' home reads), by severity.
        FindingCounts.Counts counts = findingCounts.of(CLUSTER);
        assertThat(page.selectFirst("#overview-findings-counts").text()).isEqualTo("Open findings: %d critical, %d high, %d medium, %d info"
                .formatted(counts.critical(), counts.high(), counts.medium(), counts.info()));
        assertThat(page.selectFirst("#overview-findings-counts a").attr("href")).isEqualTo("/clusters/" + CLUSTER + "/findings");
        assertThat(page.select("[data-testid=overview-finding]")).hasSize(counts.top().size());

        // The object counts are still there, folded away.
        assertThat(page.select("#cluster-status details#overview-counts td").eachText()).contains("aws-auth ConfigMap");
        assertThat(page.selectFirst("#cluster-status").attr("hx-get")).isEqualTo("/clusters/" + CLUSTER);
    }

    @Test
    @Order(2)
    void adminsAreListedFromTheCachedRbacAndAwsAuthEachLinkingToItsPage() {
        apiServer.apply(ADMINS);
        apiServer.apply(awsAuth("""
                    - rolearn: arn:aws:iam::%s:role/BreakGlass
                      username: breakglass
                      groups:
                        - system:masters
                  mapUsers: |
                    - userarn: arn:aws:iam::%s:user/root-ish
                      username: rootish
                      groups:
                        - system:masters
                """.formatted(ACCOUNT, ACCOUNT)));
        WebSession auditor = signedIn("auditor");
        Document page = Eventually.await("the admins in the cache", Duration.ofSeconds(60), () -> overview(auditor),
                p -> p.select("[data-testid=admin-rbac]").size() == 3 && p.select("[data-testid=admin-masters]").size() == 2);

        assertThat(page.select("#overview-admins-rbac li").eachText())
                .containsExactlyInAnyOrder("Group ops-admins", "User carol", "ServiceAccount ci:deployer");
        assertThat(page.select("#overview-admins-rbac a").eachAttr("href")).containsExactlyInAnyOrder(
                "/clusters/" + CLUSTER + "/subject?group=ops-admins",
                "/clusters/" + CLUSTER + "/subject?user=carol",
                "/clusters/" + CLUSTER + "/subject?serviceAccount=ci:deployer");
        assertThat(page.selectFirst("#overview-admins").text()).as("read-only wildcard and namespace admin are not cluster-wide admin")
                .doesNotContain("dave").doesNotContain("erin");
        assertThat(page.select("#overview-admins-masters li").eachText()).containsExactly(
                "arn:aws:iam::" + ACCOUNT + ":role/BreakGlass as breakglass",
                "arn:aws:iam::" + ACCOUNT + ":user/root-ish as rootish");
        assertThat(page.select("#overview-admins-masters a").eachAttr("href")).containsExactly(
                "/clusters/" + CLUSTER + "/mappings#mapRoles-1", "/clusters/" + CLUSTER + "/mappings#mapUsers-0");
        // The links land on the rows they name.
        Document mappings = auditor.get(base() + "/clusters/" + CLUSTER + "/mappings").html();
        assertThat(mappings.getElementById("mapRoles-1").text()).contains("BreakGlass");
        assertThat(mappings.getElementById("mapUsers-0").text()).contains("root-ish");
        assertThat(auditor.get(base() + "/clusters/" + CLUSTER + "/subject?user=carol").status()).isEqualTo(200);

        // The findings engine sees the same: the mappings to system:masters are high findings (once the memo's minute is over).
        Document withFindings = Eventually.await("the findings memo renewed", Duration.ofSeconds(90), () -> {
                    MemoClock.CLOCK.advance(FindingCounts.KEEP);
                    return overview(auditor);
                },
                p -> p.select("[data-testid=overview-finding]").text().contains("AWSAUTH-002"));
        assertThat(withFindings.selectFirst("#overview-findings-counts").text()).doesNotContain(" 0 high");
        assertThat(withFindings.selectFirst("#overview-findings-none")).isNull();
        assertThat(withFindings.select("[data-testid=overview-finding] a").eachAttr("href"))
                .allMatch(href -> href.startsWith("/clusters/" + CLUSTER + "/findings#severity-"));
    }

    @Test
    @Order(3)
    void openRequestsAndLastAppliedChangesLinkToTheirRequests() {
        WebSession requester = signedIn("requester");
        long open = fileViaPage(requester, "still open");
        long granted = fileViaPage(requester, "granted");
        reviewViaPage(signedIn("approver"), granted, "APPROVE", "fine");

        Document page = overview(signedIn("auditor"));
        assertThat(page.selectFirst("#overview-open-" + open).text()).contains("pending").contains("Rita Requester")
                .contains("map arn:aws:iam::" + ACCOUNT);
        assertThat(page.selectFirst("#overview-open-" + open + " a").attr("href")).isEqualTo("/requests/" + open);
        assertThat(page.selectFirst("#overview-open-" + granted)).as("applied is not open").isNull();
        assertThat(page.selectFirst("#overview-open-none")).isNull();
        assertThat(page.selectFirst("#overview-applied-" + granted + " a").attr("href")).isEqualTo("/requests/" + granted);
        assertThat(page.selectFirst("#overview-applied-" + granted + " time").attr("datetime")).isNotEmpty();
        assertThat(page.selectFirst("#overview-applied-none")).isNull();
    }

    @Test
    @Order(4)
    void theOverviewCostsTheSameNumberOfStatementsWhateverItsRows() {
        WebSession auditor = signedIn("auditor");
        int before = statements(auditor);
        WebSession requester = signedIn("requester");
        WebSession approver = signedIn("approver");
        for (int i = 0; i < 3; i++) {
            fileViaPage(requester, "open " + i);
            reviewViaPage(approver, fileViaPage(requester, "applied " + i), "APPROVE", "ok");
        }
        Document page = overview(auditor);
        assertThat(page.select("#overview-open li")).hasSizeGreaterThanOrEqualTo(4);
        assertThat(page.select("#overview-applied li")).hasSizeGreaterThanOrEqualTo(4);
        assertThat(statements(auditor)).isEqualTo(before).isPositive();
    }

    int statements(WebSession who) {
        overview(who); // warm (the findings memo)
        DashboardTest.StatementCounting.STATEMENTS.set(0);
        overview(who);
        return DashboardTest.StatementCounting.STATEMENTS.get();
    }

    void awaitLive() {
        Eventually.await("the cluster cache", Duration.ofSeconds(60),
                () -> caches.cache(CLUSTER).map(c -> c.status().state()).orElse(null), s -> s == SyncState.LIVE);
    }

    Document overview(WebSession who) {
        WebSession.Page page = who.get(base() + "/clusters/" + CLUSTER);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return page.html();
    }

    String base() {
        return "http://localhost:" + port;
    }

    WebSession signedIn(String who) {
        WebSession session = new WebSession();
        SignIn.viaDemoIssuer(session, base(), who);
        return session;
    }

    long fileViaPage(WebSession session, String justification) {
        WebSession.Page form = session.get(base() + "/requests/new");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("cluster", CLUSTER);
        fields.put("kind", "MAP_ROLE");
        fields.put("arn", "arn:aws:iam::" + ACCOUNT + ":role/dev-" + SEQUENCE.incrementAndGet());
        fields.put("username", "dev:{{SessionName}}");
        fields.put("groups", "readers");
        fields.put("duration", "8");
        fields.put("justification", justification);
        WebSession.Page filed = session.submit(form, "#request-form", fields);
        assertThat(filed.isRedirect()).as("filing redirects to the request:\n" + filed.body()).isTrue();
        return Long.parseLong(filed.location().getPath().replaceAll(".*/requests/", ""));
    }

    void reviewViaPage(WebSession session, long id, String decision, String comment) {
        WebSession.Page page = session.get(base() + "/requests/" + id);
        session.follow(session.submit(page, "#review-form", Map.of("decision", decision, "comment", comment)));
    }
}
