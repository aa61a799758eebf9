package io.eksaccess.console.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eksaccess.console.apply.MappingChangeJson;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.cluster.ClusterRegistry;
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.identity.ConsoleRole;
import io.eksaccess.console.rbac.ClusterRbacIndexes;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.BearerTokens;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The request workflow end to end on the shared real API server and PostgreSQL, through the
 * pages and the JSON API as people sign in with the demo issuer: file → approve by someone else →
 * ConfigMap changed → audit complete; four eyes; two approvers at the same instant apply once;
 * reject; expiry and revocation; break-glass; the live preview; problem details; escaping.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@RunsAlongside(seconds = 30)
@ResourceLock(KubeApiServer.ALONGSIDE_LOCK)
class RequestWorkflowTest {

    static final String CLUSTER = "req";
    static final String ACCOUNT = "111122223333";
    static final String ADMIN_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/cluster-admins";
    static final AtomicLong SEQUENCE = new AtomicLong();
    static final ObjectMapper JSON = new ObjectMapper();
    static KubeApiServer apiServer;

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.kubeconfig", Once.of(() -> kubeconfig().toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "2s"));
        // Admins approve too here, so two different people can approve at the same instant.
        registry.add("console.roles.approver-groups", Once.of(() -> "console-approvers,console-admins"));
        // The tests trigger the expiry job themselves.
        registry.add("console.requests.expiry-check", Once.of(() -> "1h"));
        // Apply recovery looks for abandoned intents every second (the crash reproductions below).
        registry.add("console.apply.recovery-interval", Once.of(() -> "1s"));
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
    RequestExpiryJob expiryJob;

    @Autowired
    ApprovalPolicies policies;

    @Autowired
    ClusterCaches caches;

    @Autowired
    ClusterRbacIndexes indexes;

    @Autowired
    ClusterRegistry registry;

    // ---- the happy path and four eyes -------------------------------------------------------------

    @Test
    void fileThenApproveBySomeoneElseChangesTheConfigMapAndAuditsEveryStep() {
        WebSession requester = signedIn("requester");
        String arn = roleArn("dev");
        long id = fileViaPage(requester, arn, "dev:{{SessionName}}", "readers", "24", "deploy hotfix");

        WebSession approver = signedIn("approver");
        Document list = approver.get(base() + "/requests").html();
        assertThat(list.selectFirst("#nav-reviews-waiting")).as("nav badge").isNotNull();
        assertThat(list.select("#request-row-" + id)).as("waiting for my review").hasSize(1);

        Document afterReview = review(approver, id, "APPROVE", "looks right");
        assertThat(afterReview.selectFirst("#request-state").attr("data-state")).isEqualTo("APPLIED");
        assertThat(afterReview.select("#request-diff").text()).contains(arn);

        assertThat(mapRoles()).contains("rolearn: " + arn).contains("dev:{{SessionName}}").contains("readers");
        assertThat(actions(id)).containsSubsequence("REQUEST_FILED", "REQUEST_REVIEWED", "REQUEST_APPROVED",
                "AWS_AUTH_APPLY/INTENT", "AWS_AUTH_APPLY/SUCCESS", "REQUEST_APPLIED");
        assertThat(actor(id, "REQUEST_FILED")).isEqualTo("Rita Requester");
        assertThat(actor(id, "REQUEST_APPROVED")).isEqualTo("Abe Approver");
        assertThat(jdbc.sql("SELECT type FROM notification_outbox WHERE request_id = :id ORDER BY id")
                .param("id", id).query(String.class).list())
                .containsSubsequence("REQUEST_FILED", "REQUEST_REVIEWED", "REQUEST_APPLIED");
        AccessRequest stored = requests(id);
        assertThat(stored.grantEndsAt()).isNotNull();
        Document live = approver.get(base() + "/requests/" + id, Map.of("HX-Request", "true")).html();
        assertThat(live.selectFirst("html > head > title")).as("a fragment for htmx polling").isNull();
        assertThat(live.selectFirst("#request-live #request-state").attr("data-state")).isEqualTo("APPLIED");
        assertThat(live.selectFirst("#request-live").hasAttr("hx-get")).as("no polling once applied").isFalse();
        assertThat(stored.beforeHash()).isNotEqualTo(stored.afterHash());
    }

