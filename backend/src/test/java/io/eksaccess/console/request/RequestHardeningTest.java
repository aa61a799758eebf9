package io.eksaccess.console.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.identity.ConsoleRole;
import io.eksaccess.console.rbac.ClusterRbacIndexes;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue #14 over HTTP, on the shared API server: what people can store is bounded (service and
 * database), request bodies over 64 KiB are 413, reviews follow the cluster's policy whichever role
 * it names, system identities and names aws-auth cannot hold exactly are refused at filing, and
 * every reviewer sees what the principal could do.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@RunsAlongside(seconds = 23)
@ResourceLock(KubeApiServer.ALONGSIDE_LOCK)
class RequestHardeningTest {

    static final String CLUSTER = "hard";
    static final String ACCOUNT = "111122223333";
    static final String ADMIN_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/cluster-admins";
    static final AtomicLong SEQUENCE = new AtomicLong();
    static final ObjectMapper JSON = new ObjectMapper();
    static final int KIB_70 = 70 * 1024;
    static final HttpClient RAW = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static KubeApiServer apiServer;

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.kubeconfig", Once.of(() -> kubeconfig().toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "2s"));
    }

    static synchronized Path kubeconfig() {
        if (apiServer == null) {
            apiServer = RequestTestCluster.seed(KubeApiServer.alongside(), ADMIN_ROLE);
        }
        return apiServer.kubeconfigFor(CLUSTER);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApprovalPolicies policies;

    @Autowired
    ClusterCaches caches;

    @Autowired
    ClusterRbacIndexes indexes;

    // ---- 1. limits on what people can store ----------------------------------------------------------

    @Test
    void overlongTextsAndListsAreRefusedNamingTheFieldAndTheLimitAndTheFormKeepsWhatWasTyped() {
        WebSession requester = signedIn("requester");
        String token = csrf(requester);
        long before = requestCount();
        String tooLong = "x".repeat(RequestLimits.MAX_TEXT + 1);

        WebSession.Page form = requester.get(base() + "/requests/new");
        Document page = requester.submit(form, "#request-form", Map.of("cluster", CLUSTER, "kind", "MAP_ROLE",
                "arn", roleArn("long"), "username", "l:{{SessionName}}", "groups", "readers", "duration", "",
                "justification", tooLong)).html();
        assertThat(page.select(".notice.error").text()).contains("the justification is 4001 characters long")
                .contains("at most 4000");
        assertThat(page.selectFirst("#request-justification").text()).as("the form keeps what was typed")
                .isEqualTo(tooLong);
        assertThat(page.selectFirst("#request-username").val()).isEqualTo("l:{{SessionName}}");

        assertProblem(fileViaApi(requester, token, roleArn("j"), "j:{{SessionName}}", List.of("readers"), tooLong),
                400, "the justification is 4001 characters long; at most 4000");
        List<String> groups = IntStream.rangeClosed(1, 51).mapToObj(i -> "g" + i).toList();
        assertProblem(fileViaApi(requester, token, roleArn("g"), "g:{{SessionName}}", groups, "j"),
                400, "51 groups; at most 50");
        assertProblem(fileViaApi(requester, token, roleArn("g"), "g:{{SessionName}}", List.of("g".repeat(256)), "j"),
                400, "256 characters long; at most 255");
        assertProblem(fileViaApi(requester, token, roleArn("u"), "u".repeat(256), List.of("readers"), "j"),
                400, "the username is 256 characters long; at most 255");
        assertProblem(fileViaApi(requester, token, "arn:aws:iam::" + ACCOUNT + ":role/" + "r".repeat(2100),
                "r:{{SessionName}}", List.of("readers"), "j"), 400, "at most 2048");
        assertThat(requestCount()).as("nothing refused was stored").isEqualTo(before);

        // At the limits exactly, it files.
        WebSession.Page fine = fileViaApi(requester, token, roleArn("edge"), "e".repeat(255),
                IntStream.rangeClosed(1, 50).mapToObj(i -> "g" + i).toList(), "y".repeat(RequestLimits.MAX_TEXT));
        assertThat(fine.status()).as(fine.body()).isEqualTo(201);
        long id = id(fine);

        WebSession approver = signedIn("approver");
        assertProblem(approver.postJson(base() + "/api/v1/requests/" + id + "/reviews",
                "{\"decision\":\"REJECT\",\"comment\":\"" + tooLong + "\"}", Map.of("X-CSRF-TOKEN", csrf(approver))),
                400, "\"comment\" is 4001 characters long");
        WebSession.Page reviewPage = approver.get(base() + "/requests/" + id);
        Document refused = approver.follow(approver.submit(reviewPage, "#review-form",
                Map.of("decision", "REJECT", "comment", tooLong))).html();
        assertThat(refused.select(".notice.error").text()).contains("the comment is 4001 characters long");
        assertThat(refused.selectFirst("#review-comment").text()).as("what was typed comes back").isEqualTo(tooLong);
        // a refusal about one field is shown beside it
        Document noDecision = approver.follow(approver.submit(reviewPage, "#review-form",
                Map.of("comment", "Fine for a day."))).html();
        assertThat(noDecision.select("#review-decision-error").text()).isEqualTo("say whether you approve or reject");
        assertThat(noDecision.selectFirst("#review-comment").text()).isEqualTo("Fine for a day.");
        Document unknownDecision = approver.follow(approver.submit(reviewPage, "#review-form",
                Map.of("decision", "MAYBE", "comment", "Fine for a day."))).html();
        assertThat(unknownDecision.select("#review-decision-error").text()).as("a field error, not a 400")
                .isEqualTo("say whether you approve or reject");
        Document noComment = approver.follow(approver.submit(reviewPage, "#review-form",
                Map.of("decision", "APPROVE", "comment", " "))).html();
        assertThat(noComment.select("#review-comment-error").text()).startsWith("a review needs a comment");
        assertThat(noComment.selectFirst("#review-comment").attr("aria-invalid")).isEqualTo("true");
        assertThat(reviewCount(id)).isZero();

        WebSession admin = signedIn("admin");
        WebSession.Page breakGlass = admin.get(base() + "/admin/break-glass");
        Document noGlass = admin.submit(breakGlass, "#break-glass-form", Map.of("cluster", CLUSTER, "kind",
                "MAP_ROLE", "arn", roleArn("bg"), "username", "bg:{{SessionName}}", "groups", "readers",
                "reason", tooLong)).html();
        assertThat(noGlass.select(".notice.error").text()).contains("the reason is 4001 characters long");
        assertThat(noGlass.selectFirst("#break-glass-reason").text()).isEqualTo(tooLong);
        assertThat(requestCount()).isEqualTo(before + 1);
    }

    @Test
    void theDatabaseRefusesOverlongRowsEvenWhenTheServiceIsBypassed() {
        assertThatThrownBy(() -> jdbc.sql("""
                        INSERT INTO access_requests (cluster, requester_subject, requester_name, change, justification,
                                                     state, expires_at)
                        VALUES ('hard', 's', 'n', '{"kind":"UNMAP_ROLE","arn":"arn:aws:iam::1:role/x"}', :j,
                                'PENDING', now())""")
                .param("j", "j".repeat(4001)).update()).isInstanceOf(DataIntegrityViolationException.class);
        String groups = IntStream.rangeClosed(1, 51).mapToObj(i -> "\"g" + i + "\"").collect(Collectors.joining(","));
        assertThatThrownBy(() -> jdbc.sql("""
                        INSERT INTO access_requests (cluster, requester_subject, requester_name, change, justification,
                                                     state, expires_at)
                        VALUES ('hard', 's', 'n', CAST(:c AS jsonb), 'j', 'PENDING', now())""")
                .param("c", "{\"kind\":\"MAP_ROLE\",\"arn\":\"arn:aws:iam::1:role/x\",\"username\":\"u\",\"groups\":["
                        + groups + "]}").update()).isInstanceOf(DataIntegrityViolationException.class);
        long id = id(fileViaApi(signedIn("requester"), null, roleArn("db"), "db:{{SessionName}}", List.of("readers"),
                "db"));
        assertThatThrownBy(() -> jdbc.sql("""
                        INSERT INTO request_reviews (request_id, reviewer_subject, reviewer_name, decision, comment)
                        VALUES (:id, 'r', 'r', 'APPROVE', :c)""").param("id", id).param("c", "c".repeat(4001)).update())
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.sql("""
                        INSERT INTO approval_policies (cluster, approver_groups) VALUES ('elsewhere', :g)""")
                .param("g", IntStream.rangeClosed(1, 51).mapToObj(i -> "g" + i).toArray(String[]::new)).update())
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(jdbc.sql("""
                        SELECT bool_and(convalidated) FROM pg_constraint
                         WHERE conname IN ('access_requests_bounded', 'request_reviews_comment_bounded',
                                           'approval_policies_lists_bounded')""").query(Boolean.class).single())
                .as("checked against every row").isTrue();
    }

    @Test
    void bodiesOver64KiBAre413ProblemJsonOnTheApiAndTheErrorPageOnPagesWhateverTheirEncoding() throws Exception {
        long before = requestCount();
        String bigJson = "{\"cluster\":\"" + CLUSTER + "\",\"justification\":\"" + "j".repeat(KIB_70) + "\"}";
        String bigForm = "cluster=" + CLUSTER + "&kind=MAP_ROLE&justification=" + "j".repeat(KIB_70);
        // Nobody signed in: the size is refused before anything else is done for the request.
        for (boolean chunked : List.of(false, true)) {
            HttpResponse<String> api = raw("/api/v1/requests", "application/json", bigJson, chunked);
            assertThat(api.statusCode()).as("API, chunked=" + chunked + ": " + api.body()).isEqualTo(413);
            assertThat(api.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(JSON.readTree(api.body()).get("detail").asText()).contains("larger than 64 KiB");

            HttpResponse<String> page = raw("/requests/new", "application/x-www-form-urlencoded", bigForm, chunked);
            assertThat(page.statusCode()).as("form, chunked=" + chunked).isEqualTo(413);
            assertThat(Jsoup.parse(page.body()).select("#error-too-large").text()).contains("64 KiB");

            String boundary = "b0undary";
            String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"justification\"\r\n\r\n"
                    + "j".repeat(KIB_70) + "\r\n--" + boundary + "--\r\n";
            HttpResponse<String> parts = raw("/requests/new", "multipart/form-data; boundary=" + boundary, multipart,
                    chunked);
            assertThat(parts.statusCode()).as("multipart, chunked=" + chunked).isEqualTo(413);
        }
        // Signed in, too; and a small malformed body stays a 400.
        WebSession requester = signedIn("requester");
        String token = csrf(requester);
        WebSession.Page signedInBig = requester.postJson(base() + "/api/v1/requests", bigJson,
                Map.of("X-CSRF-TOKEN", token));
        assertProblem(signedInBig, 413, "larger than 64 KiB");
        assertProblem(requester.postJson(base() + "/api/v1/requests", "{\"cluster\":", Map.of("X-CSRF-TOKEN", token)),
                400, "not the JSON this endpoint takes");
        assertThat(requestCount()).isEqualTo(before);
    }

    // ---- 2. approvals that match the policy ---------------------------------------------------------

    @Test
    void aPolicyNamingAuditorLetsAnAuditorApproveEndToEndAndNobodyElse() {
        WebSession admin = signedIn("admin");
        WebSession.Page policyForm = admin.get(base() + "/admin/policies/" + CLUSTER);
        WebSession.Page saved = admin.submit(policyForm, "#policy-form", Map.of("approvalsNeeded", "1",
                "approverRoles", "AUDITOR", "approverGroups", "", "maxGrantHours", "2160", "requestTtlHours", "72",
                "allowMasters", "false", "autoApply", "true"));
        assertThat(saved.isRedirect()).as(saved.body()).isTrue();
        try {
            String arn = roleArn("audited");
            long id = fileViaPage(signedIn("requester"), arn, "a:{{SessionName}}", "readers", "audit access");

            WebSession approver = signedIn("approver");
            assertThat(approver.get(base() + "/requests/" + id).html().selectFirst("#review-form"))
                    .as("the APPROVER role is not this cluster's approver").isNull();
            assertProblem(approver.postJson(base() + "/api/v1/requests/" + id + "/reviews",
                    "{\"decision\":\"APPROVE\",\"comment\":\"no\"}", Map.of("X-CSRF-TOKEN", csrf(approver))),
                    403, "its policy lets console role AUDITOR approve");
            assertThat(reviewCount(id)).isZero();

            WebSession auditor = signedIn("auditor");
            WebSession.Page page = auditor.get(base() + "/requests/" + id);
            assertThat(page.html().selectFirst("#review-form")).as("the auditor may review").isNotNull();
            Document approved = auditor.follow(auditor.submit(page, "#review-form",
                    Map.of("decision", "APPROVE", "comment", "fine by audit"))).html();
            assertThat(approved.selectFirst("#request-state").attr("data-state")).isEqualTo("APPLIED");
            assertThat(mapRoles()).contains("rolearn: " + arn);
        } finally {
            policies.save(ApprovalPolicy.defaults(CLUSTER), adminPerson());
        }
    }

    @Test
    void thePolicyEditorRefusesPoliciesNobodyCanSatisfyAndSaysWhy() {
        WebSession admin = signedIn("admin");
        Map<String, String> good = Map.of("approvalsNeeded", "1", "approverRoles", "APPROVER", "approverGroups", "",
                "maxGrantHours", "2160", "requestTtlHours", "72", "allowMasters", "false", "autoApply", "true");
        Map<String, String> noApprovers = new LinkedHashMap<>(good);
        noApprovers.remove("approverRoles");
        noApprovers.put("approverGroups", " , ,");
        Map<String, String> zero = new LinkedHashMap<>(good);
        zero.put("approvalsNeeded", "0");
        Map<String, String> tooMany = new LinkedHashMap<>(good);
        tooMany.put("approvalsNeeded", "11");
        Map<String, String> manyGroups = new LinkedHashMap<>(good);
        manyGroups.put("approverGroups", IntStream.rangeClosed(1, 51).mapToObj(i -> "team" + i)
                .collect(Collectors.joining(",")));
        Map<Map<String, String>, String> cases = new LinkedHashMap<>();
        cases.put(noApprovers, "nobody could approve");
        cases.put(zero, "approvals needed must be between 1 and 10");
        cases.put(tooMany, "approvals needed must be between 1 and 10");
        cases.put(manyGroups, "51 approver groups; at most 50");
        long changes = policyChanges();
        for (Map.Entry<Map<String, String>, String> c : cases.entrySet()) {
            // The form is posted as a browser would: an unchecked role box sends nothing.
            Map<String, String> fields = new LinkedHashMap<>(c.getKey());
            fields.put("_csrf", csrf(admin));
            WebSession.Page answer = admin.post(base() + "/admin/policies/" + CLUSTER, fields);
            assertThat(answer.status()).as(c.getValue()).isEqualTo(200);
            assertThat(answer.html().select(".notice.error").text()).contains(c.getValue());
        }
        assertThat(policyChanges()).as("nothing saved").isEqualTo(changes);
        assertThat(policies.of(CLUSTER)).isEqualTo(ApprovalPolicy.defaults(CLUSTER));
    }

    @Test
    void processPolicyFormHasErrorsBesideTheFieldsAndKeepsWhatWasTyped() {
        WebSession admin = signedIn("admin");
        long changes = policyChanges();
        Map<String, String> typed = new LinkedHashMap<>(Map.of("approvalsNeeded", "two", "approverRoles", "AUDITOR",
                "approverGroups", "ops, sre", "maxGrantHours", "24", "requestTtlHours", "48", "allowMasters", "true",
                "autoApply", "true", "_csrf", csrf(admin)));
        WebSession.Page answer = admin.post(base() + "/admin/policies/" + CLUSTER, typed);
        assertThat(answer.status()).isEqualTo(200);
        Document page = answer.html();
        assertThat(page.select("#policy-approvals-error").text()).isEqualTo("approvals needed must be a whole number between 1 and 10");
        // A number input shows the form's number (Thymeleaf gives type=number the raw value); browsers send no "two".
        assertThat(page.selectFirst("#policy-approvals").attr("aria-invalid")).isEqualTo("true");
        assertThat(page.selectFirst("#policy-max-grant").val()).isEqualTo("24");
        assertThat(page.selectFirst("#policy-groups").val()).isEqualTo("ops, sre");
        assertThat(page.selectFirst("#policy-ttl").val()).isEqualTo("48");
        assertThat(page.selectFirst("#policy-role-AUDITOR").hasAttr("checked")).isTrue();
        assertThat(page.selectFirst("#policy-role-APPROVER").hasAttr("checked")).isFalse();
        assertThat(page.selectFirst("#policy-masters").hasAttr("checked")).isTrue();
        assertThat(page.select("#policy-groups-error")).isEmpty();

        typed.put("approvalsNeeded", "3");
        typed.put("maxGrantHours", "0");
        Document outOfRange = admin.post(base() + "/admin/policies/" + CLUSTER, typed).html();
        assertThat(outOfRange.select("#policy-max-grant-error").text()).isEqualTo("the maximum grant must be between 1 hour and 90 days");
        assertThat(outOfRange.selectFirst("#policy-max-grant").val()).isEqualTo("0");
        assertThat(outOfRange.selectFirst("#policy-approvals").val()).isEqualTo("3");
        assertThat(outOfRange.select("#policy-approvals-error")).isEmpty();

        typed.put("maxGrantHours", "24");
        typed.put("approverGroups", "g".repeat(ChangeForm.MAX_GROUPS_TEXT + 1));
        Document overlong = admin.post(base() + "/admin/policies/" + CLUSTER, typed).html();
        assertThat(overlong.select("#policy-groups-error").text())
                .isEqualTo("the approver groups are longer than 16384 characters together; name at most 50 groups");
        assertThat(overlong.selectFirst("#policy-max-grant").val()).isEqualTo("24");

        typed.put("approverGroups", "ops, " + "x".repeat(300));
        Document groupTooLong = admin.post(base() + "/admin/policies/" + CLUSTER, typed).html();
        assertThat(groupTooLong.select("#policy-groups-error").text()).as("the policy rules' refusal beside its field")
                .contains("is 300 characters long; at most 255");
        assertThat(policyChanges()).as("nothing saved").isEqualTo(changes);
        assertThat(policies.of(CLUSTER)).isEqualTo(ApprovalPolicy.defaults(CLUSTER));
    }

    @Test
    void processNewRequestFormWithAValueThatDoesNotConvertShowsTheFormAsTyped() {
        WebSession requester = signedIn("requester");
        long before = requestCount();
        String arn = roleArn("typed");
        Document page = requester.post(base() + "/requests/new", new LinkedHashMap<>(Map.of("cluster", CLUSTER,
                "kind", "NOPE", "arn", arn, "username", "t:{{SessionName}}", "groups", "readers",
                "duration", "", "justification", "on call", "_csrf", csrf(requester)))).html();
        assertThat(page.select("#request-kind-error").text()).isEqualTo("pick one of the offered changes");
        assertThat(page.selectFirst("#request-arn").val()).isEqualTo(arn);
        assertThat(page.selectFirst("#request-justification").text()).isEqualTo("on call");
        assertThat(requestCount()).isEqualTo(before);
    }

    @Test
    void processBreakGlassFormHasErrorsBesideTheFieldsAndKeepsWhatWasTyped() {
        WebSession admin = signedIn("admin");
        long before = requestCount();
        String arn = roleArn("bg-typed");
        Map<String, String> typed = new LinkedHashMap<>(Map.of("cluster", CLUSTER, "kind", "NOPE", "arn", arn,
                "username", "bg:{{SessionName}}", "groups", "readers", "reason", "the pager went off",
                "_csrf", csrf(admin)));
        Document badKind = admin.post(base() + "/admin/break-glass", typed).html();
        assertThat(badKind.select("#request-kind-error").text()).isEqualTo("pick one of the offered changes");
        assertThat(badKind.selectFirst("#request-arn").val()).isEqualTo(arn);
        assertThat(badKind.selectFirst("#request-username").val()).isEqualTo("bg:{{SessionName}}");
        assertThat(badKind.selectFirst("#break-glass-reason").text()).isEqualTo("the pager went off");

        typed.put("kind", "MAP_ROLE");
        typed.put("groups", "g,".repeat(ChangeForm.MAX_GROUPS_TEXT / 2 + 1));
        typed.put("namespaces", "n".repeat(ChangeForm.MAX_NAMESPACES_TEXT + 1));
        Document overlong = admin.post(base() + "/admin/break-glass", typed).html();
        assertThat(overlong.select("#request-groups-error").text()).startsWith("The groups are longer than 16384 characters");
        assertThat(overlong.select("#request-namespaces-error").text()).startsWith("The namespaces are longer than 4096");
        assertThat(overlong.selectFirst("#request-arn").val()).isEqualTo(arn);
        assertThat(overlong.selectFirst("#break-glass-reason").text()).isEqualTo("the pager went off");

        typed.put("groups", "readers");
        typed.put("namespaces", "");
        typed.put("reason", "r".repeat(RequestLimits.MAX_TEXT + 1));
        Document longReason = admin.post(base() + "/admin/break-glass", typed).html();
        assertThat(longReason.select("#break-glass-reason-error").text()).contains("the reason is 4001 characters long");
        assertThat(longReason.selectFirst("#request-groups").val()).isEqualTo("readers");
        assertThat(requestCount()).as("nothing applied").isEqualTo(before);
    }

    /** The posted names of the change fields both forms take from request/fragments :: changeFields. */
    static final List<String> CHANGE_FIELDS = List.of("cluster", "kind", "arn", "type", "policyArn", "scopeType",
            "namespaces", "authenticationMode", "username", "groups");

    @Test
    void theNewRequestAndBreakGlassFormsRenderTheSameChangeFieldsWithTheSameErrors() {
        WebSession requester = signedIn("requester");
        WebSession admin = signedIn("admin");
        List<String> shown = changeFields(requester.get(base() + "/requests/new").html());
        assertThat(shown).hasSize(CHANGE_FIELDS.size());
        assertThat(changeFields(admin.get(base() + "/admin/break-glass").html())).isEqualTo(shown);

        Map<String, String> typed = new LinkedHashMap<>(Map.of("cluster", CLUSTER, "kind", "MAP_ROLE",
                "arn", roleArn("same"), "username", "s:{{SessionName}}",
                "groups", "g,".repeat(ChangeForm.MAX_GROUPS_TEXT / 2 + 1),
                "namespaces", "n".repeat(ChangeForm.MAX_NAMESPACES_TEXT + 1)));
        Map<String, String> newRequest = new LinkedHashMap<>(typed);
        newRequest.put("_csrf", csrf(requester));
        Map<String, String> breakGlass = new LinkedHashMap<>(typed);
        breakGlass.put("_csrf", csrf(admin));
        List<String> refused = changeFields(requester.post(base() + "/requests/new", newRequest).html());
        assertThat(refused).as("each error beside its field, named first by aria-describedby")
                .anyMatch(f -> f.startsWith("input#request-groups[groups] options=[] invalid=true describedby=request-groups-error"
                        + " request-groups-help") && f.contains("The groups are longer than 16384 characters"));
        assertThat(changeFields(admin.post(base() + "/admin/break-glass", breakGlass).html())).isEqualTo(refused);

        // A refusal of the change's own rules (not a constraint) is beside its field on both pages as well.
        long before = requestCount();
        for (Map<String, String> fields : List.of(newRequest, breakGlass)) {
            fields.putAll(Map.of("kind", "CREATE_ACCESS_ENTRY", "arn", "not-an-arn", "groups", "readers", "namespaces", ""));
        }
        newRequest.put("justification", "on call");
        breakGlass.put("reason", "the pager went off");
        List<String> malformed = changeFields(requester.post(base() + "/requests/new", newRequest).html());
        assertThat(malformed).anyMatch(f -> f.startsWith("input#request-arn[arn] options=[] invalid=true describedby=request-arn-error"
                + " request-arn-help") && f.contains("not-an-arn"));
        assertThat(changeFields(admin.post(base() + "/admin/break-glass", breakGlass).html())).isEqualTo(malformed);
        assertThat(requestCount()).as("nothing filed or applied").isEqualTo(before);
    }

    /**
     * Each change field as one line: element, id, name, the values it offers, aria-invalid, aria-describedby
     * with the texts it names, its label and the kinds whose fields it belongs to.
     */
    static List<String> changeFields(Document page) {
        return CHANGE_FIELDS.stream().map(name -> {
            org.jsoup.nodes.Element field = page.selectFirst("form [name=" + name + "]");
            assertThat(field).as(name).isNotNull();
            String describedBy = field.attr("aria-describedby");
            String described = describedBy.isEmpty() ? "" : java.util.Arrays.stream(describedBy.split(" "))
                    .map(id -> page.getElementById(id).text()).collect(Collectors.joining(" | "));
            org.jsoup.nodes.Element group = field.closest(".request-kind-fields");
            return field.tagName() + "#" + field.id() + "[" + name + "] options=" + field.select("option").eachAttr("value")
                    + " invalid=" + field.attr("aria-invalid")
                    + " describedby=" + describedBy + " (" + described + ") label=" + page.select("label[for=" + field.id()
                    + "]").text() + " kinds=" + (group == null ? "all" : group.attr("data-kinds"));
        }).toList();
    }

    // ---- 3. guards -----------------------------------------------------------------------------------

    @Test
    void systemIdentitiesAreRefusedAtFilingExceptTheNodeTemplates() {
        WebSession requester = signedIn("requester");
        String token = csrf(requester);
        long before = requestCount();
        for (String username : List.of("system:kube-controller-manager", "SYSTEM:Kube-Controller-Manager",
                "System:node:ip-10-0-0-1", "system:serviceaccount:kube-system:default", "system:admin")) {
            assertProblem(fileViaApi(requester, token, roleArn("sys"), username, List.of("readers"), "j"), 400,
                    "the username '" + username + "' is a Kubernetes system identity");
        }
        for (String group : List.of("system:authenticated", "system:serviceaccounts", "System:Masters",
                "SYSTEM:nodes")) {
            assertProblem(fileViaApi(requester, token, roleArn("sys"), "s:{{SessionName}}", List.of(group), "j"), 400,
                    "the group '" + group + "' is a Kubernetes system group");
        }
        // Node groups only with a node username; a node username only on a role.
        assertProblem(fileViaApi(requester, token, roleArn("sys"), "s:{{SessionName}}", List.of("system:nodes"), "j"),
                400, "the group 'system:nodes' is a Kubernetes system group");
        assertProblem(requester.postJson(base() + "/api/v1/requests", """
                {"cluster":"%s","change":{"kind":"MAP_USER","arn":"arn:aws:iam::%s:user/n","username":
                 "system:node:{{EC2PrivateDNSName}}","groups":["system:nodes"]},"justification":"j"}"""
                .formatted(CLUSTER, ACCOUNT), Map.of("X-CSRF-TOKEN", token)), 400, "Kubernetes system identity");
        assertThat(requestCount()).isEqualTo(before);

        // The templates the authenticator gives EC2 nodes and Fargate pods are fine.
        assertThat(fileViaApi(requester, token, roleArn("nodes"), "system:node:{{EC2PrivateDNSName}}",
                List.of("system:bootstrappers", "system:nodes"), "new node group").status()).isEqualTo(201);
        assertThat(fileViaApi(requester, token, roleArn("fargate"), "system:node:{{SessionName}}",
                List.of("system:bootstrappers", "system:nodes", "system:node-proxier"), "fargate profile").status())
                .isEqualTo(201);

        // The live preview says so as the requester types.
        Document preview = requester.post(base() + "/requests/new", Map.of("cluster", CLUSTER, "kind", "MAP_ROLE",
                "arn", roleArn("p"), "username", "system:kube-controller-manager", "groups", "", "duration", "",
                "justification", ""), Map.of("HX-Request", "true", "X-CSRF-TOKEN", token)).html();
        assertThat(preview.select("#preview-input-problem").text()).contains("Kubernetes system identity");
    }

    /**
     * A role ARN with a path or an assumed-role ARN never matches a caller in aws-auth, so the apply refuses it
     * (AWSAUTH-005). Every way of filing refuses it first, in the same words: the API, the form, break-glass
     * and the live preview; nothing is stored and aws-auth is untouched.
     */
    @Test
    void mappingsThatNeverMatchACallerAreRefusedWhenFiledOnEveryPathAndNothingIsStored() {
        WebSession requester = signedIn("requester");
        WebSession admin = signedIn("admin");
        String token = csrf(requester);
        long before = requestCount();
        String withPath = "arn:aws:iam::" + ACCOUNT + ":role/team/Dev-" + SEQUENCE.incrementAndGet();
        String pathAdvice = "has a path; callers arrive as assumed-role ARNs without the path, so it never matches."
                + " Use 'arn:aws:iam::" + ACCOUNT + ":role/" + withPath.substring(withPath.lastIndexOf('/') + 1) + "'.";
        String session = "arn:aws:sts::" + ACCOUNT + ":assumed-role/Dev/alice";
        String sessionAdvice = "is an assumed-role (session) ARN; the authenticator compares the role's IAM ARN, so it"
                + " never matches. Use 'arn:aws:iam::" + ACCOUNT + ":role/Dev'.";

        assertProblem(fileViaApi(requester, token, withPath, "dev:{{SessionName}}", List.of("readers"), "j"), 400,
                pathAdvice);
        assertProblem(fileViaApi(requester, token, session, "dev:{{SessionName}}", List.of("readers"), "j"), 400,
                sessionAdvice);
        assertProblem(requester.postJson(base() + "/api/v1/requests", """
                {"cluster":"%s","change":{"kind":"MAP_USER","arn":"%s","username":"alice","groups":["readers"]},
                 "justification":"j"}""".formatted(CLUSTER, session), Map.of("X-CSRF-TOKEN", token)), 400, sessionAdvice);

        for (String arn : List.of(withPath, session)) {
            String advice = arn.equals(session) ? sessionAdvice : pathAdvice;
            Document form = requester.post(base() + "/requests/new", new LinkedHashMap<>(Map.of("cluster", CLUSTER,
                    "kind", "MAP_ROLE", "arn", arn, "username", "dev:{{SessionName}}", "groups", "readers",
                    "duration", "", "justification", "on call", "_csrf", token))).html();
            assertThat(form.selectFirst("#request-arn").attr("aria-invalid")).as(arn).isEqualTo("true");
            assertThat(form.select("#request-arn-error").text()).as(arn).contains(advice);
            assertThat(form.selectFirst("#request-arn").val()).isEqualTo(arn);

            Document breakGlass = admin.post(base() + "/admin/break-glass", new LinkedHashMap<>(Map.of("cluster", CLUSTER,
                    "kind", "MAP_ROLE", "arn", arn, "username", "dev:{{SessionName}}", "groups", "readers",
                    "reason", "the pager went off", "_csrf", csrf(admin)))).html();
            assertThat(breakGlass.select("#request-arn-error").text()).as(arn).contains(advice);

            Document preview = requester.post(base() + "/requests/new", Map.of("cluster", CLUSTER, "kind", "MAP_ROLE",
                    "arn", arn, "username", "dev:{{SessionName}}", "groups", "readers", "duration", "",
                    "justification", ""), Map.of("HX-Request", "true", "X-CSRF-TOKEN", token)).html();
            assertThat(preview.select("#preview-input-problem").text()).as(arn).contains(advice);
        }
        assertThat(requestCount()).as("nothing filed").isEqualTo(before);
        assertThat(mapRoles()).doesNotContain("role/team/").doesNotContain("assumed-role");
    }

    /**
     * Changes not built from typed fields are checked too: the way back of removing a mapping that never matched
     * (a role path, written by hand) would add it again, which the apply refuses; so its undo is refused when filed.
     */
    @Test
    void anUndoThatWouldAddAMappingThatNeverMatchesIsRefusedWhenFiled() throws Exception {
        String withPath = "arn:aws:iam::" + ACCOUNT + ":role/team/Undo-" + SEQUENCE.incrementAndGet();
        apiServer.adminClient().configMaps().inNamespace("kube-system").withName("aws-auth").edit(configMap -> {
            configMap.getData().put("mapRoles", configMap.getData().getOrDefault("mapRoles", "") + """
                    - rolearn: %s
                      username: undo:{{SessionName}}
                      groups:
                        - readers
                    """.formatted(withPath));
            return configMap;
        });
        WebSession requester = signedIn("requester");
        String token = csrf(requester);
        WebSession.Page removal = requester.postJson(base() + "/api/v1/requests", """
                {"cluster":"%s","change":{"kind":"UNMAP_ROLE","arn":"%s"},"justification":"never matched"}"""
                .formatted(CLUSTER, withPath), Map.of("X-CSRF-TOKEN", token));
        assertThat(removal.status()).as("a removal may name an entry that never matched").isEqualTo(201);
        long removed = JSON.readTree(removal.body()).get("id").asLong();
        WebSession approver = signedIn("approver");
        WebSession.Page approved = approver.postJson(base() + "/api/v1/requests/" + removed + "/reviews",
                "{\"decision\":\"APPROVE\",\"comment\":\"fine\"}", Map.of("X-CSRF-TOKEN", csrf(approver)));
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(JSON.readTree(approved.body()).get("state").asText()).isEqualTo("APPLIED");
        assertThat(mapRoles()).doesNotContain(withPath);
        long before = requestCount();

        assertProblem(requester.postJson(base() + "/api/v1/requests/" + removed + "/undo",
                "{\"justification\":\"put it back\"}", Map.of("X-CSRF-TOKEN", token)), 400,
                "role ARN '" + withPath + "' has a path; callers arrive as assumed-role ARNs without the path");
        assertThat(requestCount()).as("no undo filed").isEqualTo(before);
        assertThat(mapRoles()).doesNotContain(withPath);
    }

    @Test
    void misspeltFieldsAreRefusedNamingThemAndEchoedInputIsCapped() throws Exception {
        WebSession requester = signedIn("requester");
        String token = csrf(requester);
        long before = requestCount();
        // Read as absent, a misspelt "durationHours" filed a grant without an end, a misspelt "accessScope" a cluster-wide one.
        assertProblem(requester.postJson(base() + "/api/v1/requests", """
                {"cluster":"%s","change":{"kind":"MAP_ROLE","arn":"%s","username":"u","groups":["readers"]},
                 "justification":"j","durationhours":2}""".formatted(CLUSTER, roleArn("typo")),
                Map.of("X-CSRF-TOKEN", token)), 400, "unknown field \"durationhours\"");
        assertProblem(requester.postJson(base() + "/api/v1/requests", """
                {"cluster":"%s","change":{"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s",
                 "policyArn":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
                 "scope":{"type":"namespace","namespaces":["dev"]}},"justification":"j"}""".formatted(CLUSTER,
                roleArn("typo")), Map.of("X-CSRF-TOKEN", token)), 400, "unknown field \"scope\" in change");
        assertProblem(requester.postJson(base() + "/api/v1/requests", """
                {"cluster":"%s","change":{"kind":"MAP_ROLE","arn":"%s","username":"u","groups":{"a":1}},
                 "justification":"j"}""".formatted(CLUSTER, roleArn("typo")), Map.of("X-CSRF-TOKEN", token)), 400,
                "wrong type of value for change.groups");
        assertProblem(requester.postJson(base() + "/api/v1/requests/1/reviews", """
                {"decision":"APPROVE","comment":"ok","extra":true}""", Map.of("X-CSRF-TOKEN", token)), 400,
                "unknown field \"extra\"");
        assertThat(requestCount()).isEqualTo(before);

        // Whatever is echoed is capped: a 60,000-character kind, cluster, decision or id is not sent back whole.
        String huge = "<script>" + "x".repeat(60_000);
        for (WebSession.Page page : List.of(
                requester.postJson(base() + "/api/v1/requests", """
                        {"cluster":"%s","change":{"kind":"%s"},"justification":"j"}""".formatted(CLUSTER, huge),
                        Map.of("X-CSRF-TOKEN", token)),
                requester.postJson(base() + "/api/v1/requests", """
                        {"cluster":"%s","change":{"kind":"MAP_ROLE","arn":"%s","username":"u","groups":["g"]},
                         "justification":"j"}""".formatted(huge, roleArn("c")), Map.of("X-CSRF-TOKEN", token)),
                requester.postJson(base() + "/api/v1/requests/1/reviews", """
                        {"decision":"%s","comment":"c"}""".formatted(huge), Map.of("X-CSRF-TOKEN", token)),
                requester.postJson(base() + "/api/v1/requests/" + "9".repeat(1_000) + "x/undo", "",
                        Map.of("X-CSRF-TOKEN", token)))) {
            assertThat(page.status()).as(page.body()).isEqualTo(400);
            String detail = JSON.readTree(page.body()).get("detail").asText();
            assertThat(detail.length()).as(detail.substring(0, Math.min(300, detail.length()))).isLessThan(400);
        }
        assertThat(requestCount()).isEqualTo(before);
    }

    @Test
    void everyReviewerSeesWhatThePrincipalCouldDoFromTheCachedIndex() {
        Eventually.await("the cluster cache", Duration.ofSeconds(60),
                () -> caches.cache(CLUSTER).map(ClusterCache::snapshot).orElse(null),
                s -> s != null && s.status().lastSyncedAt() != null);
        Eventually.await("the RBAC index", Duration.ofSeconds(60), () -> indexes.view(CLUSTER).orElse(null),
                v -> v != null);
        long id = fileViaPage(signedIn("requester"), roleArn("seen"), "seen:{{SessionName}}", "readers", "see it");
        long builds = indexes.builds();
        for (String reviewer : List.of("approver", "admin", "auditor")) {
            Document page = signedIn(reviewer).get(base() + "/requests/" + id).html();
            assertThat(page.select("#request-access").text()).as(reviewer).contains("readers-view").contains("pods");
        }
        assertThat(indexes.builds() - builds).as("the cached index, not one per view").isLessThanOrEqualTo(1);
    }

    // ---- 4. names aws-auth holds exactly -------------------------------------------------------------

    @Test
    void namesTheSerializerCannotWriteExactlyAreRefusedAtFilingNamingFieldAndCharacter() {
        WebSession requester = signedIn("requester");
        String token = csrf(requester);
        long before = requestCount();
        assertProblem(fileViaApi(requester, token, roleArn("at"), "@A1", List.of("readers"), "j"), 400,
                "the username '@A1' starts with '@'");
        assertProblem(fileViaApi(requester, token, roleArn("eq"), "=1+1", List.of("readers"), "j"), 400,
                "the username '=1+1' starts with '='");
        assertProblem(fileViaApi(requester, token, roleArn("plus"), "+cmd", List.of("readers"), "j"), 400,
                "starts with '+'");
        assertProblem(fileViaApi(requester, token, roleArn("grp"), "g:{{SessionName}}", List.of("-1+1"), "j"), 400,
                "the group '-1+1' starts with '-'");
        assertThat(requestCount()).isEqualTo(before);

        WebSession admin = signedIn("admin");
        WebSession.Page form = admin.get(base() + "/admin/break-glass");
        Document refused = admin.submit(form, "#break-glass-form", Map.of("cluster", CLUSTER, "kind", "MAP_ROLE",
                "arn", roleArn("bg-at"), "username", "@A1", "groups", "readers", "reason", "fire")).html();
        assertThat(refused.select(".notice.error").text()).contains("the username '@A1' starts with '@'");
        assertThat(requestCount()).isEqualTo(before);

        // What the serializer quotes but reads back exactly is fine, and applies.
        String arn = roleArn("quoted");
        long id = fileViaPage(requester, arn, "{{SessionName}}", "true", "quoted names");
        Document applied = review(signedIn("approver"), id, "APPROVE", "ok");
        assertThat(applied.selectFirst("#request-state").attr("data-state")).isEqualTo("APPLIED");
        assertThat(mapRoles()).contains("rolearn: " + arn);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    String base() {
        return "http://localhost:" + port;
    }

    static String roleArn(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":role/" + name + "-" + SEQUENCE.incrementAndGet();
    }

    WebSession signedIn(String who) {
        WebSession session = new WebSession();
        SignIn.viaDemoIssuer(session, base(), who);
        return session;
    }

    String csrf(WebSession session) {
        return session.get(base() + "/requests").csrfToken();
    }

    WebSession.Page fileViaApi(WebSession session, String token, String arn, String username, List<String> groups,
            String justification) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("kind", "MAP_ROLE");
        change.put("arn", arn);
        change.put("username", username);
        change.put("groups", groups);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cluster", CLUSTER);
        body.put("change", change);
        body.put("justification", justification);
        try {
            return session.postJson(base() + "/api/v1/requests", JSON.writeValueAsString(body),
                    Map.of("X-CSRF-TOKEN", token == null ? csrf(session) : token));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long fileViaPage(WebSession session, String arn, String username, String groups, String justification) {
        WebSession.Page form = session.get(base() + "/requests/new");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("cluster", CLUSTER);
        fields.put("kind", "MAP_ROLE");
        fields.put("arn", arn);
        fields.put("username", username);
        fields.put("groups", groups);
        fields.put("duration", "");
        fields.put("justification", justification);
        WebSession.Page filed = session.submit(form, "#request-form", fields);
        assertThat(filed.isRedirect()).as("filing redirects to the request:\n" + filed.body()).isTrue();
        return Long.parseLong(filed.location().getPath().replaceAll(".*/requests/", ""));
    }

    Document review(WebSession session, long id, String decision, String comment) {
        WebSession.Page page = session.get(base() + "/requests/" + id);
        return session.follow(session.submit(page, "#review-form", Map.of("decision", decision, "comment", comment)))
                .html();
    }

    /** A POST with a raw body, with a Content-Length or streamed in chunks without one. */
    HttpResponse<String> raw(String path, String contentType, String body, boolean chunked) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))
                : HttpRequest.BodyPublishers.ofByteArray(bytes);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", contentType)
                .header("Accept", path.startsWith("/api/") ? "application/json" : "text/html")
                .timeout(Duration.ofSeconds(30))
                .POST(publisher).build();
        return RAW.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static long id(WebSession.Page filed) {
        assertThat(filed.status()).as(filed.body()).isEqualTo(201);
        try {
            JsonNode body = JSON.readTree(filed.body());
            return body.get("id").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertProblem(WebSession.Page page, int status, String detail) {
        assertThat(page.status()).as(page.body()).isEqualTo(status);
        assertThat(page.header("Content-Type")).startsWith("application/problem+json");
        try {
            assertThat(JSON.readTree(page.body()).get("detail").asText()).contains(detail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long requestCount() {
        return jdbc.sql("SELECT count(*) FROM access_requests").query(Long.class).single();
    }

    long reviewCount(long id) {
        return jdbc.sql("SELECT count(*) FROM request_reviews WHERE request_id = :id").param("id", id)
                .query(Long.class).single();
    }

    long policyChanges() {
        return jdbc.sql("SELECT count(*) FROM audit_events WHERE action = 'APPROVAL_POLICY_CHANGED'")
                .query(Long.class).single();
    }

    String mapRoles() {
        return apiServer.adminClient().configMaps().inNamespace("kube-system").withName("aws-auth").get().getData()
                .getOrDefault("mapRoles", "");
    }

    static Person adminPerson() {
        return new Person("test-admin", "Test Admin", EnumSet.of(ConsoleRole.ADMIN), List.of(), null);
    }
}
