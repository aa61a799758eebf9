package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.identity.ConsoleRole;
import io.eksaccess.console.request.AccessRequests;
import io.eksaccess.console.request.ApprovalPolicies;
import io.eksaccess.console.request.ApprovalPolicy;
import io.eksaccess.console.request.Person;
import io.eksaccess.console.request.Review;
import io.eksaccess.console.testsupport.BearerTokens;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every endpoint against the roles that may use it, walked over HTTP as the demo issuer's four people
 * (and their bearer tokens on the API): a person without one of the roles gets 403, one with it gets
 * past security. The table is the spec: a new mapping missing from it fails the first test, so nobody
 * adds an endpoint without deciding who may call it. Also: every state change needs the CSRF token,
 * GETs write nothing to the audit, and every answer carries the security headers.
 * Then the finer rules the services enforce: others' requests, cancel, self-review, break-glass.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@RunsAlongside(seconds = 12)
@ResourceLock(KubeApiServer.ALONGSIDE_LOCK)
class EndpointAuthorizationTest {

    static final String CLUSTER = "authz";
    static final JsonMapper JSON = JsonMapper.builder().build();

    static final Set<ConsoleRole> ANY = EnumSet.allOf(ConsoleRole.class);
    static final Set<ConsoleRole> ADMIN = EnumSet.of(ConsoleRole.ADMIN);
    static final Set<ConsoleRole> AUDITOR = EnumSet.of(ConsoleRole.AUDITOR);
    static final Set<ConsoleRole> ADMIN_AUDITOR = EnumSet.of(ConsoleRole.ADMIN, ConsoleRole.AUDITOR);
    /** Reachable without signing in. */
    static final Set<ConsoleRole> PUBLIC = EnumSet.noneOf(ConsoleRole.class);

    /** Who may call what. Path variables are filled with things that do not exist. */
    static final Map<String, Set<ConsoleRole>> TABLE = new LinkedHashMap<>();