    @Test
    void selfApprovalIsRefusedOnThePageAndInTheApi() {
        WebSession approver = signedIn("approver");
        long id = fileViaPage(approver, roleArn("self"), "self:{{SessionName}}", "readers", "", "my own");
        Document page = approver.get(base() + "/requests/" + id).html();
        assertThat(page.selectFirst("#review-form")).as("no review form on one's own request").isNull();

        Document refused = approver.follow(approver.post(base() + "/requests/" + id + "/reviews",
                Map.of("decision", "APPROVE", "comment", "me", "_csrf", csrf(approver)))).html();
        assertThat(refused.text()).contains("you cannot review your own request");

        WebSession.Page api = reviewViaApi(approver, id, "APPROVE", "me");
        assertProblem(api, 403, "you cannot review your own request");
        assertThat(requests(id).state()).isEqualTo(RequestState.PENDING);
        assertThat(mapRoles()).doesNotContain(roleArn("self").substring(0, 30) + "self");
        assertThat(actions(id)).as("both refusals audited, no review recorded").containsExactly("REQUEST_FILED",
                "REQUEST_REVIEWED/DENIED", "REQUEST_REVIEWED/DENIED");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_events WHERE action = 'ACCESS_DENIED' AND resource LIKE :path")
                .param("path", "%/requests/" + id + "/reviews").query(Long.class).single())
                .as("one row per refusal: the web layer's 403 audit stands back").isZero();
    }

    @Test
    void refusedTransitionsAreAuditedAsDeniedAndARolledBackOneLeavesNoRow() {
        WebSession requester = signedIn("requester");
        long id = fileViaPage(requester, roleArn("denied"), "d:{{SessionName}}", "readers", "", "to be refused");
        WebSession approver = signedIn("approver");
        assertProblem(approver.postJson(base() + "/api/v1/requests/" + id + "/cancel", "{}",
                Map.of("X-CSRF-TOKEN", csrf(approver))), 403, "only the person who filed");
        review(approver, id, "REJECT", "no");
        assertProblem(reviewViaApi(signedIn("admin"), id, "APPROVE", "late"), 409, "already rejected");
        assertThat(actions(id)).containsExactly("REQUEST_FILED", "REQUEST_CANCELLED/DENIED", "REQUEST_REVIEWED",
                "REQUEST_REJECTED", "REQUEST_REVIEWED/DENIED");
        assertThat(jdbc.sql("SELECT details->>'refused' FROM audit_events WHERE details->>'requestId' = :id"
                        + " AND outcome = 'DENIED' ORDER BY sequence").param("id", Long.toString(id))
                .query(String.class).list()).containsExactly("only the person who filed request #" + id
                + " can cancel it", "request #" + id + " is already rejected; a resolved request takes no more reviews");

        // A filing whose transaction fails after its audit row was written (the outbox refuses the
        // announcement) leaves neither the request nor its REQUEST_FILED row.
        long auditRows = jdbc.sql("SELECT count(*) FROM audit_events").query(Long.class).single();
        jdbc.sql("""
                CREATE OR REPLACE FUNCTION refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'outbox refused (test)'; END; $$""").update();
        jdbc.sql("CREATE TRIGGER refuse_outbox BEFORE INSERT ON notification_outbox FOR EACH ROW"
                + " EXECUTE FUNCTION refuse_outbox()").update();
        try {
            String arn = roleArn("rolled-back");
            WebSession.Page failed = requester.postJson(base() + "/api/v1/requests", """
                    {"cluster":"%s","change":{"kind":"MAP_ROLE","arn":"%s","username":"rb:{{SessionName}}",
                     "groups":["readers"]},"justification":"never stored"}""".formatted(CLUSTER, arn),
                    Map.of("X-CSRF-TOKEN", csrf(requester)));
            assertThat(failed.status()).as(failed.body()).isEqualTo(500);
            assertThat(jdbc.sql("SELECT count(*) FROM access_requests WHERE change->>'arn' = :arn").param("arn", arn)
                    .query(Long.class).single()).isZero();
            assertThat(jdbc.sql("SELECT count(*) FROM audit_events").query(Long.class).single()).isEqualTo(auditRows);
        } finally {
            jdbc.sql("DROP TRIGGER refuse_outbox ON notification_outbox").update();
        }
    }

    @Test
    void twoApproversAtTheSameInstantApplyExactlyOnce() throws Exception {
        policies.save(new ApprovalPolicy(CLUSTER, 2, EnumSet.of(ConsoleRole.APPROVER), List.of(), 2160, false, 72,
                true), adminPerson());
        try {
            String arn = roleArn("race");
            long id = fileViaPage(signedIn("requester"), arn, "race:{{SessionName}}", "readers", "", "race");
            WebSession approver = signedIn("approver");
            WebSession admin = signedIn("admin");
            String approverToken = csrf(approver);
            String adminToken = csrf(admin);
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                Future<WebSession.Page> first = threads.submit(() -> {
                    together.await();
                    return reviewViaApi(approver, approverToken, id, "APPROVE", "fine");
                });
                Future<WebSession.Page> second = threads.submit(() -> {
                    together.await();
                    return reviewViaApi(admin, adminToken, id, "APPROVE", "fine too");
                });
                assertThat(first.get().status()).as(first.get().body()).isEqualTo(200);
                assertThat(second.get().status()).as(second.get().body()).isEqualTo(200);
            } finally {
                threads.shutdown();
            }
            assertThat(requests(id).state()).isEqualTo(RequestState.APPLIED);
            assertThat(actions(id).stream().filter(a -> a.equals("AWS_AUTH_APPLY/SUCCESS"))).hasSize(1);
            assertThat(actions(id).stream().filter(a -> a.equals("REQUEST_APPROVED"))).hasSize(1);
            assertThat(actions(id).stream().filter(a -> a.equals("REQUEST_REVIEWED"))).hasSize(2);
            assertThat(mapRoles().split(java.util.regex.Pattern.quote(arn), -1)).hasSize(2);
        } finally {
            policies.save(ApprovalPolicy.defaults(CLUSTER), adminPerson());
        }
    }

    @Test
    void aRejectEndsTheRequestAndExplainsWhy() {
        String arn = roleArn("rejected");
        long id = fileViaPage(signedIn("requester"), arn, "r:{{SessionName}}", "readers", "", "please");
        Document page = review(signedIn("approver"), id, "REJECT", "use the team role instead");
        assertThat(page.selectFirst("#request-state").attr("data-state")).isEqualTo("REJECTED");
        assertThat(page.selectFirst("#request-outcome").text()).contains("use the team role instead");

        assertProblem(reviewViaApi(signedIn("admin"), id, "APPROVE", "override"), 409, "already rejected");
        assertThat(mapRoles()).doesNotContain(arn);
        assertThat(actions(id)).contains("REQUEST_REJECTED").doesNotContain("AWS_AUTH_APPLY/INTENT");
    }

    @Test
    void nonApproversGet403() {
        long id = fileViaPage(signedIn("requester"), roleArn("nope"), "n:{{SessionName}}", "readers", "", "x");
        WebSession auditor = signedIn("auditor");
        // The cluster's policy (APPROVER) decides, not the URL: the page says why, the API answers 403.
        Document page = auditor.follow(auditor.post(base() + "/requests/" + id + "/reviews",
                Map.of("decision", "APPROVE", "comment", "x", "_csrf", csrf(auditor)))).html();
        assertThat(page.text()).contains("you may not review requests for " + CLUSTER);
        assertProblem(reviewViaApi(auditor, id, "APPROVE", "x"), 403, "its policy lets console role APPROVER approve");
        assertThat(requests(id).state()).isEqualTo(RequestState.PENDING);
        assertThat(jdbc.sql("SELECT count(*) FROM request_reviews WHERE request_id = :id").param("id", id)
                .query(Long.class).single()).isZero();
    }

    /**
     * A policy tightened after filing binds the requests still waiting: one for system:masters filed while
     * the policy allowed it cannot be approved once it does not, and one filed when one approval sufficed
     * needs the two the policy asks for now.
     */
    @Test
    void aPolicyTightenedAfterFilingBindsTheRequestsStillWaiting() {
        try {
            policies.save(new ApprovalPolicy(CLUSTER, 1, EnumSet.of(ConsoleRole.APPROVER), List.of(),
                    ApprovalPolicy.MAX_HOURS, true, 72, true), adminPerson());
            WebSession requester = signedIn("requester");
            String mastersArn = roleArn("masters-then");
            long masters = fileViaPage(requester, mastersArn, "m:{{SessionName}}", "system:masters", "", "incident");
            String twoArn = roleArn("two-eyes");
            long two = fileViaPage(requester, twoArn, "t:{{SessionName}}", "readers", "", "needs two now");
            policies.save(new ApprovalPolicy(CLUSTER, 2, EnumSet.of(ConsoleRole.APPROVER), List.of(),
                    ApprovalPolicy.MAX_HOURS, false, 72, true), adminPerson());

            WebSession approver = signedIn("approver");
            assertProblem(reviewViaApi(approver, masters, "APPROVE", "ok"), 409,
                    "the approval policy of " + CLUSTER + " changed since request #" + masters
                            + " was filed and no longer allows it");
            assertThat(requests(masters).state()).isEqualTo(RequestState.PENDING);
            assertThat(review(approver, masters, "REJECT", "not any more").selectFirst("#request-state")
                    .attr("data-state")).as("it can still be rejected").isEqualTo("REJECTED");

            assertThat(requests(two).approvalsNeeded()).isEqualTo(2);
            assertThat(review(approver, two, "APPROVE", "one of two").selectFirst("#request-state")
                    .attr("data-state")).isEqualTo("PENDING");
            assertThat(review(signedIn("admin"), two, "APPROVE", "two of two").selectFirst("#request-state")
                    .attr("data-state")).isEqualTo("APPLIED");
            assertThat(mapRoles()).contains(twoArn).doesNotContain(mastersArn);

            // Approved while allowed, applied on a click after the policy stopped allowing it: refused too.
            policies.save(new ApprovalPolicy(CLUSTER, 1, EnumSet.of(ConsoleRole.APPROVER), List.of(),
                    ApprovalPolicy.MAX_HOURS, true, 72, false), adminPerson());
            String clickArn = roleArn("masters-click");
            long click = fileViaPage(requester, clickArn, "mc:{{SessionName}}", "system:masters", "", "incident");
            assertThat(review(approver, click, "APPROVE", "ok").selectFirst("#request-state").attr("data-state"))
                    .isEqualTo("APPROVED");
            policies.save(new ApprovalPolicy(CLUSTER, 1, EnumSet.of(ConsoleRole.APPROVER), List.of(),
                    ApprovalPolicy.MAX_HOURS, false, 72, false), adminPerson());
            WebSession.Page clickPage = approver.get(base() + "/requests/" + click);
            Document refused = approver.follow(approver.submit(clickPage, "form:has(#request-apply)", Map.of())).html();
            assertThat(refused.select(".notice.error").text()).contains("no longer allows it");
            assertThat(requests(click).state()).isEqualTo(RequestState.APPROVED);
            assertThat(mapRoles()).doesNotContain(clickArn);
        } finally {
            policies.save(ApprovalPolicy.defaults(CLUSTER), adminPerson());
        }
    }

    /** A group bound to cluster-admin is system:masters by another name: the policy that refuses one refuses the other. */
    @Test
    void aGroupThatMayDoEverythingIsRefusedLikeSystemMasters() throws Exception {
        String group = "req-ops-" + SEQUENCE.incrementAndGet();
        apiServer.apply("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: %s-admins}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
                subjects:
                - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: %s}
                """.formatted(group, group));
        Eventually.await("the binding in the console's index", Duration.ofSeconds(60), () -> indexes.view(CLUSTER),
                view -> view.isPresent() && view.get().index().canI(new io.eksaccess.console.rbac.Identity("x",
                        List.of(group)), io.eksaccess.console.rbac.AccessRequest.resource("*", "*", "*", "", "", ""))
                        .allowed());
        WebSession requester = signedIn("requester");
        String arn = roleArn("ops");
        assertProblem(requester.postJson(base() + "/api/v1/requests", """
                {"cluster":"%s","change":{"kind":"MAP_ROLE","arn":"%s","username":"ops:{{SessionName}}",
                 "groups":["readers","%s"]},"justification":"on call"}""".formatted(CLUSTER, arn, group),
                Map.of("X-CSRF-TOKEN", csrf(requester))), 400,
                "does not allow requesting system:masters or its equivalent, and group " + group
                        + " may do everything on the cluster (allowed by ClusterRoleBinding");
        assertThat(jdbc.sql("SELECT count(*) FROM access_requests WHERE change->>'arn' = :arn").param("arn", arn)
                .query(Long.class).single()).as("nothing filed").isZero();
    }

    @Test
    void aPlanThatRemovesTheLastAdminMappingFailsWithTheReasonAndAnAdminCanRetry() {
        WebSession requester = signedIn("requester");
        WebSession.Page form = requester.get(base() + "/requests/new");
        WebSession.Page filed = requester.submit(form, "#request-form", Map.of("cluster", CLUSTER, "kind",
                "UNMAP_ROLE", "arn", ADMIN_ROLE, "justification", "remove the old admin role"));
        long id = Long.parseLong(filed.location().getPath().replaceAll(".*/requests/", ""));
        Document failed = review(signedIn("approver"), id, "APPROVE", "ok");
        assertThat(failed.selectFirst("#request-state").attr("data-state")).isEqualTo("FAILED");
        assertThat(failed.selectFirst("#request-outcome").text())
                .contains("refused").contains("last mapping into a cluster-admin group");
        assertThat(mapRoles()).contains(ADMIN_ROLE);

        // The service decides who may apply (the URL lets every signed-in person reach it).
        // (The flash of the filing, whose redirect was not followed, is shown first.)
        String notAllowed = requester.follow(requester.post(base() + "/requests/" + id + "/apply",
                Map.of("_csrf", csrf(requester)))).html().text() + requester.get(base() + "/requests/" + id).html().text();
        assertThat(notAllowed).contains("only an admin can retry a failed apply");
        assertThat(requests(id).state()).isEqualTo(RequestState.FAILED);

        WebSession admin = signedIn("admin");
        WebSession.Page page = admin.get(base() + "/requests/" + id);
        assertThat(page.html().selectFirst("#request-retry")).isNotNull();
        Document retried = admin.follow(admin.submit(page, "form:has(#request-retry)", Map.of())).html();
        assertThat(retried.selectFirst("#request-state").attr("data-state")).isEqualTo("FAILED");
        assertThat(actions(id).stream().filter(a -> a.equals("REQUEST_FAILED"))).hasSize(2);
        assertThat(mapRoles()).contains(ADMIN_ROLE);
    }

    @Test
    void aPolicyWithoutAutomaticApplyWaitsForAnApproversClick() {
        WebSession admin = signedIn("admin");
        WebSession.Page policyForm = admin.get(base() + "/admin/policies/" + CLUSTER);
        WebSession.Page saved = admin.submit(policyForm, "#policy-form", Map.of("approvalsNeeded", "1",
                "approverRoles", "APPROVER", "approverGroups", "", "maxGrantHours", "48", "requestTtlHours", "24",
                "allowMasters", "false", "autoApply", "false"));
        assertThat(saved.isRedirect()).as(saved.body()).isTrue();
        try {
            assertThat(admin.get(base() + "/admin/policies").html().select("#policy-" + CLUSTER).text())
                    .contains("2 days").contains("on an approver's click");
            assertThat(jdbc.sql("SELECT count(*) FROM audit_events WHERE action = 'APPROVAL_POLICY_CHANGED'")
                    .query(Long.class).single()).isPositive();
            assertThat(signedIn("approver").get(base() + "/admin/policies").status()).isEqualTo(403);

            WebSession requester = signedIn("requester");
            WebSession.Page form = requester.get(base() + "/requests/new");
            Document tooLong = requester.submit(form, "#request-form", Map.of("cluster", CLUSTER, "kind", "MAP_ROLE",
                    "arn", roleArn("long"), "username", "l:{{SessionName}}", "groups", "readers", "duration", "72",
                    "justification", "long")).html();
            assertThat(tooLong.text()).contains("allows grants of at most 2 days");

            String arn = roleArn("click");
            long id = fileViaPage(requester, arn, "c:{{SessionName}}", "readers", "24", "click");
            WebSession approver = signedIn("approver");
            Document approved = review(approver, id, "APPROVE", "go");
            assertThat(approved.selectFirst("#request-state").attr("data-state")).isEqualTo("APPROVED");
            assertThat(mapRoles()).doesNotContain(arn);
            WebSession.Page page = approver.get(base() + "/requests/" + id);
            Document applied = approver.follow(approver.submit(page, "form:has(#request-apply)", Map.of())).html();
            assertThat(applied.selectFirst("#request-state").attr("data-state")).isEqualTo("APPLIED");
            assertThat(mapRoles()).contains(arn);
        } finally {
            policies.save(ApprovalPolicy.defaults(CLUSTER), adminPerson());
        }
    }

    @Test
    void aRequestLeftApplyingByADeadReplicaIsFinishedByTheJob() {
        String arn = roleArn("crash");
        long id = fileViaPage(signedIn("requester"), arn, "c:{{SessionName}}", "readers", "", "crash");
        // As if a replica claimed the apply and died before writing anything.
        jdbc.sql("""
                        UPDATE access_requests SET state = 'APPLYING', updated_at = now() - interval '10 minutes'
                         WHERE id = :id""").param("id", id).update();
        expiryJob.runNow();
        assertThat(requests(id).state()).isEqualTo(RequestState.APPLIED);
        assertThat(mapRoles()).contains(arn);
        assertThat(jdbc.sql("""
                        SELECT actor_subject FROM audit_events
                         WHERE action = 'REQUEST_APPLIED' AND details->>'requestId' = :id""")
                .param("id", Long.toString(id)).query(String.class).single()).isEqualTo("system:recovery");
    }

    // ---- undo from the history -----------------------------------------------------------------------

    /** An undo's way back would give the undone grant again without its end: refused, pointing at a new request. */
    @Test
    void anUndoCannotBeUndoneOnThePageOrInTheApiAndThePagePointsAtANewRequest() throws Exception {
        String arn = roleArn("undo-undo");
        WebSession requester = signedIn("requester");
        long grant = fileViaPage(requester, arn, "uu:{{SessionName}}", "readers", "1", "one hour");
        review(signedIn("approver"), grant, "APPROVE", "ok for an hour");
        WebSession.Page filed = requester.postJson(base() + "/api/v1/requests/" + grant + "/undo",
                "{\"justification\":\"not needed after all\"}", Map.of("X-CSRF-TOKEN", csrf(requester)));
        assertThat(filed.status()).as(filed.body()).isEqualTo(201);
        long undo = JSON.readTree(filed.body()).get("id").asLong();
        review(signedIn("approver"), undo, "APPROVE", "fine");
        assertThat(requests(undo).state()).isEqualTo(RequestState.APPLIED);
        assertThat(requests(grant).state()).isEqualTo(RequestState.REVOKED);
        assertThat(mapRoles()).doesNotContain(arn);

        assertProblem(requester.postJson(base() + "/api/v1/requests/" + undo + "/undo",
                "{\"justification\":\"I want it back\"}", Map.of("X-CSRF-TOKEN", csrf(requester))), 409,
                "request #" + undo + " was itself the undo of request #" + grant);

        Document page = requester.get(base() + "/requests/" + undo).html();
        assertThat(page.selectFirst("#request-undo-form")).as("no undo of an undo offered").isNull();
        assertThat(page.selectFirst("#request-undo-of-undo").text()).contains("request #" + grant)
                .contains("file a new request");
        assertThat(page.selectFirst("#request-undo-of-undo-new").attr("href"))
                .as("prefilled with what the undone request asked, its duration included")
                .startsWith("/requests/new?cluster=" + CLUSTER + "&kind=MAP_ROLE&arn=").endsWith("&duration=1");
        // A hand-made POST (no button) is refused the same way, back on the request with the reason.
        WebSession.Page posted = requester.post(base() + "/requests/" + undo + "/undo",
                Map.of("justification", "I want it back"), Map.of("X-CSRF-TOKEN", csrf(requester)));
        assertThat(posted.location().getPath()).isEqualTo("/requests/" + undo);
        assertThat(requester.follow(posted).html().select(".notice.error").text())
                .contains("was itself the undo of request #" + grant);

        assertThat(jdbc.sql("SELECT count(*) FROM access_requests WHERE undoes = :id").param("id", undo)
                .query(Long.class).single()).as("nothing filed").isZero();
        assertThat(mapRoles()).doesNotContain(arn);
    }

    /**
     * A one-hour grant, then its mapping removed by a second request, then the grant's end (nothing left to
     * take back): the removal's way back is that grant's mapping, so its undo would give the ended grant
     * again, for good. Refused when filed, and at apply time for an undo filed while the grant still ran.
     */
    @Test
    void anUndoOfARemovalDoesNotBringBackAGrantThatHasEndedSince() throws Exception {
        String arn = roleArn("ended-grant");
        WebSession requester = signedIn("requester");
        WebSession approver = signedIn("approver");
        long grant = fileViaPage(requester, arn, "eg:{{SessionName}}", "readers", "1", "one hour");
        review(approver, grant, "APPROVE", "ok for an hour");
        String token = csrf(requester);
        WebSession.Page removal = requester.postJson(base() + "/api/v1/requests", """
                {"cluster":"%s","change":{"kind":"UNMAP_ROLE","arn":"%s"},"justification":"done early"}"""
                .formatted(CLUSTER, arn), Map.of("X-CSRF-TOKEN", token));
        assertThat(removal.status()).as(removal.body()).isEqualTo(201);
        long removed = JSON.readTree(removal.body()).get("id").asLong();
        review(approver, removed, "APPROVE", "fine");
        assertThat(requests(removed).state()).isEqualTo(RequestState.APPLIED);
        assertThat(mapRoles()).doesNotContain(arn);
        // Filed while the grant still runs (its way back would then end with the grant): allowed for now.
        WebSession.Page early = requester.postJson(base() + "/api/v1/requests/" + removed + "/undo",
                "{\"justification\":\"needed after all\"}", Map.of("X-CSRF-TOKEN", token));
        assertThat(early.status()).as(early.body()).isEqualTo(201);
        long earlyUndo = JSON.readTree(early.body()).get("id").asLong();

        jdbc.sql("UPDATE access_requests SET grant_ends_at = now() - interval '1 second' WHERE id = :id")
                .param("id", grant).update();
        expiryJob.runNow();
        assertThat(requests(grant).state()).isEqualTo(RequestState.REVOKED);

        review(approver, earlyUndo, "APPROVE", "approved after the grant ended");
        AccessRequest refusedAtApply = requests(earlyUndo);
        assertThat(refusedAtApply.state()).isEqualTo(RequestState.FAILED);
        assertThat(refusedAtApply.outcomeMessage()).contains("request #" + grant).contains("ended");
        assertThat(mapRoles()).as("the ended grant did not come back").doesNotContain(arn);

        assertProblem(requester.postJson(base() + "/api/v1/requests/" + removed + "/undo",
                "{\"justification\":\"I want it back\"}", Map.of("X-CSRF-TOKEN", token)), 409,
                "request #" + grant);
        Document page = requester.get(base() + "/requests/" + removed).html();
        assertThat(page.selectFirst("#request-undo-form")).as("no undo offered").isNull();
        assertThat(page.selectFirst("#request-undo-ended-source").text()).contains("request #" + grant)
                .contains("file a new request");
        assertThat(page.selectFirst("#request-undo-ended-source-new").attr("href"))
                .startsWith("/requests/new?cluster=" + CLUSTER + "&kind=MAP_ROLE&arn=").endsWith("&duration=1");
        assertThat(jdbc.sql("SELECT count(*) FROM access_requests WHERE undoes = :id").param("id", removed)
                .query(Long.class).single()).as("only the undo filed while the grant ran").isEqualTo(1);
        assertThat(mapRoles()).doesNotContain(arn);
    }

    /** The history says why: the API's undo takes {"justification"} with the page's rules, and both refuse none. */
    @Test
    void anUndoNeedsAJustificationInTheApiAndOnThePageAndKeepsWhatWasTyped() throws Exception {
        String arn = roleArn("undo-why");
        WebSession requester = signedIn("requester");
        long grant = fileViaPage(requester, arn, "uw:{{SessionName}}", "readers", "", "for good");
        review(signedIn("approver"), grant, "APPROVE", "ok");
        String token = csrf(requester);
        String url = base() + "/api/v1/requests/" + grant + "/undo";

        for (String body : List.of("", "{}", "{\"justification\":\"  \"}")) {
            WebSession.Page refused = requester.postJson(url, body, Map.of("X-CSRF-TOKEN", token));
            assertProblem(refused, 400, "a justification is required to undo request #" + grant);
            assertThat(JSON.readTree(refused.body()).get("field").asText()).isEqualTo("justification");
        }
        String tooLong = "y".repeat(RequestLimits.MAX_TEXT);
        assertProblem(requester.postJson(url, "{\"justification\":\"" + tooLong + "\"}", Map.of("X-CSRF-TOKEN", token)),
                400, "the justification is 4000 characters long; an undo's may be at most");
        assertProblem(requester.postJson(url, "{\"justificaton\":\"typo\"}", Map.of("X-CSRF-TOKEN", token)), 400,
                "unknown field \"justificaton\"");

        // The page's form without the browser's "required" check: refused beside the field, nothing filed.
        WebSession.Page page = requester.get(base() + "/requests/" + grant);
        Document blank = requester.submit(page, "#request-undo-form", Map.of("justification", " ")).html();
        assertThat(blank.selectFirst("#request-undo-justification-error").text())
                .contains("a justification is required to undo request #" + grant);
        Document long_ = requester.submit(page, "#request-undo-form", Map.of("justification", tooLong)).html();
        assertThat(long_.selectFirst("#request-undo-justification-error").text()).contains("at most");
        assertThat(long_.selectFirst("#request-undo-justification").text()).as("what was typed comes back")
                .isEqualTo(tooLong);
        assertThat(jdbc.sql("SELECT count(*) FROM access_requests WHERE undoes = :id").param("id", grant)
                .query(Long.class).single()).as("nothing refused was filed").isZero();

        WebSession.Page filed = requester.postJson(url, "{\"justification\":\"wrong group\"}",
                Map.of("X-CSRF-TOKEN", token));
        assertThat(filed.status()).as(filed.body()).isEqualTo(201);
        long undo = JSON.readTree(filed.body()).get("id").asLong();
        assertThat(requests(undo).justification()).isEqualTo("Undo of request #" + grant + ": wrong group");
        assertThat(jdbc.sql("""
                        SELECT details->>'justification' FROM audit_events
                         WHERE action = 'REQUEST_FILED' AND details->>'requestId' = :id""")
                .param("id", Long.toString(undo)).query(String.class).single())
                .isEqualTo("Undo of request #" + grant + ": wrong group");
    }

    // ---- expiry --------------------------------------------------------------------------------------

    @Test
    void anEndedGrantIsRevokedBySystemThroughTheApplyPath() {
        String arn = roleArn("temp");
        long id = fileViaPage(signedIn("requester"), arn, "temp:{{SessionName}}", "readers", "1", "one hour");
        review(signedIn("approver"), id, "APPROVE", "ok for an hour");
        assertThat(mapRoles()).contains(arn);

        jdbc.sql("UPDATE access_requests SET grant_ends_at = now() - interval '1 second' WHERE id = :id")
                .param("id", id).update();
        expiryJob.runNow();

        AccessRequest revoked = requests(id);
        assertThat(revoked.state()).isEqualTo(RequestState.REVOKED);
        assertThat(mapRoles()).doesNotContain(arn).contains(ADMIN_ROLE);
        assertThat(jdbc.sql("""
                        SELECT actor_subject FROM audit_events
                         WHERE action = 'REQUEST_REVOKED' AND details->>'requestId' = :id""")
                .param("id", Long.toString(id)).query(String.class).single()).isEqualTo("system:expiry");
        assertThat(jdbc.sql("SELECT link FROM notification_outbox WHERE request_id = :id AND type = 'GRANT_EXPIRING'")
                .param("id", id).query(String.class).single())
                .startsWith("/requests/new?cluster=" + CLUSTER + "&kind=MAP_ROLE&arn=");
    }

    /**
     * A one-hour grant of a group, then a permanent request adding another group to the same mapping: the
     * grant's end takes back only its own group; the permanent one stays, and the outcome says what went,
     * what stayed and why.
     */
    @Test
    void aGrantsEndTakesBackOnlyItsOwnGroupAndKeepsALaterPermanentChange() {
        String arn = roleArn("tb-kept");
        long grant = fileViaPage(signedIn("requester"), arn, "tb:{{SessionName}}", "readers", "1", "one hour");
        review(signedIn("approver"), grant, "APPROVE", "ok for an hour");
        long permanent = fileViaPage(signedIn("requester"), arn, "tb:{{SessionName}}", "readers,deployers", "", "for good");
        review(signedIn("approver"), permanent, "APPROVE", "ok");
        assertThat(mappingOf(arn).groups()).containsExactly("readers", "deployers");

        jdbc.sql("UPDATE access_requests SET grant_ends_at = now() - interval '1 second' WHERE id = :id")
                .param("id", grant).update();
        expiryJob.runNow();

        assertThat(mappingOf(arn).groups()).as("the permanent change survives the grant's end").containsExactly("deployers");
        AccessRequest ended = requests(grant);
        assertThat(ended.state()).isEqualTo(RequestState.REVOKED);
        assertThat(ended.revokeMessage()).contains("taken back in part; kept: group deployers of " + arn + ", added since")
                .contains("taken back: group readers of " + arn);
        assertThat(jdbc.sql("""
                        SELECT details->>'message' FROM audit_events
                         WHERE action = 'REQUEST_REVOKED' AND details->>'requestId' = :id""")
                .param("id", Long.toString(grant)).query(String.class).single())
                .contains("kept: group deployers").contains("taken back: group readers");
        assertThat(requests(permanent).state()).isEqualTo(RequestState.APPLIED);
    }

    /**
     * Two one-hour grants stacked on one mapping (the second adds a group), the first ending first: its end
     * keeps the second's group; the second's end then leaves nothing of either (its way back no longer
     * restores the mapping as the first grant left it: audited as handed over).
     */
    @Test
    void twoStackedGrantsEndingFirstToLastLeaveNothingBehind() {
        String arn = roleArn("stacked");
        long first = fileViaPage(signedIn("requester"), arn, "st:{{SessionName}}", "readers", "1", "one hour");
        review(signedIn("approver"), first, "APPROVE", "ok");
        long second = fileViaPage(signedIn("requester"), arn, "st:{{SessionName}}", "readers,deployers", "1", "one hour");
        review(signedIn("approver"), second, "APPROVE", "ok");

        jdbc.sql("UPDATE access_requests SET grant_ends_at = now() - interval '1 second' WHERE id = :id")
                .param("id", first).update();
        expiryJob.runNow();
        assertThat(mappingOf(arn).groups()).containsExactly("deployers");

        jdbc.sql("UPDATE access_requests SET grant_ends_at = now() - interval '1 second' WHERE id = :id")
                .param("id", second).update();
        expiryJob.runNow();
        assertThat(requests(second).state()).isEqualTo(RequestState.REVOKED);
        assertThat(mapRoles()).as("no mapping left by grants that are both over").doesNotContain(arn);
        assertThat(jdbc.sql("""
                        SELECT details->>'wayBackHandedTo' FROM audit_events
                         WHERE action = 'REQUEST_REVOKED' AND details->>'requestId' = :id""")
                .param("id", Long.toString(first)).query(String.class).single()).isEqualTo("#" + second);
    }

    /**
     * A one-hour grant, then a permanent request for exactly that mapping (it finds it in place, writes
     * nothing and stores no way back): the ConfigMap cannot show it, yet the grant's end must not take away
     * what is now asked for without an end.
     */
    @Test
    void aPermanentRequestForWhatAGrantGaveKeepsItAfterTheGrantsEnd() {
        String arn = roleArn("claimed");
        long grant = fileViaPage(signedIn("requester"), arn, "cl:{{SessionName}}", "readers", "1", "one hour");
        review(signedIn("approver"), grant, "APPROVE", "ok");
        long permanent = fileViaPage(signedIn("requester"), arn, "cl:{{SessionName}}", "readers", "", "for good");
        review(signedIn("approver"), permanent, "APPROVE", "ok");
        assertThat(requests(permanent).inverse()).as("found in place").isNull();

        jdbc.sql("UPDATE access_requests SET grant_ends_at = now() - interval '1 second' WHERE id = :id")
                .param("id", grant).update();
        expiryJob.runNow();

        assertThat(mappingOf(arn).groups()).as("still asked for, for good").containsExactly("readers");
        AccessRequest ended = requests(grant);
        assertThat(ended.state()).isEqualTo(RequestState.REVOKED);
        assertThat(ended.revokeMessage()).startsWith("the grant ended; nothing taken back; request #" + permanent + " asked for the same access");
    }

    /**
     * Two grants of exactly the same mapping: the second finds it in place, stores no way back and (having
     * nothing to take back) is recorded without an end, so its row looked like a permanent request's; the
     * first's end then took nothing back and the access, asked for twice with an end, stayed for good. Now
     * the first's way back, and an end, go to the second: the access stays until the second's end, then goes.
     */
    @Test
    void aSecondGrantOfWhatAGrantGaveDoesNotKeepItForGood() {
        String arn = roleArn("same-twice");
        long first = fileViaPage(signedIn("requester"), arn, "s2:{{SessionName}}", "readers", "1", "one hour");
        review(signedIn("approver"), first, "APPROVE", "ok");
        long second = fileViaPage(signedIn("requester"), arn, "s2:{{SessionName}}", "readers", "8", "a working day");
        review(signedIn("approver"), second, "APPROVE", "ok");
        assertThat(requests(second).inverse()).as("found in place").isNull();

        jdbc.sql("UPDATE access_requests SET grant_ends_at = now() - interval '1 second' WHERE id = :id")
                .param("id", first).update();
        expiryJob.runNow();
        assertThat(requests(first).state()).isEqualTo(RequestState.REVOKED);
        assertThat(requests(first).revokeMessage()).contains("request #" + second + " asked for the same access")
                .contains("until that grant's end");
        assertThat(mappingOf(arn).groups()).as("the second grant still runs").containsExactly("readers");
        AccessRequest running = requests(second);
        assertThat(running.inverse()).as("the first's way back is the second's now").isNotNull();
        assertThat(running.grantEndsAt()).as("its own end").isAfter(java.time.Instant.now().plusSeconds(7 * 3600));

        jdbc.sql("UPDATE access_requests SET grant_ends_at = now() - interval '1 second' WHERE id = :id")
                .param("id", second).update();
        expiryJob.runNow();
        assertThat(requests(second).state()).isEqualTo(RequestState.REVOKED);
        assertThat(mapRoles()).as("no request asked for it without an end").doesNotContain(arn);
    }

    /**
     * A grant whose group someone else replaced since (a permanent request): at its end there is nothing of
     * it left to take back, so nothing is removed (the old way back removed the whole mapping) and it says so.
     */
    @Test
    void aGrantsEndThatCannotBeUndoneCleanlyRemovesNothingAndSaysWhy() {
        String arn = roleArn("tb-gone");
        long grant = fileViaPage(signedIn("requester"), arn, "tg:{{SessionName}}", "readers", "1", "one hour");
        review(signedIn("approver"), grant, "APPROVE", "ok for an hour");
        long replaced = fileViaPage(signedIn("requester"), arn, "tg:{{SessionName}}", "auditors", "", "for good");
        review(signedIn("approver"), replaced, "APPROVE", "ok");

        jdbc.sql("UPDATE access_requests SET grant_ends_at = now() - interval '1 second' WHERE id = :id")
                .param("id", grant).update();
        expiryJob.runNow();

        assertThat(mappingOf(arn).groups()).as("nothing wrong is removed").containsExactly("auditors");
        AccessRequest ended = requests(grant);
        assertThat(ended.state()).isEqualTo(RequestState.REVOKED);
        assertThat(ended.revokeMessage()).startsWith("the grant ended; nothing taken back; ")
                .contains("group readers of " + arn + " it gave was removed since")
                .contains("group auditors of " + arn + ", added since");
    }

    /**
     * A grant on a cluster that is then removed, and a new cluster registered under the same name: the
     * grant's end is closed at the removal (nothing revoked, said so) and never fires on the newcomer.
     */
    @Test
    void aGrantOfARemovedClusterNeverEndsOnANewClusterRegisteredUnderItsName() throws Exception {
        String name = "req-again-" + SEQUENCE.incrementAndGet();
        Path config = apiServer.kubeconfigFor(name).toAbsolutePath();
        registry.add(AuditActor.system("test"), name, config.toString(), name);
        try {
            String arn = roleArn("removed-cluster");
            WebSession requester = signedIn("requester");
            WebSession.Page filed = requester.postJson(base() + "/api/v1/requests", """
                    {"cluster":"%s","change":{"kind":"MAP_ROLE","arn":"%s","username":"rc:{{SessionName}}","groups":["readers"]},\
                    "justification":"one hour","durationHours":1}""".formatted(name, arn), Map.of("X-CSRF-TOKEN", csrf(requester)));
            assertThat(filed.status()).as(filed.body()).isEqualTo(201);
            long grant = JSON.readTree(filed.body()).get("id").asLong();
            assertThat(reviewViaApi(signedIn("approver"), grant, "APPROVE", "ok").status()).isEqualTo(200);
            assertThat(requests(grant).state()).isEqualTo(RequestState.APPLIED);

            registry.remove(AuditActor.system("test"), name);
            registry.add(AuditActor.system("test"), name, config.toString(), name);
            jdbc.sql("UPDATE access_requests SET grant_ends_at = now() - interval '1 second' WHERE id = :id")
                    .param("id", grant).update();
            expiryJob.runNow();

            assertThat(mapRoles()).as("nothing was revoked on the newcomer").contains(arn);
            AccessRequest closed = requests(grant);
            assertThat(closed.state()).isEqualTo(RequestState.REVOKED);
            assertThat(closed.revokeMessage()).startsWith("cluster removed; nothing revoked");
            assertThat(closed.cluster()).startsWith(name + " (removed ");
            assertThat(jdbc.sql("SELECT count(*) FROM apply_intents WHERE cluster = :c AND request_id = :id")
                    .param("c", name).param("id", grant).query(Long.class).single())
                    .as("no intent for the old grant on the newcomer").isZero();
        } finally {
            registry.remove(AuditActor.system("test"), name);
        }
    }

    @Test
    void aCrashAfterTheWriteIsRecoveredWithTheWayBackPlannedBeforeItAndTheGrantStillEnds() {
        String arn = roleArn("late");
        long id = fileViaPage(signedIn("requester"), arn, "late:{{SessionName}}", "readers", "1", "one hour");
        review(signedIn("approver"), id, "APPROVE", "ok for an hour");
        assertThat(mapRoles()).contains(arn);
        // As if the process died after the ConfigMap update and before the outcome was recorded.
        jdbc.sql("""
                        UPDATE access_requests SET state = 'APPLYING', updated_at = now() - interval '10 minutes',
                               applied_at = NULL, grant_ends_at = NULL, inverse_change = NULL WHERE id = :id""")
                .param("id", id).update();
        jdbc.sql("UPDATE apply_intents SET state = 'PENDING', status = NULL, finished_at = NULL WHERE request_id = :id")
                .param("id", id).update();

        AccessRequest recovered = Eventually.await("recovery to finish request #" + id, Duration.ofSeconds(60), () -> {
            expiryJob.runNow();
            return requests(id);
        }, r -> r.state() == RequestState.APPLIED);
        assertThat(recovered.inverse()).as("the way back planned before the write")
                .isEqualTo(new io.eksaccess.console.apply.MappingChange.UnmapRole(arn,
                        new io.eksaccess.console.apply.MappingChange.Granted("late:{{SessionName}}", List.of("readers"))));
        assertThat(recovered.grantEndsAt()).isNotNull();

        jdbc.sql("UPDATE access_requests SET grant_ends_at = now() - interval '1 second' WHERE id = :id")
                .param("id", id).update();
        expiryJob.runNow();
        assertThat(requests(id).state()).isEqualTo(RequestState.REVOKED);
        assertThat(mapRoles()).as("the grant really ended").doesNotContain(arn).contains(ADMIN_ROLE);
        assertThat(actions(id)).containsSubsequence("REQUEST_APPLIED", "AWS_AUTH_APPLY/INTENT", "AWS_AUTH_APPLY/SUCCESS",
                "REQUEST_REVOKED");
    }

    @Test
    void aRequestForAccessThatAlreadyExistedSaysSoAndTakesNothingBackAtTheEnd() {
        String arn = roleArn("had");
        long permanent = fileViaPage(signedIn("requester"), arn, "had:{{SessionName}}", "readers", "", "for good");
        review(signedIn("approver"), permanent, "APPROVE", "ok");
        long again = fileViaPage(signedIn("requester"), arn, "had:{{SessionName}}", "readers", "2", "for a while");
        Document page = review(signedIn("approver"), again, "APPROVE", "ok");

        AccessRequest applied = requests(again);
        assertThat(applied.state()).isEqualTo(RequestState.APPLIED);
        assertThat(applied.inverse()).isNull();
        assertThat(applied.grantEndsAt()).as("nothing to take back, so no end to enforce").isNull();
        assertThat(applied.outcomeMessage()).contains("existed before").contains("nothing will be taken back");
        assertThat(page.text()).contains("nothing will be taken back at the end");
        expiryJob.runNow();
        assertThat(mapRoles()).contains(arn);
        assertThat(requests(permanent).state()).isEqualTo(RequestState.APPLIED);
    }

    @Test
    void anUnreviewedRequestExpiresAfterItsTimeToLive() {
        long id = fileViaPage(signedIn("requester"), roleArn("slow"), "s:{{SessionName}}", "readers", "", "slow");
        jdbc.sql("UPDATE access_requests SET expires_at = now() - interval '1 second' WHERE id = :id")
                .param("id", id).update();
        expiryJob.runNow();
        assertThat(requests(id).state()).isEqualTo(RequestState.EXPIRED);
        assertThat(actions(id)).contains("REQUEST_EXPIRED");
        assertProblem(reviewViaApi(signedIn("approver"), id, "APPROVE", "late"), 409, "already expired");
    }

    // ---- break-glass -------------------------------------------------------------------------------

    @Test
    void breakGlassAppliesWithAReasonAndIsFlaggedAndAudited() {
        WebSession admin = signedIn("admin");
        String arn = roleArn("urgent");
        WebSession.Page form = admin.get(base() + "/admin/break-glass");
        Document preview = admin.post(base() + "/admin/break-glass", Map.of("cluster", CLUSTER, "kind", "MAP_ROLE",
                "arn", arn, "username", "oncall:{{SessionName}}", "groups", "system:masters", "reason", ""),
                Map.of("HX-Request", "true", "X-CSRF-TOKEN", form.csrfToken())).html();
        assertThat(preview.select("#preview-diff .add").text()).contains(arn);
        assertThat(preview.select("[data-finding=AWSAUTH-002]")).hasSize(1);
        assertThat(preview.select("#preview-policy")).as("the approval policy does not limit break-glass").isEmpty();
        assertThat(mapRoles()).doesNotContain(arn);
        assertThat(signedIn("approver").get(base() + "/admin/break-glass").status()).isEqualTo(403);
        Document noReason = admin.submit(form, "#break-glass-form", Map.of("cluster", CLUSTER, "kind", "MAP_ROLE",
                "arn", arn, "username", "oncall:{{SessionName}}", "groups", "readers", "reason", " ")).html();
        assertThat(noReason.text()).contains("break-glass needs a reason");
        assertThat(mapRoles()).doesNotContain(arn);

        Document done = admin.follow(admin.submit(form, "#break-glass-form", Map.of("cluster", CLUSTER, "kind",
                "MAP_ROLE", "arn", arn, "username", "oncall:{{SessionName}}", "groups", "readers", "reason",
                "prod is down, on-call needs access"))).html();
        assertThat(done.selectFirst("#request-state").attr("data-state")).isEqualTo("APPLIED");
        assertThat(mapRoles()).contains(arn);
        long id = Long.parseLong(done.location().replaceAll(".*/requests/", ""));
        assertThat(requests(id).breakGlass()).isTrue();
        assertThat(actions(id)).contains("BREAK_GLASS_APPLIED", "AWS_AUTH_APPLY/INTENT", "AWS_AUTH_APPLY/SUCCESS");

        // Without the explicit override, break-glass still may not remove the last admin mapping...
        Document refused = admin.follow(admin.submit(form, "#break-glass-form", Map.of("cluster", CLUSTER, "kind",
                "UNMAP_ROLE", "arn", ADMIN_ROLE, "reason", "cleanup", "overrideLockout", "false"))).html();
        assertThat(refused.selectFirst("#request-state").attr("data-state")).isEqualTo("FAILED");
        assertThat(refused.selectFirst("#request-outcome").text()).contains("last mapping into a cluster-admin group");
        assertThat(mapRoles()).contains(ADMIN_ROLE);

        // ...with the confirmed override it may, and putting the mapping back is break-glass too.
        Document overridden = admin.follow(admin.submit(form, "#break-glass-form", Map.of("cluster", CLUSTER, "kind",
                "UNMAP_ROLE", "arn", ADMIN_ROLE, "reason", "rotate the admin role", "overrideLockout", "true")))
                .html();
        assertThat(overridden.selectFirst("#request-state").attr("data-state")).isEqualTo("APPLIED");
        assertThat(mapRoles()).doesNotContain(ADMIN_ROLE);
        Document restored = admin.follow(admin.submit(form, "#break-glass-form", Map.of("cluster", CLUSTER, "kind",
                "MAP_ROLE", "arn", ADMIN_ROLE, "username", "admin:{{SessionName}}", "groups", "system:masters",
                "reason", "restore the admin role", "overrideLockout", "false"))).html();
        assertThat(restored.selectFirst("#request-state").attr("data-state")).isEqualTo("APPLIED");
        assertThat(mapRoles()).contains(ADMIN_ROLE);
    }

    // ---- the live preview ---------------------------------------------------------------------------

    @Test
    void livePreviewFlagsSystemMastersRefusesAssumedRoleArnsAndShowsTheDiffAndAccess() {
        WebSession requester = signedIn("requester");
        String token = csrf(requester);
        Map<String, String> htmx = Map.of("HX-Request", "true", "X-CSRF-TOKEN", token);
        // An assumed-role ARN never matches in aws-auth (AWSAUTH-005): refused as typed, with the ARN to use instead.
        Document session = requester.post(base() + "/requests/new", Map.of("cluster", CLUSTER, "kind", "MAP_ROLE",
                "arn", "arn:aws:sts::" + ACCOUNT + ":assumed-role/dev/alice", "username", "alice",
                "groups", "system:masters", "duration", "", "justification", ""), htmx).html();
        assertThat(session.select("#preview-input-problem").text()).as(session.html())
                .contains("is an assumed-role (session) ARN", "Use 'arn:aws:iam::" + ACCOUNT + ":role/dev'");
        Document risky = requester.post(base() + "/requests/new", Map.of("cluster", CLUSTER, "kind", "MAP_ROLE",
                "arn", "arn:aws:iam::" + ACCOUNT + ":role/dev", "username", "alice",
                "groups", "system:masters", "duration", "", "justification", ""), htmx).html();
        assertThat(risky.select("[data-finding=AWSAUTH-002]")).as(risky.html()).hasSize(1);
        assertThat(risky.select("#preview-policy").text()).contains("does not allow requesting system:masters");
        assertThat(risky.selectFirst("html > head > title")).as("a fragment, not a page").isNull();

        Eventually.await("the cluster cache", Duration.ofSeconds(60),
                () -> caches.cache(CLUSTER).map(ClusterCache::snapshot).orElse(null),
                s -> s != null && s.status().lastSyncedAt() != null);
        String arn = roleArn("preview");
        Document fine = requester.post(base() + "/requests/new", Map.of("cluster", CLUSTER, "kind", "MAP_ROLE",
                "arn", arn, "username", "p:{{SessionName}}", "groups", "readers", "duration", "8",
                "justification", ""), htmx).html();
        assertThat(fine.select("#preview-diff .add").text()).contains(arn);
        assertThat(fine.select("#preview-access").text()).contains("readers-view").contains("pods");
        assertThat(fine.select("#preview-policy")).isEmpty();
        assertThat(mapRoles()).as("a preview writes nothing").doesNotContain(arn);
        // Previews run as people type: they answer from the cluster's cached RBAC index (built at
        // most once here, if a change reached the cache meanwhile), not from one built per keystroke.
        long builds = indexes.builds();
        long views = indexes.views();
        for (String username : List.of("p", "p:", "p:{", "p:{{", "p:{{SessionName}}")) {
            Document typed = requester.post(base() + "/requests/new", Map.of("cluster", CLUSTER, "kind", "MAP_ROLE",
                    "arn", arn, "username", username, "groups", "readers", "duration", "8", "justification", ""), htmx).html();
            assertThat(typed.select("#preview-access").text()).contains("readers-view");
        }
        assertThat(indexes.views() - views).isGreaterThanOrEqualTo(5);
        assertThat(indexes.builds() - builds).isLessThanOrEqualTo(1);

        Document suggested = requester.get(base() + "/requests/new?cluster=" + CLUSTER
                + "&kind=MAP_ROLE&arn=arn:aws:iam::" + ACCOUNT + ":role/Dev&groups=a,b").html();
        assertThat(suggested.selectFirst("#request-username").val()).isEqualTo("Dev:{{SessionName}}");
        assertThat(suggested.selectFirst("#request-groups").val()).isEqualTo("a,b");
        assertThat(suggested.selectFirst("#request-cluster option[selected]").val()).isEqualTo(CLUSTER);
    }

    // ---- the JSON API --------------------------------------------------------------------------------

    @Test
    void apiWithBearerTokensFilesAndApprovesWithoutASessionOrCsrf() throws Exception {
        // Automation signs in as a program: tokens from the issuer's own authorization-code flow.
        String requesterToken = BearerTokens.fromDemoIssuer(base(), "requester").accessToken();
        String approverToken = BearerTokens.fromDemoIssuer(base(), "approver").accessToken();
        String arn = roleArn("bearer");
        WebSession program = new WebSession();
        WebSession.Page filed = program.postJson(base() + "/api/v1/requests", """
                {"cluster":"%s","change":{"kind":"MAP_ROLE","arn":"%s","username":"ci:{{SessionName}}",
                 "groups":["readers"]},"justification":"pipeline access"}""".formatted(CLUSTER, arn),
                Map.of("Authorization", "Bearer " + requesterToken));
        assertThat(filed.status()).as(filed.body()).isEqualTo(201);
        long id = JSON.readTree(filed.body()).get("id").asLong();
        assertThat(actor(id, "REQUEST_FILED")).isEqualTo("Rita Requester");

        assertProblem(program.postJson(base() + "/api/v1/requests/" + id + "/reviews",
                "{\"decision\":\"APPROVE\",\"comment\":\"mine\"}", Map.of("Authorization", "Bearer " + requesterToken)),
                403, "you cannot review your own request");
        WebSession.Page approved = new WebSession().postJson(base() + "/api/v1/requests/" + id + "/reviews",
                "{\"decision\":\"APPROVE\",\"comment\":\"ok for CI\"}",
                Map.of("Authorization", "Bearer " + approverToken));
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        JsonNode state = JSON.readTree(new WebSession().get(base() + "/api/v1/requests/" + id,
                Map.of("Authorization", "Bearer " + requesterToken, "Accept", "application/json")).body());
        assertThat(state.get("state").asText()).isEqualTo("APPLIED");
        assertThat(state.at("/reviews/0/decision").asText()).isEqualTo("APPROVE");
        assertThat(mapRoles()).contains("rolearn: " + arn).contains("ci:{{SessionName}}");
    }

    @Test
    void someoneElsesRequestAnswersExactlyLikeAMissingOne() throws Exception {
        Person other = new Person("someone-else", "Sam Else", EnumSet.of(ConsoleRole.REQUESTER), List.of(), null);
        long theirs = repository.insert(CLUSTER, other, MappingChangeJson.write(
                        new io.eksaccess.console.apply.MappingChange.UnmapRole(roleArn("theirs"))), "theirs", null,
                RequestState.PENDING, false, false, 1, java.time.Instant.now().plus(Duration.ofHours(1)));
        long missing = theirs + 100_000;
        WebSession requester = signedIn("requester");
        String token = csrf(requester);
        for (String path : List.of("", "/cancel", "/reviews")) {
            WebSession.Page existing = path.isEmpty() ? requester.getJson(base() + "/api/v1/requests/" + theirs)
                    : requester.postJson(base() + "/api/v1/requests/" + theirs + path,
                            "{\"decision\":\"APPROVE\",\"comment\":\"x\"}", Map.of("X-CSRF-TOKEN", token));
            WebSession.Page absent = path.isEmpty() ? requester.getJson(base() + "/api/v1/requests/" + missing)
                    : requester.postJson(base() + "/api/v1/requests/" + missing + path,
                            "{\"decision\":\"APPROVE\",\"comment\":\"x\"}", Map.of("X-CSRF-TOKEN", token));
            if (!path.equals("/reviews")) {
                assertThat(absent.status()).as(path + ": " + absent.body()).isEqualTo(404);
            }
            assertThat(existing.status()).as(path + ": " + existing.body()).isEqualTo(absent.status());
            assertThat(JSON.readTree(existing.body()).get("detail").asText().replace(Long.toString(theirs), "N"))
                    .isEqualTo(JSON.readTree(absent.body()).get("detail").asText().replace(Long.toString(missing), "N"));
        }
        assertThat(requester.get(base() + "/requests/" + theirs).status()).isEqualTo(404);
    }

    @Test
    void apiFilesShowsCancelsAndAnswersWithProblemDetails() throws Exception {
        WebSession requester = signedIn("requester");
        String token = csrf(requester);
        String arn = roleArn("api");
        WebSession.Page filed = requester.postJson(base() + "/api/v1/requests", """
                {"cluster":"%s","change":{"kind":"MAP_ROLE","arn":"%s","username":"api:{{SessionName}}",
                 "groups":["readers"]},"justification":"automation","durationHours":4}""".formatted(CLUSTER, arn),
                Map.of("X-CSRF-TOKEN", token));
        assertThat(filed.status()).as(filed.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(filed.body());
        long id = body.get("id").asLong();
        assertThat(body.get("state").asText()).isEqualTo("PENDING");
        assertThat(body.at("/change/groups/0").asText()).isEqualTo("readers");

        JsonNode shown = JSON.readTree(requester.getJson(base() + "/api/v1/requests/" + id).body());
        assertThat(shown.get("justification").asText()).isEqualTo("automation");
        assertThat(shown.get("reviews")).isEmpty();
        assertThat(shown.get("outcomeMessage").isNull()).isTrue();

        WebSession approver = signedIn("approver");
        assertProblem(approver.postJson(base() + "/api/v1/requests/" + id + "/cancel", "{}",
                Map.of("X-CSRF-TOKEN", csrf(approver))), 403, "only the person who filed");
        WebSession.Page cancelled = requester.postJson(base() + "/api/v1/requests/" + id + "/cancel", "{}",
                Map.of("X-CSRF-TOKEN", token));
        assertThat(JSON.readTree(cancelled.body()).get("state").asText()).isEqualTo("CANCELLED");
        assertThat(actions(id)).contains("REQUEST_CANCELLED");

        assertProblem(requester.postJson(base() + "/api/v1/requests", """
                {"cluster":"%s","change":{"kind":"MAP_ROLE","arn":"%s","username":"x","groups":[]},
                 "justification":"  "}""".formatted(CLUSTER, arn), Map.of("X-CSRF-TOKEN", token)),
                400, "a justification is required");
        assertProblem(requester.postJson(base() + "/api/v1/requests", """
                {"cluster":"%s","change":{"kind":"MAP_EVERYTHING","arn":"%s"},"justification":"j"}"""
                .formatted(CLUSTER, arn), Map.of("X-CSRF-TOKEN", token)), 400, "\"change.kind\" must be one of");
        assertProblem(requester.postJson(base() + "/api/v1/requests", """
                {"cluster":"%s","change":{"kind":"MAP_ROLE","arn":"%s","username":"x","groups":["system:masters"]},
                 "justification":"j"}""".formatted(CLUSTER, arn), Map.of("X-CSRF-TOKEN", token)),
                400, "does not allow requesting system:masters");
        assertProblem(requester.postJson(base() + "/api/v1/requests", "{not json",
                Map.of("X-CSRF-TOKEN", token)), 400, "not the JSON this endpoint takes");
        assertProblem(requester.getJson(base() + "/api/v1/requests/987654321"), 404, "there is no request #987654321");
        assertProblem(reviewViaApi(signedIn("approver"), id, "MAYBE", "hm"), 400, "\"decision\" must be");
    }

    // ---- escaping ------------------------------------------------------------------------------------

    @Test
    void hostileJustificationIsShownAsText() {
        String hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>";
        WebSession requester = signedIn("requester");
        long id = fileViaPage(requester, roleArn("xss"), "x:{{SessionName}}", "readers", "", hostile);
        WebSession.Page page = requester.get(base() + "/requests/" + id);
        assertThat(page.body()).doesNotContain("<script>alert").doesNotContain("<img src=x");
        assertThat(page.html().selectFirst("#request-justification-text").text()).isEqualTo(hostile);
        assertThat(page.html().select("#request-justification-text script, #request-justification-text img")).isEmpty();
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

    long fileViaPage(WebSession session, String arn, String username, String groups, String duration,
            String justification) {
        WebSession.Page form = session.get(base() + "/requests/new");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("cluster", CLUSTER);
        fields.put("kind", "MAP_ROLE");
        fields.put("arn", arn);
        fields.put("username", username);
        fields.put("groups", groups);
        fields.put("duration", duration);
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

    WebSession.Page reviewViaApi(WebSession session, long id, String decision, String comment) {
        return reviewViaApi(session, csrf(session), id, decision, comment);
    }

    WebSession.Page reviewViaApi(WebSession session, String token, long id, String decision, String comment) {
        return session.postJson(base() + "/api/v1/requests/" + id + "/reviews",
                "{\"decision\":\"" + decision + "\",\"comment\":\"" + comment + "\"}", Map.of("X-CSRF-TOKEN", token));
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

    AccessRequest requests(long id) {
        return jdbc.sql("SELECT id FROM access_requests WHERE id = :id").param("id", id).query(Long.class)
                .optional().map(found -> repository().find(found).orElseThrow()).orElseThrow();
    }

    @Autowired
    RequestRepository repository;

    RequestRepository repository() {
        return repository;
    }

    /** The audit actions of one request in order; AWS_AUTH_APPLY and refusals with their outcome. */
    List<String> actions(long id) {
        return new ArrayList<>(jdbc.sql("""
                        SELECT action, outcome FROM audit_events WHERE details->>'requestId' = :id ORDER BY sequence""")
                .param("id", Long.toString(id))
                .query((rs, n) -> rs.getString(1).equals("AWS_AUTH_APPLY") || rs.getString(2).equals("DENIED")
                        ? rs.getString(1) + "/" + rs.getString(2) : rs.getString(1))
                .list());
    }

    String actor(long id, String action) {
        return jdbc.sql("SELECT actor_name FROM audit_events WHERE details->>'requestId' = :id AND action = :a")
                .param("id", Long.toString(id)).param("a", action).query(String.class).single();
    }

    io.eksaccess.console.awsauth.RoleMapping mappingOf(String arn) {
        return io.eksaccess.console.awsauth.AwsAuthParser.parse(Map.of("mapRoles", mapRoles())).roles().stream()
                .filter(r -> r.roleArn().equals(arn)).reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no mapping of " + arn + " in\n" + mapRoles()));
    }

    String mapRoles() {
        ConfigMap configMap = apiServer.adminClient().configMaps().inNamespace("kube-system").withName("aws-auth").get();
        return configMap.getData().getOrDefault("mapRoles", "");
    }

    static Person adminPerson() {
        return new Person("test-admin", "Test Admin", EnumSet.of(ConsoleRole.ADMIN), List.of(), null);
    }
}
