package io.eksaccess.console.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditOutcome;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.rbac.EffectiveAccess;
import io.eksaccess.console.rbac.RbacIndex;
import io.eksaccess.console.report.ReportContent.Permission;
import io.eksaccess.console.report.ReportContent.Principal;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.SharedApiServer;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jsoup.nodes.Document;
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

/**
 * Access reports end to end: a real API server of its own seeded with aws-auth and RBAC, the
 * console on a real PostgreSQL as the production app role. A report lists exactly the mapped
 * principals with the permissions the RBAC engine and the API server's own authorizer give them;
 * after aws-auth and RBAC change, the next report shows access gained and lost; downloads,
 * attestation and the periodic (scheduled) report.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessReportsTest {

    static final String ACCOUNT = "111122223333";
    static final String ADMINS = "arn:aws:iam::" + ACCOUNT + ":role/platform-admins";
    static final String DEVELOPERS = "arn:aws:iam::" + ACCOUNT + ":role/developers";
    static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/alice";
    static final TestPostgres.AppRoleDatabase DATABASE = TestPostgres.newDatabaseWithAppRole();
    static KubeApiServer apiServer;

    static final String AWS_AUTH = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: aws-auth, namespace: kube-system}
            data:
              mapRoles: |
                - rolearn: %1$s
                  username: admin:{{SessionName}}
                  groups: [system:masters]
                - rolearn: %2$s
                  username: dev:{{SessionName}}
                  groups: [developers]
              mapUsers: |
            %3$s""";
    static final String ALICE_ENTRY = """
                - userarn: %s
                  username: alice
                  groups: [viewers]
            """.formatted(ALICE);

    static final String RBAC = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: team-a}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pod-reader, namespace: team-a}
            rules:
            - apiGroups: [""]
              resources: [pods]
              verbs: [get, list, watch]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: developers-read, namespace: team-a}
            subjects:
            - {kind: Group, name: developers, apiGroup: rbac.authorization.k8s.io}
            roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: namespace-viewer}
            rules:
            - apiGroups: [""]
              resources: [namespaces]
              verbs: [get, list]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: viewers-namespaces}
            subjects:
            - {kind: Group, name: viewers, apiGroup: rbac.authorization.k8s.io}
            roleRef: {kind: ClusterRole, name: namespace-viewer, apiGroup: rbac.authorization.k8s.io}
            """;

    /** What an applied access request changes: developers may now deploy in team-a. */
    static final String DEPLOYER = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: deployer, namespace: team-a}
            rules:
            - apiGroups: [apps]
              resources: [deployments]
              verbs: [create, update]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: developers-deploy, namespace: team-a}
            subjects:
            - {kind: Group, name: developers, apiGroup: rbac.authorization.k8s.io}
            roleRef: {kind: Role, name: deployer, apiGroup: rbac.authorization.k8s.io}
            """;

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, DATABASE);
        registry.add("console.clusters.kubeconfig", Once.of(() -> kubeconfig().toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "2s"));
        registry.add("console.reports.schedule", Once.of(() -> "1h"));
        registry.add("console.reports.check-interval", Once.of(() -> "1s"));
    }

    /**
     * The run's shared API server with this class's aws-auth and RBAC: the reports list exactly the
     * aws-auth's principals, compare one report with the one before (nothing else writes between), and
     * check permissions against the objects the server lists then, whoever else's they are.
     */
    static synchronized Path kubeconfig() {
        if (apiServer == null) {
            apiServer = SharedApiServer.withWorld(AWS_AUTH.formatted(ADMINS, DEVELOPERS, ALICE_ENTRY) + "\n---\n" + RBAC);
        }
        return apiServer.kubeconfigFor("seeded");
    }

    @AfterAll
    static void removeWorld() {
        if (apiServer != null) {
            SharedApiServer.removeWorld(apiServer, RBAC + "---\n" + DEPLOYER);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AuditLog audit;

    @Autowired
    ClusterCaches caches;

    static long firstReport;
    static long secondReport;

    @Test
    @Order(1)
    void aReportListsExactlyTheMappedPrincipalsWithTheirPermissions() {
        awaitCache(snapshot -> snapshot.roleBindings().stream()
                .anyMatch(b -> b.getMetadata().getName().equals("developers-read")));
        recordEvent(AuditAction.BREAK_GLASS_APPLIED, "configmaps/kube-system/aws-auth");
        WebSession auditor = signIn("auditor");
        firstReport = generate(auditor);

        Document page = auditor.get(base() + "/reports/" + firstReport).html();
        assertThat(page.select("section.report-cluster").eachAttr("data-cluster")).containsExactly("seeded");
        assertThat(page.select("table.principals tr[data-arn]").eachAttr("data-arn"))
                .containsExactlyInAnyOrder(ADMINS, DEVELOPERS, ALICE);
        assertThat(page.selectFirst("#not-attested")).isNotNull();
        assertThat(page.text()).contains("This is the first report");

        String json = auditor.get(base() + "/reports/" + firstReport + "/report.json").body();
        String hash = page.selectFirst("#report-sha256").text();
        assertThat(ReportGenerator.sha256(json)).as("the download is the hashed text").isEqualTo(hash);
        assertThat(jdbc.sql("SELECT content_sha256 FROM access_reports WHERE id = :id").param("id", firstReport)
                .query(String.class).single()).isEqualTo(hash);

        ReportContent report = ReportGenerator.read(json);
        // The audit chain's head when the report was made: the row before its REPORT_GENERATED.
        long generatedRow = jdbc.sql("SELECT sequence FROM audit_events WHERE action = 'REPORT_GENERATED'"
                + " AND resource = :r").param("r", "reports/" + firstReport).query(Long.class).single();
        assertThat(report.formatVersion()).isEqualTo(2);
        assertThat(report.auditChainHead().sequence()).isLessThan(generatedRow);
        assertThat(report.auditChainHead().hash()).isEqualTo(jdbc.sql(
                        "SELECT hash FROM audit_events WHERE sequence = :s")
                .param("s", report.auditChainHead().sequence()).query(String.class).single());
        assertThat(page.selectFirst("#report-audit-head").text())
                .contains("row " + report.auditChainHead().sequence(), report.auditChainHead().hash());
        // Nothing to compare access with, but what happened before the first report is in it.
        assertThat(report.changes().compared()).isFalse();
        assertThat(report.changes().accessGained()).isEmpty();
        assertThat(report.changes().breakGlass())
                .extracting(ReportContent.Event::action, ReportContent.Event::resource)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("BREAK_GLASS_APPLIED", "configmaps/kube-system/aws-auth"));
        assertThat(page.select("#break-glass li").text()).contains("BREAK_GLASS_APPLIED", "Abe Approver");
        assertThat(report.generatedAt()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        ReportContent.ClusterSection cluster = report.clusters().get(0);
        assertThat(cluster.principals()).extracting(Principal::arn).containsExactlyInAnyOrder(ADMINS, DEVELOPERS, ALICE);
        assertThat(cluster.findingsAvailable()).isTrue();
        assertThat(cluster.findings()).anySatisfy(f -> {
            assertThat(f.id()).isEqualTo("AWSAUTH-002");
            assertThat(f.severity()).isEqualTo("high");
            assertThat(f.resource()).isEqualTo("mapRoles[0]");
            assertThat(f.acknowledged()).isFalse();
        });
        assertThat(page.select("ul.findings li").text()).contains("AWSAUTH-002", "mapRoles[0]");

        // Exactly what the RBAC engine says over the objects as the API server lists them now ...
        assertPermissionsMatchTheEngine(cluster.principals());
        // ... and what the API server's own authorizer allows.
        Principal developers = principal(cluster, DEVELOPERS);
        assertThat(summaries(developers)).contains("get,list,watch pods in team-a");
        assertThat(apiServer.subjectAccessReview(developers.username(), developers.groups(), "list", "", "pods",
                "team-a").getAllowed()).isTrue();
        assertThat(apiServer.subjectAccessReview(developers.username(), developers.groups(), "list", "", "pods",
                "default").getAllowed()).isFalse();
        Principal alice = principal(cluster, ALICE);
        assertThat(alice.username()).isEqualTo("alice");
        assertThat(alice.groups()).containsExactly("viewers", "system:authenticated");
        assertThat(summaries(alice)).contains("get,list namespaces cluster-wide").doesNotContain("get,list,watch pods in team-a");
        assertThat(apiServer.subjectAccessReview("alice", alice.groups(), "list", "", "namespaces", null).getAllowed())
                .isTrue();
        assertThat(summaries(principal(cluster, ADMINS))).contains("* * (*) cluster-wide");

        assertThat(cluster.bindings()).anySatisfy(b -> {
            assertThat(b.name()).isEqualTo("developers-read");
            assertThat(b.namespace()).isEqualTo("team-a");
            assertThat(b.roleName()).isEqualTo("pod-reader");
            assertThat(b.subjects()).containsExactly("Group:developers");
        });
        assertThat(auditEvents("REPORT_GENERATED", "reports/" + firstReport)).isEqualTo(1);
        assertThat(auditEvents("REPORT_EXPORTED", "reports/" + firstReport)).isEqualTo(1);
    }

    @Test
    @Order(2)
    void theNextReportShowsAccessGainedAndLostAndTheAppliedRequest() {
        apiServer.apply(AWS_AUTH.formatted(ADMINS, DEVELOPERS, ""));
        apiServer.apply(DEPLOYER);
        recordEvent(AuditAction.REQUEST_APPLIED, "requests/42");
        awaitCache(snapshot -> snapshot.roleBindings().stream()
                        .anyMatch(b -> b.getMetadata().getName().equals("developers-deploy"))
                && !snapshot.awsAuth().orElseThrow().getData().getOrDefault("mapUsers", "").contains("alice"));

        WebSession auditor = signIn("auditor");
        secondReport = generate(auditor);
        ReportContent report = ReportGenerator.read(
                auditor.get(base() + "/reports/" + secondReport + "/report.json").body());
        assertThat(report.previous().id()).isEqualTo(firstReport);
        assertThat(report.changes().compared()).isTrue();
        assertThat(report.changes().accessGained())
                .extracting(ReportContent.AccessChange::principal, ReportContent.AccessChange::what)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(DEVELOPERS, "create,update deployments (apps) in team-a"));
        assertThat(report.changes().accessLost())
                .extracting(ReportContent.AccessChange::principal)
                .containsOnly(ALICE)
                .isNotEmpty();
        assertThat(report.changes().accessLost())
                .extracting(ReportContent.AccessChange::what)
                .contains("no longer mapped (was alice [viewers, system:authenticated])", "get,list namespaces cluster-wide");
        assertThat(report.changes().requestsApplied())
                .extracting(ReportContent.Event::action, ReportContent.Event::resource)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("REQUEST_APPLIED", "requests/42"));
        assertThat(report.changes().breakGlass()).isEmpty();
        assertThat(report.clusters().get(0).principals()).extracting(Principal::arn)
                .containsExactlyInAnyOrder(ADMINS, DEVELOPERS);
        assertPermissionsMatchTheEngine(report.clusters().get(0).principals());

        Document page = auditor.get(base() + "/reports/" + secondReport).html();
        assertThat(page.select("#access-gained li").text()).contains(DEVELOPERS, "create,update deployments (apps) in team-a");
        assertThat(page.select("#access-lost li").text()).contains(ALICE, "no longer mapped");
        assertThat(page.select("#requests-applied li").text()).contains("REQUEST_APPLIED", "requests/42");
    }

    @Test
    @Order(3)
    void csvDownloadHasARowPerPermissionBindingAndChange() {
        WebSession admin = signIn("admin");
        WebSession.Page csv = admin.get(base() + "/reports/" + secondReport + "/report.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).contains("access-report-" + secondReport + ".csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo(ReportCsv.HEADER);
        assertThat(lines).anyMatch(l -> l.startsWith("\"permission\",\"seeded\",\"" + DEVELOPERS + "\"")
                && l.contains("\"get,list,watch pods in team-a\""));
        assertThat(lines).anyMatch(l -> l.startsWith("\"binding\",\"seeded\",\"Group:developers\"")
                && l.contains("\"Role deployer\""));
        assertThat(lines).anyMatch(l -> l.startsWith("\"access-gained\",\"seeded\",\"" + DEVELOPERS + "\""));
        assertThat(lines).anyMatch(l -> l.startsWith("\"access-lost\",\"seeded\",\"" + ALICE + "\""));
        assertThat(lines).anyMatch(l -> l.startsWith("\"request-applied\",\"seeded\"")
                && l.matches(".*\"\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\".*"));
        assertThat(auditEvents("REPORT_EXPORTED", "reports/" + secondReport)).isEqualTo(2);
    }

    @Test
    @Order(4)
    void anAuditorAttestsAReportAndOthersAreRefused() {
        WebSession requester = signIn("requester");
        WebSession.Page refused = requester.post(base() + "/reports/" + secondReport + "/attestations",
                Map.of("comment", "fine", "_csrf", requester.get(base() + "/").csrfToken()));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(requester.get(base() + "/reports/" + secondReport).status()).isEqualTo(403);
        WebSession admin = signIn("admin");
        WebSession.Page adminRefused = admin.post(base() + "/reports/" + secondReport + "/attestations",
                Map.of("comment", "fine", "_csrf", admin.get(base() + "/reports").csrfToken()));
        assertThat(adminRefused.status()).as("admins read reports; only auditors attest").isEqualTo(403);
        assertThat(admin.get(base() + "/reports/" + secondReport).html().selectFirst("#attest-form")).isNull();

        WebSession auditor = signIn("auditor");
        WebSession.Page page = auditor.get(base() + "/reports/" + secondReport);
        assertThat(page.html().selectFirst("dialog#attest-dialog button[type=submit]")).isNotNull();
        WebSession.Page empty = auditor.follow(auditor.submit(page, "#attest-form",
                Map.of("comment", "  ", "exceptions", "team-a may deploy until June")));
        assertThat(empty.html().select("[role=alert]").text()).contains("needs one");
        // beside the field, and nothing typed is lost
        assertThat(empty.html().select("#comment-error").text()).contains("needs one");
        assertThat(empty.html().selectFirst("#comment").attr("aria-invalid")).isEqualTo("true");
        assertThat(empty.html().selectFirst("#exceptions").text()).isEqualTo("team-a may deploy until June");
        WebSession.Page tooLong = auditor.follow(auditor.submit(page, "#attest-form",
                Map.of("comment", "Reviewed with the platform team.", "exceptions", "x".repeat(4001))));
        assertThat(tooLong.html().select("#exceptions-error").text()).contains("at most 4000 characters");
        assertThat(tooLong.html().select("#comment-error")).isEmpty();
        assertThat(tooLong.html().selectFirst("#comment").text()).isEqualTo("Reviewed with the platform team.");

        WebSession.Page done = auditor.follow(auditor.submit(page, "#attest-form",
                Map.of("comment", "Reviewed every principal with the platform team.",
                        "exceptions", "developers may deploy in team-a until the migration ends")));
        assertThat(done.html().select("#attestations li").text())
                .contains("Reviewed by Audrey Auditor", "Reviewed every principal with the platform team.",
                        "developers may deploy in team-a until the migration ends");
        // Once per auditor: the form is not offered again, and a second submit (another tab) is refused.
        assertThat(done.html().selectFirst("#attest-form")).isNull();
        assertThat(done.html().selectFirst("#attested-by-me").text()).startsWith("You attested this report at");
        WebSession.Page again = auditor.submit(page, "#attest-form", Map.of("comment", "Reviewed it once more."));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.html().select("[role=alert]").text())
                .contains("You attested report " + secondReport + " already");
        assertThat(again.html().select("#attestations li")).hasSize(1);
        assertThat(auditEvents("REPORT_ATTESTED", "reports/" + secondReport)).isEqualTo(1);
        Map<String, Object> attested = jdbc.sql("""
                        SELECT audit_head_sequence, audit_head_hash FROM report_attestations WHERE report_id = :id""")
                .param("id", secondReport).query().singleRow();
        assertThat(attested.get("audit_head_hash")).as("the head when attested").isEqualTo(jdbc.sql(
                        "SELECT hash FROM audit_events WHERE sequence = :s")
                .param("s", attested.get("audit_head_sequence")).query(String.class).single());
        assertThat(done.html().select("#attestations .attestation-audit-head").text())
                .contains("row " + attested.get("audit_head_sequence"));
        assertThat(auditEvents("ACCESS_DENIED", "/reports/" + secondReport + "/attestations"))
                .as("the requester's and the admin's refused attestations").isEqualTo(2);
        assertThat(auditor.get(base() + "/reports").html().select("tr[data-report=" + secondReport + "]").text())
                .contains("yes (1)");

        assertThatThrownBy(() -> jdbc.sql("UPDATE report_attestations SET comment = 'nothing to see'").update())
                .rootCause().hasMessageContaining("permission denied for table report_attestations");
        assertThatThrownBy(() -> jdbc.sql("UPDATE access_reports SET content_sha256 = repeat('0', 64)").update())
                .rootCause().hasMessageContaining("permission denied for table access_reports");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM access_reports").update())
                .rootCause().hasMessageContaining("permission denied for table access_reports");
    }

    @Test
    @Order(5)
    void exactlyOnePeriodicReportOfAllClustersIsMadePerWindow() {
        Eventually.await("the scheduled report", Duration.ofSeconds(60),
                () -> jdbc.sql("SELECT count(*) FROM access_reports WHERE trigger = 'SCHEDULED' AND scope = '*'")
                        .query(Long.class).single(),
                count -> count > 0);
        assertThat(jdbc.sql("SELECT count(*) FROM access_reports WHERE trigger = 'SCHEDULED'").query(Long.class)
                .single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT actor_subject FROM audit_events WHERE action = 'REPORT_GENERATED' AND "
                + "details->>'trigger' = 'SCHEDULED'").query(String.class).list()).containsExactly("system:reports");
    }

    @Test
    @Order(6)
    void generationShowsProgressAndPollsUntilDone() {
        WebSession auditor = signIn("auditor");
        WebSession.Page started = auditor.post(base() + "/reports",
                Map.of("scope", "*", "_csrf", auditor.get(base() + "/reports").csrfToken()));
        assertThat(started.isRedirect()).isTrue();
        String jobUrl = started.location().toString().startsWith("http") ? started.location().toString()
                : base() + started.location();
        WebSession.Page jobPage = auditor.get(jobUrl);
        if (!jobPage.isRedirect()) { // else the report was ready first: see below
            assertThat(jobPage.html().selectFirst("#report-job[aria-live=polite]")).isNotNull();
        }
        WebSession.Page fragment = Eventually.await("the report", Duration.ofSeconds(60),
                () -> auditor.get(jobUrl, Map.of("HX-Request", "true")),
                p -> p.header("HX-Redirect") != null);
        assertThat(fragment.html().selectFirst("#report-job").attr("data-state")).isEqualTo("DONE");
        assertThat(fragment.html().selectFirst("#report-job").hasAttr("hx-trigger")).as("polling stops").isFalse();
        assertThat(fragment.header("HX-Redirect")).matches("/reports/\\d+");
        // The job's page opened once it is done (the browser slower than the report) goes to the report:
        // a finished fragment does not poll, so the person would wait on it for ever.
        WebSession.Page openedLate = auditor.get(jobUrl);
        assertThat(openedLate.isRedirect()).isTrue();
        assertThat(openedLate.location().toString()).endsWith(fragment.header("HX-Redirect"));
    }

    // --- helpers

    private void assertPermissionsMatchTheEngine(List<Principal> principals) {
        try (KubernetesClient admin = apiServer.adminClient()) {
            RbacIndex index = RbacIndex.build(admin.rbac().roles().inAnyNamespace().list().getItems(),
                    admin.rbac().clusterRoles().list().getItems(),
                    admin.rbac().roleBindings().inAnyNamespace().list().getItems(),
                    admin.rbac().clusterRoleBindings().list().getItems());
            AwsAuthConfig awsAuth = AwsAuthParser.parse(
                    admin.configMaps().inNamespace("kube-system").withName("aws-auth").get().getData());
            for (Principal principal : principals) {
                EffectiveAccess.Chain chain = EffectiveAccess.of(awsAuth, principal.arn(), index);
                assertThat(principal.username()).isEqualTo(chain.identity().user());
                assertThat(principal.groups()).isEqualTo(chain.identity().groups());
                assertThat(summaries(principal)).as(principal.arn())
                        .isEqualTo(AccessInventory.permissions(chain.rules()).stream().map(Permission::summary)
                                .collect(Collectors.toSet()));
            }
        }
    }

    private static Set<String> summaries(Principal principal) {
        return principal.permissions().stream().map(Permission::summary).collect(Collectors.toSet());
    }

    private static Principal principal(ReportContent.ClusterSection cluster, String arn) {
        return cluster.principals().stream().filter(p -> p.arn().equals(arn)).findFirst().orElseThrow();
    }

    /** Starts an on-demand report of the seeded cluster and follows its progress to the report. */
    private long generate(WebSession session) {
        WebSession.Page list = session.get(base() + "/reports");
        assertThat(list.html().select("select#scope option").eachAttr("value")).contains("*", "seeded");
        WebSession.Page started = session.post(base() + "/reports", Map.of("scope", "seeded", "_csrf", list.csrfToken()));
        assertThat(started.isRedirect()).isTrue();
        // The job's page sends a browser on to the report once it is done.
        WebSession.Page done = Eventually.await("the report", Duration.ofSeconds(60),
                () -> session.follow(started), p -> p.url().getPath().matches("/reports/\\d+"));
        return Long.parseLong(done.url().getPath().substring("/reports/".length()));
    }

    private void awaitCache(java.util.function.Predicate<io.eksaccess.console.cluster.cache.ClusterSnapshot> ready) {
        Eventually.await("the cached view of the seeded cluster", Duration.ofSeconds(60),
                () -> caches.cache("seeded").map(c -> c.snapshot()).orElse(null),
                snapshot -> snapshot != null && snapshot.status().state().name().equals("LIVE") && ready.test(snapshot));
    }

    private long auditEvents(String action, String resource) {
        return jdbc.sql("SELECT count(*) FROM audit_events WHERE action = :a AND resource = :r")
                .param("a", action).param("r", resource).query(Long.class).single();
    }

    /** Written through the one audit writer, as the request and apply features write them. */
    private void recordEvent(AuditAction action, String resource) {
        audit.record(new AuditActor("sub-approver", "Abe Approver", "127.0.0.1"), action, "seeded", resource,
                Map.of(), AuditOutcome.SUCCESS);
    }

    private WebSession signIn(String who) {
        WebSession session = new WebSession();
        SignIn.viaDemoIssuer(session, base(), who);
        return session;
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
