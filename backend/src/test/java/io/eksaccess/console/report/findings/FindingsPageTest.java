package io.eksaccess.console.report.findings;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.MotoServer;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The Findings tab on the real (shared) API server, PostgreSQL and IAM on moto: offending RBAC and
 * an unscoped IRSA role seeded in a namespace of its own show up by severity with what, where, why
 * and how to fix; a requester cannot acknowledge (403), an admin can, and that is audited and shown.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FindingsPageTest {

    static final String CLUSTER = "test-apiserver";
    static final String NS = "findings-page";
    static final MotoServer MOTO = MotoServer.get();
    static final String ROLE = "findings-page-open-" + System.nanoTime();

    static {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try (IamClient iam = IamTrustPoliciesTest.client()) {
            iam.createRole(r -> r.roleName(ROLE).assumeRolePolicyDocument(IamTrustPoliciesTest.webIdentity(
                    "\"StringEquals\":{\"" + IamTrustPoliciesTest.PROVIDER + ":aud\":\"sts.amazonaws.com\"}")));
        }
    }

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.kubeconfig", Once.of(() -> seeded().kubeconfig().toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "2s"));
        registry.add("console.aws.iam-checks", Once.of(() -> "on"));
        registry.add("console.aws.endpoint-override", Once.of(() -> MOTO.endpoint().toString()));
    }

    /** Offences confined to one namespace (plus one ClusterRole nobody is bound to), so other tests are unaffected. */
    static KubeApiServer seeded() {
        KubeApiServer apiServer = KubeApiServer.get();
        apiServer.apply("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: %1$s}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: findings-page-wildcard}
                rules:
                - {apiGroups: [apps], resources: [deployments], verbs: ["*"]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: reader, namespace: %1$s}
                rules:
                - {apiGroups: [""], resources: [configmaps], verbs: [get]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: anonymous-reader, namespace: %1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
                subjects:
                - {apiGroup: rbac.authorization.k8s.io, kind: User, name: "system:anonymous"}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: orphan, namespace: %1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: never-created}
                subjects:
                - {apiGroup: rbac.authorization.k8s.io, kind: User, name: erin}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: open-irsa
                  namespace: %1$s
                  annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::%2$s:role/%3$s"}
                """.formatted(NS, MotoServer.ACCOUNT_ID, ROLE));
        return apiServer;
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ClusterFindings clusterFindings;

    @Test
    @Order(1)
    void showFindingsListsTheSeededOffencesBySeverityWithWhatWhereWhyAndHow() {
        WebSession requester = signedIn("requester");
        Document page = awaitFindings(requester);

        Element anonymous = card(page, "RBAC-002", "RoleBinding/" + NS + "/anonymous-reader");
        assertThat(anonymous.parent().selectFirst("h2#severity-critical")).isNotNull();
        assertThat(anonymous.selectFirst("header .badge").text()).isEqualTo("✖ critical RBAC-002");
        assertThat(anonymous.text()).contains("Anonymous access bound", "system:anonymous", "Remove those subjects",
                "Review and revoke unnecessary anonymous access");

        Element wildcard = card(page, "RBAC-001", "ClusterRole/findings-page-wildcard");
        assertThat(wildcard.text()).contains("rules[0] (* verbs)", "Employ least privileged access when creating RoleBindings");
        assertThat(card(page, "RBAC-004", "RoleBinding/" + NS + "/orphan").text()).contains("Role never-created");
        assertThat(card(page, "IRSA-001", "ServiceAccount/" + NS + "/open-irsa").text())
                .as("the trust policy came from IAM (moto)").contains(ROLE, "without a :sub condition");

        List<String> headings = page.select("main h2[id^=severity-]").eachAttr("id");
        assertThat(headings).startsWith("severity-critical").isSortedAccordingTo(
                java.util.Comparator.comparing(id -> List.of("severity-critical", "severity-high", "severity-medium", "severity-info").indexOf(id)));
        assertThat(page.select("ul.not-checked li").text()).contains("SA-002", "EKS-003");
        assertThat(page.selectFirst("nav.tabs a[aria-current=page]").text()).isEqualTo("Findings");
        assertThat(page.select("[data-opens-dialog]")).as("only admins get the button").isEmpty();
        assertThat(page.select("[style]")).as("the CSP forbids inline styles").isEmpty();
        assertThat(requester.get(base() + "/clusters/nope/findings").status()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void aNonAdminCannotAcknowledge() {
        WebSession requester = signedIn("requester");
        String csrf = awaitFindingsPage(requester).csrfToken();
        WebSession.Page refused = requester.post(base() + "/clusters/" + CLUSTER + "/findings/acknowledgements",
                Map.of("_csrf", csrf, "findingId", "RBAC-001", "resource", "ClusterRole/findings-page-wildcard",
                        "reason", "trust me", "expires", LocalDate.now(ZoneOffset.UTC).plusDays(10).toString()));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(count("SELECT count(*) FROM finding_acknowledgements")).isZero();
        assertThat(count("SELECT count(*) FROM audit_events WHERE action = 'FINDING_ACKNOWLEDGED'")).isZero();
    }

    @Test
    @Order(3)
    void anAdminAcknowledgesAfterTheDialogItIsAuditedAndShownMarked() {
        WebSession admin = signedIn("admin");
        WebSession.Page page = awaitFindingsPage(admin);
        Element card = card(page.html(), "RBAC-001", "ClusterRole/findings-page-wildcard");
        Element button = card.selectFirst("button[data-opens-dialog]");
        Element dialog = page.html().getElementById(button.attr("data-opens-dialog"));
        assertThat(dialog.tagName()).isEqualTo("dialog");
        assertThat(dialog.text()).contains("Acknowledge RBAC-001 on ClusterRole/findings-page-wildcard?",
                "recorded in the audit log");
        assertThat(dialog.select("label[for]").eachAttr("for")).containsExactly(dialog.id() + "-reason", dialog.id() + "-expires");

        String lastDay = LocalDate.now(ZoneOffset.UTC).plusDays(30).toString();
        WebSession.Page blank = admin.follow(admin.submit(page, "#" + dialog.id() + " form",
                Map.of("reason", "  ", "expires", lastDay)));
        assertThat(blank.html().select("[role=alert].notice").text()).contains("Say why");
        // the refused finding's dialog comes back open, the reason beside the field
        Element blankDialog = blank.html().getElementById(dialog.id());
        assertThat(blankDialog.hasAttr("open")).isTrue();
        assertThat(blank.html().select("dialog[open]")).hasSize(1);
        assertThat(blankDialog.select("#" + dialog.id() + "-reason-error").text()).contains("Say why");
        assertThat(blankDialog.selectFirst("textarea[name=reason]").attr("aria-invalid")).isEqualTo("true");
        WebSession.Page past = admin.follow(admin.submit(page, "#" + dialog.id() + " form",
                Map.of("reason", "legacy", "expires", "2020-01-01")));
        assertThat(past.html().select("[role=alert].notice").text()).contains("in the future");
        Element pastDialog = past.html().getElementById(dialog.id());
        assertThat(pastDialog.select("#" + dialog.id() + "-expires-error").text()).contains("in the future");
        assertThat(pastDialog.select("#" + dialog.id() + "-reason-error")).isEmpty();
        assertThat(pastDialog.selectFirst("textarea[name=reason]").text()).as("what was typed").isEqualTo("legacy");
        assertThat(pastDialog.selectFirst("input[name=expires]").val()).isEqualTo("2020-01-01");
        WebSession.Page malformed = admin.follow(admin.submit(page, "#" + dialog.id() + " form",
                Map.of("reason", "legacy", "expires", "next spring")));
        Element malformedDialog = malformed.html().getElementById(dialog.id());
        assertThat(malformedDialog.select("#" + dialog.id() + "-expires-error").text()).contains("YYYY-MM-DD");
        assertThat(malformedDialog.selectFirst("input[name=expires]").val()).isEqualTo("next spring");
        assertThat(count("SELECT count(*) FROM finding_acknowledgements")).isZero();

        WebSession.Page done = admin.follow(admin.submit(page, "#" + dialog.id() + " form",
                Map.of("reason", "Deploy tool needs it until the migration to Argo CD", "expires", lastDay)));
        assertThat(done.html().select("[role=status].notice").text())
                .isEqualTo("RBAC-001 on ClusterRole/findings-page-wildcard is acknowledged until " + lastDay + ".");
        Element marked = card(done.html(), "RBAC-001", "ClusterRole/findings-page-wildcard");
        assertThat(marked.attr("data-acknowledged")).isEqualTo("true");
        assertThat(marked.text()).contains("acknowledged", "Ada Admin", "Deploy tool needs it until the migration to Argo CD");
        assertThat(marked.select("button[data-opens-dialog]")).isEmpty();
        assertThat(card(done.html(), "RBAC-002", "RoleBinding/" + NS + "/anonymous-reader").attr("data-acknowledged"))
                .isEqualTo("false");

        Map<String, Object> audit = jdbc.sql("""
                        SELECT actor_name, cluster, resource, details->>'reason' AS reason, outcome
                        FROM audit_events WHERE action = 'FINDING_ACKNOWLEDGED'""").query().singleRow();
        assertThat(audit).containsEntry("actor_name", "Ada Admin").containsEntry("cluster", CLUSTER)
                .containsEntry("resource", "findings/RBAC-001/ClusterRole/findings-page-wildcard")
                .containsEntry("reason", "Deploy tool needs it until the migration to Argo CD")
                .containsEntry("outcome", "SUCCESS");

        ClusterFinding reported = clusterFindings.current(CLUSTER).stream()
                .filter(f -> f.id().equals("RBAC-001") && f.resource().equals("ClusterRole/findings-page-wildcard"))
                .findFirst().orElseThrow();
        assertThat(reported.acknowledged()).isTrue();
        assertThat(reported.acknowledgement().expiresAt())
                .isEqualTo(LocalDate.parse(lastDay).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        assertThat(clusterFindings.current("no-such-cluster")).isEmpty();
    }

    @Test
    @Order(4)
    void aFindingThatIsNotCurrentCannotBeAcknowledged() {
        WebSession admin = signedIn("admin");
        String csrf = awaitFindingsPage(admin).csrfToken();
        WebSession.Page refused = admin.follow(admin.post(base() + "/clusters/" + CLUSTER + "/findings/acknowledgements",
                Map.of("_csrf", csrf, "findingId", "RBAC-001", "resource", "ClusterRole/not-there",
                        "reason", "x", "expires", LocalDate.now(ZoneOffset.UTC).plusDays(10).toString())));
        assertThat(refused.html().select("[role=alert].notice").text()).contains("is not a current finding");
        assertThat(count("SELECT count(*) FROM finding_acknowledgements WHERE resource = 'ClusterRole/not-there'")).isZero();
    }

    @Test
    @Order(5)
    void anExpiredAcknowledgementNoLongerCounts() {
        jdbc.sql("""
                        INSERT INTO finding_acknowledgements (cluster_id, finding_id, resource, reason, expires_at,
                                                              actor_subject, actor_name, acknowledged_at)
                        SELECT id, 'RBAC-004', :resource, 'was fine last month', now() - interval '1 day', 'ada', 'Ada Admin',
                               now() - interval '30 days'
                        FROM clusters WHERE name = :cluster""")
                .param("resource", "RoleBinding/" + NS + "/orphan").param("cluster", CLUSTER).update();
        ClusterFinding orphan = clusterFindings.current(CLUSTER).stream()
                .filter(f -> f.id().equals("RBAC-004") && f.resource().equals("RoleBinding/" + NS + "/orphan"))
                .findFirst().orElseThrow();
        assertThat(orphan.acknowledged()).isFalse();
        assertThat(card(awaitFindings(signedIn("admin")), "RBAC-004", "RoleBinding/" + NS + "/orphan")
                .select("button[data-opens-dialog]")).as("open again: it can be acknowledged anew").hasSize(1);
    }

    private Document awaitFindings(WebSession session) {
        return awaitFindingsPage(session).html();
    }

    private WebSession.Page awaitFindingsPage(WebSession session) {
        return Eventually.await("the seeded findings", Duration.ofSeconds(60),
                () -> session.get(base() + "/clusters/" + CLUSTER + "/findings"),
                page -> page.status() == 200 && page.html().selectFirst(
                        "article[data-finding=IRSA-001][data-resource=ServiceAccount/" + NS + "/open-irsa]") != null);
    }

    private static Element card(Document page, String id, String resource) {
        Element card = page.selectFirst("article.finding-card[data-finding=" + id + "][data-resource=" + resource + "]");
        assertThat(card).as(id + " on " + resource).isNotNull();
        return card;
    }

    private WebSession signedIn(String who) {
        WebSession session = new WebSession();
        SignIn.viaDemoIssuer(session, base(), who);
        return session;
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