    static {
        TABLE.put("GET /login", PUBLIC);
        // Spring Boot's error page (forwarded to after a failure; it renders no data of its own).
        TABLE.put("ANY /error", PUBLIC);
        TABLE.put("GET /demo-idp/login", PUBLIC);
        TABLE.put("GET /api/v1/openapi.yaml", PUBLIC);
        TABLE.put("GET /", ANY);
        TABLE.put("GET /api/v1/me", ANY);
        // Requests: everyone files and sees their own. Reviewing and applying reach the service for every
        // signed-in person: the cluster's approval policy decides who may (any role or an OIDC group).
        TABLE.put("GET /requests", ANY);
        TABLE.put("GET /requests/new", ANY);
        TABLE.put("POST /requests/new", ANY);
        TABLE.put("GET /requests/{id}", ANY);
        TABLE.put("POST /requests/{id}/reviews", ANY);
        TABLE.put("POST /requests/{id}/cancel", ANY);
        TABLE.put("POST /requests/{id}/apply", ANY);
        TABLE.put("POST /requests/{id}/undo", ANY);
        TABLE.put("POST /api/v1/requests", ANY);
        TABLE.put("GET /api/v1/requests/{id}", ANY);
        TABLE.put("POST /api/v1/requests/{id}/reviews", ANY);
        TABLE.put("POST /api/v1/requests/{id}/cancel", ANY);
        TABLE.put("POST /api/v1/requests/{id}/undo", ANY);
        // Administration.
        TABLE.put("GET /admin", ADMIN);
        TABLE.put("GET /admin/policies", ADMIN);
        TABLE.put("GET /admin/policies/{cluster}", ADMIN);
        TABLE.put("POST /admin/policies/{cluster}", ADMIN);
        TABLE.put("GET /admin/break-glass", ADMIN);
        TABLE.put("POST /admin/break-glass", ADMIN);
        TABLE.put("GET /admin/clusters", ADMIN);
        TABLE.put("POST /admin/clusters", ADMIN);
        TABLE.put("POST /admin/clusters/{name}/rename", ADMIN);
        TABLE.put("POST /admin/clusters/{name}/enabled", ADMIN);
        TABLE.put("GET /admin/clusters/{name}/remove", ADMIN);
        TABLE.put("POST /admin/clusters/{name}/remove", ADMIN);
        TABLE.put("GET /admin/notifications", ADMIN);
        TABLE.put("POST /admin/notifications", ADMIN);
        TABLE.put("GET /admin/notifications/{id}", ADMIN);
        TABLE.put("POST /admin/notifications/{id}", ADMIN);
        TABLE.put("POST /admin/notifications/{id}/test", ADMIN);
        TABLE.put("GET /admin/notifications/{id}/remove", ADMIN);
        TABLE.put("POST /admin/notifications/{id}/remove", ADMIN);
        TABLE.put("GET /admin/notifications/deliveries", ADMIN);
        // Audit and reports: admins and auditors read; only auditors attest.
        TABLE.put("GET /audit", ADMIN_AUDITOR);
        TABLE.put("POST /audit/verify", ADMIN_AUDITOR);
        TABLE.put("GET /reports", ADMIN_AUDITOR);
        TABLE.put("POST /reports", ADMIN_AUDITOR);
        TABLE.put("GET /reports/jobs/{id}", ADMIN_AUDITOR);
        TABLE.put("GET /reports/{id}", ADMIN_AUDITOR);
        TABLE.put("GET /reports/{id}/report.json", ADMIN_AUDITOR);
        TABLE.put("GET /reports/{id}/report.csv", ADMIN_AUDITOR);
        TABLE.put("POST /reports/{id}/attestations", AUDITOR);
        // Clusters: everyone reads; only admins change anything.
        TABLE.put("GET /clusters", ANY);
        TABLE.put("GET /clusters/{name}", ANY);
        TABLE.put("GET /clusters/{name}/mappings", ANY);
        TABLE.put("GET /clusters/{name}/access-entries", ANY);
        // Queues a read-only sync from EKS (one at a time per cluster); anyone who may read the tab may.
        TABLE.put("POST /clusters/{name}/access-entries/refresh", ANY);
        // The migration plan lays out every principal's access: admins only.
        TABLE.put("GET /clusters/{name}/migrate-to-access-entries", ADMIN);
        TABLE.put("POST /clusters/{name}/migrate-to-access-entries/steps/{step}", ADMIN);
        TABLE.put("POST /clusters/{name}/migrate-to-access-entries/recompute", ADMIN);
        TABLE.put("GET /clusters/{name}/findings", ANY);
        TABLE.put("POST /clusters/{name}/findings/acknowledgements", ADMIN);
        TABLE.put("POST /clusters/{name}/drift/{id}/adopt", ADMIN);
        TABLE.put("GET /clusters/{name}/rbac", ANY);
        TABLE.put("GET /clusters/{name}/who-can", ANY);
        TABLE.put("GET /clusters/{name}/subject", ANY);
        TABLE.put("GET /clusters/{name}/access-for", ANY);
        TABLE.put("GET /api/v1/clusters/{cluster}/who-can", ANY);
        TABLE.put("GET /api/v1/clusters/{cluster}/can-i", ANY);
        TABLE.put("GET /api/v1/clusters/{cluster}/rules-for", ANY);
        TABLE.put("GET /api/v1/clusters/{cluster}/access-for", ANY);
        TABLE.put("GET /api/v1/clusters/{cluster}/access-entries", ANY);
        // The API's own problem+json 404 for unknown paths (any method).
        TABLE.put("ANY /api/**", ANY);
    }

