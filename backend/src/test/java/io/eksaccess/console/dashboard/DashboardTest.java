package io.eksaccess.console.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The home page per console role, on the dashboard tests' real API server and PostgreSQL, as the
 * demo issuer's people: the empty states first (a fresh database), then each section with its data,
 * and the statement count of each section, which must not grow with its rows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardTest {

    static final String CLUSTER = "home";
    static final String ACCOUNT = "111122223333";
    static final AtomicLong SEQUENCE = new AtomicLong();
    static KubeApiServer apiServer;

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.kubeconfig", Once.of(() -> kubeconfig().toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "2s"));
        registry.add("console.requests.expiry-check", Once.of(() -> "1h"));
        registry.add("console.reports.check-interval", Once.of(() -> "1h"));
        registry.add("console.reports.schedule", Once.of(() -> "30d"));
    }

    static synchronized Path kubeconfig() {
        if (apiServer == null) {
            apiServer = DashboardTestCluster.start();
        }
        return apiServer.kubeconfigFor(CLUSTER);
    }

    /**
     * Counts the statements prepared on the web server's request threads (background jobs run on
     * others), so a test can see how many queries one page costs.
     */
    @TestConfiguration
    static class StatementCounting {

        static final AtomicInteger STATEMENTS = new AtomicInteger();
        /** The SQL of those statements, in order. */
        static final List<String> SQL = new CopyOnWriteArrayList<>();

        @Bean
        static BeanPostProcessor countStatements() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (!(bean instanceof DataSource target)) {
                        return bean;
                    }
                    return Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                            (proxy, method, args) -> {
                                Object result = invoke(target, method, args);
                                return result instanceof Connection connection ? counting(connection) : result;
                            });
                }
            };
        }

        static Connection counting(Connection connection) {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().startsWith("prepare") || method.getName().equals("createStatement")) {
                            if (Thread.currentThread().getName().startsWith("http-nio")) {
                                STATEMENTS.incrementAndGet();
                                SQL.add(args != null && args.length > 0 && args[0] instanceof String sql ? sql : "");
                            }
                        }
                        return invoke(connection, method, args);
                    });
        }

        static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ClusterRepository clusters;

    @Autowired
    ClusterCaches caches;

    // ---- empty states ------------------------------------------------------------------------------

    @Test
    @Order(1)
    void eachRoleSeesItsOwnSectionsWithEmptyStatesThatSayWhatToDoNext() {
        Document approver = home("approver");
        assertThat(approver.selectFirst("#home-reviews")).isNotNull();
        assertThat(approver.selectFirst("#home-reviews").attr("hx-trigger")).isEqualTo("every 30s");
        assertThat(approver.selectFirst("#home-reviews").attr("hx-get")).isEqualTo("/?section=reviews");
        assertThat(approver.select("#home-reviews .empty").text()).contains("Nothing waits for you");
        assertThat(approver.selectFirst("#home-audit")).as("not an auditor").isNull();
        assertThat(approver.selectFirst("#home-clusters")).as("not an admin").isNull();

        Document requester = home("requester");
        assertThat(requester.selectFirst("#home-reviews")).as("not an approver").isNull();
        assertThat(requester.selectFirst("#home-open-empty").text()).contains("You have no open requests");
        assertThat(requester.selectFirst("#home-open-empty a").attr("href")).isEqualTo("/requests/new");
        assertThat(requester.selectFirst("#home-grants-empty").text()).contains("File a request when you need some");

        Document auditor = home("auditor");
        assertThat(auditor.selectFirst("#home-latest-report").text()).contains("No access report yet");
        assertThat(auditor.selectFirst("#home-latest-report a").attr("href")).isEqualTo("/reports");
        assertThat(auditor.selectFirst("#home-chain").text()).contains("Not verified yet");
        assertThat(auditor.selectFirst("#home-next-report time")).as("periodic reports are on by default").isNotNull();
        assertThat(auditor.selectFirst("#home-since").text()).contains("no break-glass use").contains("no drift detected");
        assertThat(auditor.selectFirst("#home-reviews")).isNull();

        awaitLive();
        Document admin = home("admin");
        assertThat(admin.selectFirst("#home-clusters-ok")).as(admin.select("#home-clusters").outerHtml()).isNotNull();
        assertThat(admin.selectFirst("#home-clusters-ok").text()).contains("The cluster is live");
        assertThat(admin.select("#home-clusters .empty").text()).contains("No failed applies")
                .contains("Every ended grant was revoked");
        assertThat(admin.selectFirst("#home-audit")).isNull();
    }

    // ---- each section with data ------------------------------------------------------------------

    @Test
    @Order(2)
    void approversSeeWhatWaitsForThemOldestFirstWithAWarningForWhatExpiresWithinADay() {
        WebSession requester = signedIn("requester");
        long older = fileViaPage(requester, "first");
        long newer = fileViaPage(requester, "second");
        jdbc.sql("UPDATE access_requests SET expires_at = now() + interval '2 hours' WHERE id = :id")
                .param("id", newer).update();

        // The nav badge and the reviews section show one read of the queue (ReviewQueues), not one each.
        WebSession approver = signedIn("approver");
        StatementCounting.SQL.clear();
        Document page = approver.get(base() + "/").html();
        assertThat(StatementCounting.SQL).as("the queue's query").filteredOn(sql -> sql.contains("state = 'PENDING'")
                && sql.contains("FROM request_reviews v")).hasSize(1);
        assertThat(StatementCounting.SQL).as("the policies' query").filteredOn(sql -> sql.contains("FROM approval_policies")
                && !sql.contains("WHERE")).hasSize(1);
        assertThat(page.selectFirst("#nav-reviews-waiting").text()).isEqualTo("2");
        assertThat(page.selectFirst("#home-reviews-count").text()).contains("2 requests wait");
        assertThat(page.select("#home-reviews tbody tr").eachAttr("id"))
                .containsExactly("home-review-" + older, "home-review-" + newer);
        Element row = page.selectFirst("#home-review-" + older);
        assertThat(row.selectFirst("a[href=/requests/" + older + "]")).isNotNull();
        assertThat(row.text()).contains(CLUSTER).contains("map arn:aws:iam::" + ACCOUNT).contains("into readers")
                .contains("Rita Requester");
        assertThat(page.selectFirst("#home-reviews-expiring").text()).contains("One request expires within a day");
        assertThat(page.selectFirst("#home-review-" + newer + " .expiring")).isNotNull();
        assertThat(row.selectFirst(".expiring")).as("72 h left").isNull();

        // The refresh is the section alone, not a page; another role's section is refused.
        WebSession.Page fragment = approver.get(base() + "/?section=reviews", Map.of("HX-Request", "true"));
        assertThat(fragment.html().selectFirst("html > head > title")).isNull();
        assertThat(fragment.html().select("#home-reviews tbody tr")).hasSize(2);
        assertThat(approver.get(base() + "/?section=audit", Map.of("HX-Request", "true")).status()).isEqualTo(403);

        // The one who filed them is not asked to review them.
        assertThat(home("requester").selectFirst("#home-reviews")).isNull();
        reviewViaPage(approver, older, "REJECT", "no");
        reviewViaPage(approver, newer, "REJECT", "no");
    }

    @Test
    @Order(3)
    void requestersSeeOpenRequestsTheirGrantsWithTheirEndAndAnExtendLinkAndRecentDecisions() {
        awaitLive();
        WebSession requester = signedIn("requester");
        long open = fileViaPage(requester, "still open");
        long granted = fileViaPage(requester, "granted");
        WebSession approver = signedIn("approver");
        reviewViaPage(approver, granted, "APPROVE", "fine");
        assertThat(state(granted)).isEqualTo("APPLIED");

        Document page = requester.get(base() + "/").html();
        assertThat(page.selectFirst("#home-open-" + open).text()).contains("pending").contains(CLUSTER);
        assertThat(page.selectFirst("#home-open-" + granted)).as("applied is not open").isNull();
        Element grant = page.selectFirst("#home-grant-" + granted);
        assertThat(grant.selectFirst("time").attr("datetime")).isNotEmpty();
        assertThat(grant.selectFirst("a.extend").attr("href")).startsWith("/requests/new?cluster=" + CLUSTER)
                .contains("&duration=8");
        assertThat(page.select("#home-decided li").eachAttr("id")).contains("home-decided-" + granted);
        assertThat(page.selectFirst("#home-decided").text()).contains("rejected").contains("applied");
    }

    @Test
    @Order(4)
    void auditorsSeeTheLatestReportWhetherAttestedTheChainAndWhatHappenedSince() {
        long report = jdbc.sql("""
                        INSERT INTO access_reports (scope, trigger, requested_by, generated_at, content, content_sha256)
                        VALUES ('all', 'SCHEDULED', 'system:reports', now() - interval '1 day', '{}', repeat('a', 64))
                        RETURNING id""").query(Long.class).single();
        jdbc.sql("""
                INSERT INTO audit_chain_verifications (verified_at, rows_checked, first_broken_sequence, problem, replica)
                VALUES (now(), 42, NULL, NULL, 'test')""").update();
        insertBreakGlass("now()");
        insertBreakGlass("now() - interval '3 days'"); // before the report: not counted
        jdbc.sql("""
                INSERT INTO drift_events (cluster, before_hash, after_hash, before_data, after_data, diff)
                VALUES (:c, 'a', 'b', '{}', '{}', '-x\n+y')""").param("c", CLUSTER).update();

        Document page = home("auditor");
        assertThat(page.selectFirst("#home-latest-report a").attr("href")).isEqualTo("/reports/" + report);
        assertThat(page.selectFirst("#home-latest-report").text()).contains("not attested yet");
        assertThat(page.selectFirst("#home-chain").text()).contains("intact, 42 rows checked");
        assertThat(page.selectFirst("#home-since").text()).contains("one break-glass use").contains("one drift detected");

        jdbc.sql("""
                INSERT INTO report_attestations (report_id, attested_by, attested_by_name, attested_at, comment)
                VALUES (:r, 'auditor', 'Audrey Auditor', now(), 'ok')""").param("r", report).update();
        jdbc.sql("""
                INSERT INTO audit_chain_verifications (verified_at, rows_checked, first_broken_sequence, problem, replica)
                VALUES (now() + interval '1 second', 43, 17, 'hash mismatch', 'test')""").update();
        Document after = signedIn("auditor").get(base() + "/?section=audit", Map.of("HX-Request", "true")).html();
        assertThat(after.selectFirst("#home-latest-report").text()).contains("attested").doesNotContain("not attested");
        assertThat(after.selectFirst("#home-chain").text()).contains("BROKEN at row 17");
    }

    @Test
    @Order(5)
    void adminsSeeClustersThatNeedAttentionFailedAppliesAndGrantsThatCouldNotBeRevoked() {
        clusters.insertManual("gone", "https://127.0.0.1:1", "nowhere", "/nonexistent/kubeconfig");
        caches.onRegistryChanged();
        long failed = insertRequest("FAILED", "NULL", "NULL", "conflict: aws-auth changed 3 times");
        long unrevoked = insertRequest("APPLIED", "now() - interval '1 hour'", "'could not revoke yet: refused'", null);
        insertRequest("APPLIED", "now() + interval '1 hour'", "NULL", null); // still running: no problem

        Document page = home("admin");
        Element gone = page.selectFirst("#home-attention-gone");
        assertThat(gone).as(page.select("#home-clusters").outerHtml()).isNotNull();
        assertThat(gone.selectFirst("a").attr("href")).isEqualTo("/clusters/gone");
        assertThat(gone.selectFirst(".badge").text()).isNotEqualTo("live");
        assertThat(gone.selectFirst(".reason").text()).isNotBlank();
        Element home = page.selectFirst("#home-attention-" + CLUSTER);
        assertThat(home.text()).as("the open drift of the auditor test").contains("one open drift");
        assertThat(home.select("a[href=/clusters/" + CLUSTER + "#drift]")).hasSize(1);
        assertThat(page.selectFirst("#home-failed-" + failed).text()).contains("conflict: aws-auth changed 3 times");
        assertThat(page.selectFirst("#home-failed-" + failed + " a").attr("href")).isEqualTo("/requests/" + failed);
        assertThat(page.selectFirst("#home-unrevoked-" + unrevoked).text()).contains("could not revoke yet: refused");
        assertThat(page.select("#home-unrevoked li")).hasSize(1);
    }

    // ---- cost -----------------------------------------------------------------------------------------

    @Test
    @Order(6)
    void eachSectionCostsTheSameNumberOfStatementsWhateverItsRows() {
        Map<String, WebSession> people = new LinkedHashMap<>();
        people.put("reviews", signedIn("approver"));
        people.put("requests", signedIn("requester"));
        people.put("audit", signedIn("auditor"));
        people.put("clusters", signedIn("admin"));
        Map<String, Integer> before = new LinkedHashMap<>();
        people.forEach((section, who) -> before.put(section, statements(who, section)));
        before.put("page", statementsOfPage(people.get("reviews")));

        WebSession requester = signedIn("requester");
        for (int i = 0; i < 4; i++) {
            fileViaPage(requester, "more " + i);
            insertRequest("FAILED", "NULL", "NULL", "failed " + i);
            insertRequest("APPLIED", "now() - interval '1 hour'", "'could not revoke yet " + i + "'", null);
            insertBreakGlass("now()");
        }
        jdbc.sql("""
                INSERT INTO approval_policies (cluster, approvals_needed, approver_roles, approver_groups,
                                               max_grant_hours, allow_masters, request_ttl_hours, auto_apply,
                                               updated_at, updated_by)
                VALUES (:c, 1, ARRAY['APPROVER'], ARRAY[]::text[], 2160, false, 72, true, now(), 'test')""")
                .param("c", CLUSTER).update();
        assertThat(signedIn("approver").get(base() + "/").html().select("#home-reviews tbody tr")).hasSizeGreaterThanOrEqualTo(4);

        people.forEach((section, who) -> assertThat(statements(who, section)).as(section).isEqualTo(before.get(section))
                .isPositive());
        assertThat(statementsOfPage(people.get("reviews"))).as("whole page").isEqualTo(before.get("page"));
    }

    @Test
    @Order(7)
    void anApproverOnlyThroughAPolicyGroupSeesTheReviewsWaitingWithTheEmptyStateAndTheExpiryWarning() {
        // Rita holds no approver role; the policy lets her OIDC group (developers) approve.
        jdbc.sql("""
                INSERT INTO approval_policies (cluster, approvals_needed, approver_roles, approver_groups,
                                               max_grant_hours, allow_masters, request_ttl_hours, auto_apply,
                                               updated_at, updated_by)
                VALUES (:c, 1, ARRAY[]::text[], ARRAY['developers'], 2160, false, 72, true, now(), 'test')
                ON CONFLICT (cluster) DO UPDATE SET approver_roles = EXCLUDED.approver_roles,
                                                    approver_groups = EXCLUDED.approver_groups""")
                .param("c", CLUSTER).update();
        jdbc.sql("UPDATE access_requests SET state = 'EXPIRED', resolved_at = now() WHERE state = 'PENDING'"
                + " AND requester_subject <> 'requester'").update();

        // Only her own requests are pending: the section is there, empty, saying what comes.
        WebSession rita = signedIn("requester");
        Document empty = rita.get(base() + "/").html();
        assertThat(empty.selectFirst("#home-reviews")).as("a group approver sees the review section").isNotNull();
        assertThat(empty.select("#home-reviews .empty").text()).contains("Nothing waits for you");
        assertThat(empty.selectFirst("#home-reviews-expiring")).isNull();

        long later = insertPending("now() - interval '3 hours'", "now() + interval '3 days'");
        long soon = insertPending("now() - interval '2 hours'", "now() + interval '2 hours'");
        Document page = rita.get(base() + "/").html();
        assertThat(page.selectFirst("#home-reviews-count").text()).contains("2 requests wait");
        assertThat(page.select("#home-reviews tbody tr").eachAttr("id"))
                .containsExactly("home-review-" + later, "home-review-" + soon);
        assertThat(page.selectFirst("#home-review-" + soon + " a[href=/requests/" + soon + "]")).isNotNull();
        assertThat(page.selectFirst("#home-review-" + soon + " .expiring")).isNotNull();
        assertThat(page.selectFirst("#home-review-" + later + " .expiring")).isNull();
        assertThat(page.selectFirst("#home-reviews-expiring").text()).contains("One request expires within a day");
        assertThat(page.selectFirst("#home-open")).as("her requester section is still there").isNotNull();

        // Her refresh is the section; the request page opens for her; not for someone outside the group.
        WebSession.Page fragment = rita.get(base() + "/?section=reviews", Map.of("HX-Request", "true"));
        assertThat(fragment.status()).isEqualTo(200);
        assertThat(fragment.html().select("#home-reviews tbody tr")).hasSize(2);
        assertThat(rita.get(base() + "/requests/" + soon).status()).isEqualTo(200);
        WebSession auditor = signedIn("auditor");
        assertThat(auditor.get(base() + "/").html().selectFirst("#home-reviews")).isNull();
        assertThat(auditor.get(base() + "/?section=reviews", Map.of("HX-Request", "true")).status()).isEqualTo(403);

        // The same statements as an approver by role: the policies once, the queue once, whatever its rows.
        int two = statements(rita, "reviews");
        insertPending("now() - interval '1 hour'", "now() + interval '3 days'");
        insertPending("now() - interval '1 hour'", "now() + interval '3 days'");
        assertThat(statements(rita, "reviews")).isEqualTo(two).isPositive();
    }

    int statements(WebSession who, String section) {
        who.get(base() + "/?section=" + section, Map.of("HX-Request", "true")); // warm (e.g. findings memo)
        StatementCounting.STATEMENTS.set(0);
        WebSession.Page page = who.get(base() + "/?section=" + section, Map.of("HX-Request", "true"));
        assertThat(page.status()).isEqualTo(200);
        return StatementCounting.STATEMENTS.get();
    }

    int statementsOfPage(WebSession who) {
        StatementCounting.STATEMENTS.set(0);
        assertThat(who.get(base() + "/").status()).isEqualTo(200);
        return StatementCounting.STATEMENTS.get();
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    void awaitLive() {
        io.eksaccess.console.testsupport.Eventually.await("the cluster cache", java.time.Duration.ofSeconds(60),
                () -> caches.cache(CLUSTER).map(c -> c.status().state()).orElse(null),
                s -> s == io.eksaccess.console.cluster.cache.SyncState.LIVE);
    }

    void insertBreakGlass(String createdAt) {
        jdbc.sql("""
                INSERT INTO access_requests (cluster, requester_subject, requester_name, change, justification, state,
                                             break_glass, expires_at, created_at)
                VALUES (:c, 'admin-x', 'Ada', '{"kind":"UNMAP_ROLE","arn":"arn:aws:iam::111122223333:role/x"}',
                        'outage', 'APPLIED', TRUE, now(), %s)""".formatted(createdAt))
                .param("c", CLUSTER).update();
    }

    long insertPending(String createdAt, String expiresAt) {
        return jdbc.sql("""
                        INSERT INTO access_requests (cluster, requester_subject, requester_name, change, justification,
                                                     state, expires_at, created_at)
                        VALUES (:c, 'someone', 'Sam', '{"kind":"UNMAP_ROLE","arn":"arn:aws:iam::111122223333:role/z"}',
                                'why', 'PENDING', %s, %s) RETURNING id""".formatted(expiresAt, createdAt))
                .param("c", CLUSTER).query(Long.class).single();
    }

    long insertRequest(String state, String grantEndsAt, String revokeMessage, String outcome) {
        return jdbc.sql("""
                        INSERT INTO access_requests (cluster, requester_subject, requester_name, change, justification,
                                                     state, expires_at, resolved_at, applied_at, grant_ends_at,
                                                     revoke_message, outcome_message)
                        VALUES (:c, 'someone', 'Sam', '{"kind":"UNMAP_ROLE","arn":"arn:aws:iam::111122223333:role/y"}',
                                'why', :state, now(), now(), now(), %s, %s, :outcome) RETURNING id"""
                        .formatted(grantEndsAt, revokeMessage))
                .param("c", CLUSTER).param("state", state).param("outcome", outcome).query(Long.class).single();
    }

    String state(long id) {
        return jdbc.sql("SELECT state FROM access_requests WHERE id = :id").param("id", id).query(String.class).single();
    }

    Document home(String who) {
        return signedIn(who).get(base() + "/").html();
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