    /** The demo people and the roles the default role settings give them (everyone is a requester). */
    static final Map<String, Set<ConsoleRole>> PEOPLE = Map.of(
            "admin", EnumSet.of(ConsoleRole.ADMIN, ConsoleRole.REQUESTER),
            "approver", EnumSet.of(ConsoleRole.APPROVER, ConsoleRole.REQUESTER),
            "auditor", EnumSet.of(ConsoleRole.AUDITOR, ConsoleRole.REQUESTER),
            "requester", EnumSet.of(ConsoleRole.REQUESTER));

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.kubeconfig", Once.of(() -> kubeconfig().toString()));
        // Every anonymous POST here is recorded one by one (no summary row lands while a test counts the history).
        registry.add("console.audit.anonymous-denials-per-source", Once.of(() -> "100000"));
        registry.add("console.audit.anonymous-denials-in-all", Once.of(() -> "100000"));
    }

    /** The shared API server, read only here: nothing in this class gets approved or applied. */
    static Path kubeconfig() {
        return KubeApiServer.alongside().kubeconfigFor(CLUSTER);
    }

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlerMapping;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AccessRequests requests;

    @Autowired
    ApprovalPolicies policies;

    private String console() {
        return "http://localhost:" + port;
    }

    // ---- the table covers every endpoint -----------------------------------------------------------

    @Test
    void everyMappedEndpointIsInTheTableAndEveryRowIsMapped() {
        Set<String> mapped = new TreeSet<>();
        for (RequestMappingInfo info : handlerMapping.getHandlerMethods().keySet()) {
            Set<String> methods = new TreeSet<>();
            info.getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
            if (methods.isEmpty()) {
                methods.add("ANY");
            }
            for (String pattern : info.getPatternValues()) {
                methods.forEach(m -> mapped.add(m + " " + pattern));
            }
        }
        assertThat(mapped).as("endpoints without a row in EndpointAuthorizationTest.TABLE (decide who may call"
                + " them, add a rule to ConsoleAccessRules if needed, then a row)")
                .isSubsetOf(TABLE.keySet());
        assertThat(TABLE.keySet()).as("rows for endpoints that no longer exist").isSubsetOf(mapped);
    }

    // ---- who may call what ---------------------------------------------------------------------------

    @Test
    void eachPersonGetsPastSecurityExactlyWhereTheTableSays() {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Set<ConsoleRole>> person : PEOPLE.entrySet()) {
            WebSession session = new WebSession();
            String csrf = SignIn.viaDemoIssuer(session, console(), person.getKey()).csrfToken();
            for (Map.Entry<String, Set<ConsoleRole>> row : TABLE.entrySet()) {
                if (row.getValue() == PUBLIC || row.getKey().startsWith("ANY ")) {
                    continue;
                }
                boolean allowed = row.getValue().stream().anyMatch(person.getValue()::contains);
                WebSession.Page page = call(session, row.getKey(), csrf, Map.of());
                check(wrong, person.getKey() + " (session)", row.getKey(), allowed, page);
            }
        }
        assertThat(wrong).as("endpoints whose authorization differs from the table").isEmpty();
    }

    @Test
    void bearerTokensGetTheSameAnswersOnTheApiWithoutCsrf() {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Set<ConsoleRole>> person : PEOPLE.entrySet()) {
            String token = BearerTokens.fromDemoIssuer(console(), person.getKey()).accessToken();
            for (Map.Entry<String, Set<ConsoleRole>> row : TABLE.entrySet()) {
                if (!row.getKey().contains(" /api/") || row.getValue() == PUBLIC || row.getKey().startsWith("ANY ")) {
                    continue;
                }
                boolean allowed = row.getValue().stream().anyMatch(person.getValue()::contains);
                WebSession.Page page = call(new WebSession(), row.getKey(), null,
                        Map.of("Authorization", "Bearer " + token));
                check(wrong, person.getKey() + " (bearer)", row.getKey(), allowed, page);
            }
        }
        assertThat(wrong).as("API endpoints whose authorization differs from the table").isEmpty();
    }

    @Test
    void withoutSigningInNothingButThePublicRowsAnswers() {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Set<ConsoleRole>> row : TABLE.entrySet()) {
            if (row.getKey().startsWith("ANY ")) {
                continue;
            }
            WebSession.Page page = call(new WebSession(), row.getKey(), null, Map.of());
            boolean stopped = page.status() == 401 || page.status() == 403
                    || (page.isRedirect() && page.location().getPath().equals("/login"));
            if (stopped == (row.getValue() == PUBLIC)) {
                wrong.add(row.getKey() + " anonymous → " + page.status() + " " + page.header("Location"));
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyStateChangeWithoutTheCsrfTokenIsRefusedEvenForTheRightRole() {
        List<String> wrong = new ArrayList<>();
        for (String person : List.of("admin", "approver", "auditor")) {
            WebSession session = new WebSession();
            SignIn.viaDemoIssuer(session, console(), person);
            for (Map.Entry<String, Set<ConsoleRole>> row : TABLE.entrySet()) {
                if (!row.getKey().startsWith("POST ")
                        || row.getValue().stream().noneMatch(PEOPLE.get(person)::contains)) {
                    continue;
                }
                WebSession.Page page = call(session, row.getKey(), null, Map.of("HX-Request", "true"));
                if (page.status() != 403) {
                    wrong.add(person + " " + row.getKey() + " without CSRF → " + page.status());
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void getsChangeNothingAndEveryAnswerCarriesTheSecurityHeaders() {
        WebSession admin = new WebSession();
        String csrf = SignIn.viaDemoIssuer(admin, console(), "admin").csrfToken();
        long auditBefore = auditEvents();
        long requestsBefore = jdbc.sql("SELECT count(*) FROM access_requests").query(Long.class).single();
        List<String> wrong = new ArrayList<>();
        for (String endpoint : TABLE.keySet()) {
            if (!endpoint.startsWith("GET ")) {
                continue;
            }
            WebSession.Page page = call(admin, endpoint, csrf, Map.of());
            String csp = page.header("Content-Security-Policy");
            if (csp == null || csp.contains("unsafe-inline") || !csp.contains("frame-ancestors 'none'")) {
                wrong.add(endpoint + " CSP " + csp);
            }
            if (!"nosniff".equals(page.header("X-Content-Type-Options"))) {
                wrong.add(endpoint + " X-Content-Type-Options " + page.header("X-Content-Type-Options"));
            }
            if (page.body().contains("at io.eksaccess") || page.body().contains("Exception:")) {
                wrong.add(endpoint + " leaks a stack trace");
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(auditEvents()).as("a GET wrote to the audit").isEqualTo(auditBefore);
        assertThat(jdbc.sql("SELECT count(*) FROM access_requests").query(Long.class).single())
                .isEqualTo(requestsBefore);
    }

    // ---- the finer rules the services enforce ----------------------------------------------------------

    @Test
    void aRequesterSeesAndCancelsOnlyTheirOwnRequestsOnPagesAndApi() {
        WebSession auditorAsFiler = signedIn("auditor");
        long others = fileViaApi(auditorAsFiler, "someone-else");
        WebSession requester = signedIn("requester");
        String csrf = requester.get(console() + "/requests").csrfToken();

        // Someone else's request is "not found", like a missing one, so ids cannot be enumerated.
        assertThat(requester.get(console() + "/requests/" + others).status()).isEqualTo(404);
        assertThat(requester.getJson(console() + "/api/v1/requests/" + others).status()).isEqualTo(404);
        assertThat(requester.get(console() + "/requests?tab=ALL").body()).doesNotContain("someone-else");
        String token = BearerTokens.fromDemoIssuer(console(), "requester").accessToken();
        assertThat(new WebSession().get(console() + "/api/v1/requests/" + others,
                Map.of("Authorization", "Bearer " + token, "Accept", "application/json")).status()).isEqualTo(404);

        requester.post(console() + "/requests/" + others + "/cancel", Map.of("_csrf", csrf));
        assertThat(requester.postJson(console() + "/api/v1/requests/" + others + "/cancel", "{}",
                Map.of("X-CSRF-TOKEN", csrf)).status()).isEqualTo(404);
        assertThat(state(others)).isEqualTo("PENDING");

        // Approvers, auditors and admins see all requests.
        for (String person : List.of("approver", "admin")) {
            assertThat(signedIn(person).get(console() + "/requests/" + others).status()).isEqualTo(200);
        }
    }

    @Test
    void aPolicyNamingAGroupLetsItsMembersSeeRequestsWithABearerTokenAsInTheBrowser() {
        long others = fileViaApi(signedIn("auditor"), "group-reviewed");
        Person admin = new Person("admin", "Ada Admin", EnumSet.of(ConsoleRole.ADMIN), List.of(), "127.0.0.1");
        policies.save(new ApprovalPolicy(CLUSTER, 1, EnumSet.of(ConsoleRole.APPROVER), List.of("developers"), 2160,
                false, 72, true), admin);
        try {
            Map<String, String> bearer = Map.of("Authorization", "Bearer "
                    + BearerTokens.fromDemoIssuer(console(), "requester").accessToken(), "Accept", "application/json");
            WebSession.Page api = new WebSession().get(console() + "/api/v1/requests/" + others, bearer);
            assertThat(api.status()).as(api.body()).isEqualTo(200);
            assertThat(signedIn("requester").get(console() + "/requests/" + others).status()).isEqualTo(200);
        } finally {
            policies.save(ApprovalPolicy.defaults(CLUSTER), admin);
        }
    }

    @Test
    void selfReviewIsRefusedOnPagesAndApiEvenForAnApproverWhoIsAlsoAdmin() {
        WebSession approver = signedIn("approver");
        String csrf = approver.get(console() + "/requests").csrfToken();
        long own = fileViaApi(approver, "self");
        approver.post(console() + "/requests/" + own + "/reviews",
                Map.of("decision", "APPROVE", "comment", "mine", "_csrf", csrf));
        WebSession.Page api = approver.postJson(console() + "/api/v1/requests/" + own + "/reviews",
                "{\"decision\":\"APPROVE\",\"comment\":\"mine\"}", Map.of("X-CSRF-TOKEN", csrf));
        assertThat(api.status()).as(api.body()).isEqualTo(403);
        String token = BearerTokens.fromDemoIssuer(console(), "approver").accessToken();
        WebSession.Page bearer = new WebSession().postJson(console() + "/api/v1/requests/" + own + "/reviews",
                "{\"decision\":\"APPROVE\",\"comment\":\"mine\"}", Map.of("Authorization", "Bearer " + token));
        assertThat(bearer.status()).as(bearer.body()).isEqualTo(403);
        assertThat(JSON.readTree(bearer.body()).path("detail").asString()).contains("your own request");
        // The demo's admin is no approver, so the same person holding both roles is checked at the service itself.
        Person adminApprover = new Person("approver", "Abe Approver",
                EnumSet.of(ConsoleRole.ADMIN, ConsoleRole.APPROVER, ConsoleRole.REQUESTER), List.of(), "127.0.0.1");
        assertThatThrownBy(() -> requests.review(own, adminApprover, Review.Decision.APPROVE, "admin says yes"))
                .isInstanceOf(ConsoleException.class).hasMessageContaining("your own request");
        assertThatThrownBy(() -> requests.startApply(own, adminApprover))
                .isInstanceOf(ConsoleException.class).hasMessageContaining("only an approved or failed request");
        assertThat(state(own)).isEqualTo("PENDING");
        assertThat(jdbc.sql("SELECT count(*) FROM request_reviews WHERE request_id = :id").param("id", own)
                .query(Long.class).single()).isZero();
    }

    @Test
    void malformedApiBodiesAre400ProblemJsonAndStoreNothing() {
        WebSession requester = signedIn("requester");
        String csrf = requester.get(console() + "/requests").csrfToken();
        long before = jdbc.sql("SELECT count(*) FROM access_requests").query(Long.class).single();
        List<String> bodies = List.of("{not json", "[]", "null", "{\"cluster\":5}",
                "{\"cluster\":\"" + CLUSTER + "\",\"change\":{\"kind\":\"MAP_ROLE\",\"arn\":\"arn:aws:iam::1:role/x\","
                        + "\"username\":\"u\",\"groups\":[\"g\"]},\"justification\":\"j\"}",
                "{\"cluster\":\"" + CLUSTER + "\",\"change\":{\"kind\":\"MAP_ROLE\",\"arn\":\"" + arn("ok")
                        + "\",\"username\":\"u\",\"groups\":[\"g\"]},\"justification\":\"j\",\"durationHours\":\"x\"}",
                "{\"cluster\":\"" + CLUSTER + "\",\"change\":{\"kind\":\"MAP_ROLE\",\"arn\":\"" + arn("ok")
                        + "\",\"username\":\"u\",\"groups\":[\"g\"]},\"justification\":\"j\",\"durationHours\":-5}",
                "{\"cluster\":\"" + CLUSTER + "\",\"change\":{\"kind\":\"MAP_ROLE\",\"arn\":\"" + arn("ok")
                        + "\",\"username\":\"u\",\"groups\":[\"bad group\\n<script>\"]},\"justification\":\"j\"}",
                "{\"cluster\":\"" + CLUSTER + "\",\"change\":{\"kind\":\"MAP_ROLE\",\"arn\":\"" + arn("ok")
                        + "\",\"username\":\"<img src=x onerror=alert(1)>\",\"groups\":[\"g\"]},\"justification\":\"j\"}",
                "{\"cluster\":\"" + CLUSTER + "\",\"change\":{\"kind\":\"MAP_USER\",\"arn\":\"" + arn("a-role")
                        + "\",\"username\":\"u\",\"groups\":[\"g\"]},\"justification\":\"j\"}",
                "{\"cluster\":\"" + CLUSTER + "\",\"change\":{\"kind\":\"MAP_ROLE\",\"arn\":\"arn:aws:iam::111122223333:role/x y\","
                        + "\"username\":\"u\",\"groups\":[\"g\"]},\"justification\":\"j\"}");
        List<String> wrong = new ArrayList<>();
        for (String body : bodies) {
            WebSession.Page page = requester.postJson(console() + "/api/v1/requests", body, Map.of("X-CSRF-TOKEN", csrf));
            if (page.status() != 400 || !String.valueOf(page.header("Content-Type")).startsWith("application/problem+json")) {
                wrong.add(body + " → " + page.status() + " " + page.body());
            }
        }
        WebSession.Page review = signedIn("approver").postJson(console() + "/api/v1/requests/1/reviews", "{oops",
                Map.of("X-CSRF-TOKEN", csrf));
        assertThat(wrong).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM access_requests").query(Long.class).single()).isEqualTo(before);
        assertThat(review.status()).isIn(400, 403);
    }

    @Test
    void breakGlassIsRefusedToEveryoneButAdminsAndStoresNothing() {
        long before = jdbc.sql("SELECT count(*) FROM access_requests").query(Long.class).single();
        for (String person : List.of("approver", "auditor", "requester")) {
            WebSession session = signedIn(person);
            String csrf = session.get(console() + "/requests").csrfToken();
            WebSession.Page page = session.post(console() + "/admin/break-glass", Map.of("cluster", CLUSTER,
                    "kind", "MAP_ROLE", "arn", arn("bg"), "username", "bg", "groups", "system:masters",
                    "reason", "fire", "_csrf", csrf));
            assertThat(page.status()).as(person).isEqualTo(403);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM access_requests").query(Long.class).single()).isEqualTo(before);
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private WebSession.Page call(WebSession session, String row, String csrf, Map<String, String> extraHeaders) {
        String method = row.substring(0, row.indexOf(' '));
        String url = console() + row.substring(row.indexOf(' ') + 1)
                .replace("{id}", "987654")
                .replace("{cluster}", "no-such-cluster")
                .replace("{name}", "no-such-cluster")
                .replace("{step}", "1");
        boolean api = url.contains("/api/");
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        if (method.equals("GET")) {
            if (api) {
                headers.putIfAbsent("Accept", "application/json");
            }
            return session.get(url, headers);
        }
        if (api) {
            if (csrf != null) {
                headers.put("X-CSRF-TOKEN", csrf);
            }
            return session.postJson(url, "{}", headers);
        }
        Map<String, String> form = csrf == null ? Map.of() : Map.of("_csrf", csrf);
        return session.post(url, form, headers);
    }

    private static void check(List<String> wrong, String who, String row, boolean allowed, WebSession.Page page) {
        boolean refused = page.status() == 403 || page.status() == 401;
        if (allowed == refused) {
            wrong.add(who + " " + row + " → " + page.status() + " (expected " + (allowed ? "allowed" : "403") + ")");
        }
        if (refused && page.status() != 403) {
            wrong.add(who + " " + row + " → " + page.status() + " (a signed-in person is refused with 403)");
        }
    }

    private WebSession signedIn(String person) {
        WebSession session = new WebSession();
        SignIn.viaDemoIssuer(session, console(), person);
        return session;
    }

    private long fileViaApi(WebSession session, String name) {
        String csrf = session.get(console() + "/requests").csrfToken();
        WebSession.Page filed = session.postJson(console() + "/api/v1/requests", """
                {"cluster":"%s","change":{"kind":"MAP_ROLE","arn":"%s","username":"%s","groups":["readers"]},
                 "justification":"%s","durationHours":4}""".formatted(CLUSTER, arn(name), name, name),
                Map.of("X-CSRF-TOKEN", csrf));
        assertThat(filed.status()).as(filed.body()).isEqualTo(201);
        return JSON.readTree(filed.body()).path("id").asLong();
    }

    private static String arn(String name) {
        return "arn:aws:iam::111122223333:role/" + name;
    }

    private String state(long id) {
        return jdbc.sql("SELECT state FROM access_requests WHERE id = :id").param("id", id).query(String.class).single();
    }

    private long auditEvents() {
        return jdbc.sql("SELECT count(*) FROM audit_events").query(Long.class).single();
    }
}
