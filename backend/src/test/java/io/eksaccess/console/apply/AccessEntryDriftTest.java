package io.eksaccess.console.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.accessentry.AccessEntriesWritten;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.cluster.cache.AccessEntriesCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.notification.EndpointKind;
import io.eksaccess.console.notification.NotificationEndpoints;
import io.eksaccess.console.notification.WebhookReceiver;
import io.eksaccess.console.testsupport.ConsoleWithMotoEks;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.MotoServer;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.WebSession;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;

/**
 * Drift of access entries against the EKS double (moto with {@code moto/eks_access_entries.py}, a
 * real HTTP server): the first sync is the baseline; entries and associations changed straight
 * through the EKS API are recorded with a readable diff, audited, delivered to a real webhook and
 * shown on the cluster page, where only an admin adopts them; a change the console announces
 * ({@link AccessEntriesWritten}) is not drift, and one seen while an apply is in flight waits for it.
 * Syncs run only at start and on refresh (interval one hour), so each sync here is one the test asked for.
 */
@ConsoleWithMotoEks
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@RunsAlongside(seconds = 8)
@ResourceLock(ConsoleWithMotoEks.LOCK)
class AccessEntryDriftTest {

    static final MotoServer MOTO = MotoServer.get();
    static final Region REGION = Region.EU_CENTRAL_1;
    static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    static final String CLUSTER = "aedrift-" + System.nanoTime();
    static final String VIEWER = "arn:aws:iam::" + ACCOUNT + ":role/teams/Viewer";
    static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/alice";
    static final String BOB = "arn:aws:iam::" + ACCOUNT + ":user/bob";
    static final String VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    static final String CLUSTER_ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
    static final WebhookReceiver RECEIVER = WebhookReceiver.answering(200);

    static {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try (EksClient eks = eks()) {
            eks.createCluster(c -> c.name(CLUSTER).roleArn("arn:aws:iam::" + ACCOUNT + ":role/eks-cluster")
                    .resourcesVpcConfig(vpc -> vpc.subnetIds("subnet-1"))
                    .accessConfig(access -> access.authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)));
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn(VIEWER));
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(VIEWER).policyArn(VIEW)
                    .accessScope(s -> s.type("namespace").namespaces("dev")));
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn(ALICE).username("alice").kubernetesGroups("devs"));
        }
    }

    static EksClient eks() {
        return EksClient.builder().endpointOverride(MOTO.endpoint()).region(REGION).credentialsProvider(MOTO.credentials())
                .build();
    }

    static final AuditActor TEST_ADMIN = new AuditActor("test-admin", "Test Admin", null);
    static Long hook;

    /** The console is shared: its drift notifications stop with this class's receiver. */
    @AfterAll
    static void stop(@Autowired NotificationEndpoints endpoints) {
        if (hook != null) {
            endpoints.remove(TEST_ADMIN, hook);
        }
        RECEIVER.close();
    }

    @LocalServerPort int port;
    @Autowired ClusterCaches caches;
    @Autowired JdbcClient jdbc;
    @Autowired NotificationEndpoints endpoints;
    @Autowired ApplicationEventPublisher events;
    @Autowired AccessEntryDriftDetector detector;

    @Test
    @Order(1)
    void theFirstSyncIsTheBaselineNotDrift() {
        Eventually.await("the first sync's baseline", Duration.ofSeconds(90), this::baselineSource, "OBSERVED"::equals);
        assertThat(baselineEntries()).contains(VIEWER).contains(ALICE).doesNotContain(BOB);
        assertThat(driftCount()).isZero();
        assertThat(overview(signedIn("requester")).select("[data-testid=drift-none]")).hasSize(1);
    }

    @Test
    @Order(2)
    void entriesAndAssociationsChangedThroughTheEksApiAreDriftAuditedNotifiedAndShown() {
        hook = endpoints.add(TEST_ADMIN, new NotificationEndpoints.Form("drift-hook",
                EndpointKind.GENERIC_JSON.name(), RECEIVER.url("/hooks/drift"), List.of("DRIFT_DETECTED"), true, "", false));
        try (EksClient eks = eks()) {
            eks.updateAccessEntry(u -> u.clusterName(CLUSTER).principalArn(ALICE).username("alice-admin")
                    .kubernetesGroups("devs", "ops"));
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn(BOB));
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(BOB).policyArn(CLUSTER_ADMIN)
                    .accessScope(s -> s.type("cluster")));
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(VIEWER).policyArn(VIEW)
                    .accessScope(s -> s.type("namespace").namespaces("dev", "prod")));
        }
        assertThat(caches.refreshAccessEntries(CLUSTER)).isTrue();

        Eventually.await("the drift to be recorded", Duration.ofSeconds(60), this::driftCount, n -> n == 1);
        String diff = jdbc.sql("SELECT diff FROM drift_events WHERE cluster = :c AND resource = 'access-entries'")
                .param("c", CLUSTER).query(String.class).single();
        String bobUsername = "arn:aws:iam::" + ACCOUNT + ":user/bob"; // EKS's default username of a user
        assertThat(diff.split("\n")).containsExactly(
                // in principal ARN order (role/… before user/…), each entry's policies after it
                "~ policy AmazonEKSViewPolicy on " + VIEWER + ": namespaces dev → namespaces dev, prod",
                "~ access entry " + ALICE + ": username \"alice\" → \"alice-admin\"",
                "~ access entry " + ALICE + ": groups [devs] → [devs, ops]",
                "+ access entry " + BOB + ": type STANDARD, username \"" + bobUsername + "\", groups []",
                "+ policy AmazonEKSClusterAdminPolicy on " + BOB + ": cluster-wide");

        Map<String, Object> audit = jdbc.sql("""
                        SELECT actor_subject, resource, details->>'diff' AS diff FROM audit_events
                        WHERE action = 'DRIFT_DETECTED' AND cluster = :c""")
                .param("c", CLUSTER).query().singleRow();
        assertThat(audit.get("resource")).isEqualTo("access-entries");
        assertThat((String) audit.get("diff")).isEqualTo(diff);

        // The console is shared: the delivery about this cluster, whatever else another class's drift sent.
        WebhookReceiver.Received delivered = Eventually.await("the webhook delivery", Duration.ofSeconds(30),
                () -> RECEIVER.received().stream().filter(r -> r.body().contains("Access entries of " + CLUSTER)).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
        assertThat(delivered.body()).contains("DRIFT_DETECTED").contains("Access entries of " + CLUSTER)
                .contains("+ policy AmazonEKSClusterAdminPolicy on " + BOB);

        Element event = overview(signedIn("requester")).selectFirst("[data-testid=drift-event]");
        assertThat(event).isNotNull();
        assertThat(event.attr("data-resource")).isEqualTo("access-entries");
        assertThat(event.select("[data-testid=drift-resource]").text()).isEqualTo("Access entries");
        assertThat(event.select("[data-testid=drift-diff]").text()).contains(BOB).contains("alice-admin");
        assertThat(event.select("form[action$=/adopt]")).as("only admins see the adopt button").isEmpty();
    }

    @Test
    @Order(3)
    void onlyAnAdminAdoptsAndTheBaselineSaysSo() {
        long id = jdbc.sql("SELECT max(id) FROM drift_events WHERE cluster = :c").param("c", CLUSTER).query(Long.class).single();
        WebSession requester = signedIn("requester");
        String csrf = requester.get(base() + "/clusters/" + CLUSTER).csrfToken();
        assertThat(requester.post(base() + "/clusters/" + CLUSTER + "/drift/" + id + "/adopt", Map.of("_csrf", csrf))
                .status()).isEqualTo(403);
        assertThat(state(id)).isEqualTo("OPEN");

        WebSession admin = signedIn("admin");
        WebSession.Page page = admin.get(base() + "/clusters/" + CLUSTER);
        WebSession.Page adopted = admin.follow(admin.submit(page, "#drift-" + id + " form[action$=/adopt]", Map.of()));
        assertThat(adopted.status()).isEqualTo(200);
        assertThat(adopted.html().select("[data-testid=drift-event]")).isEmpty();
        assertThat(state(id)).isEqualTo("ADOPTED");
        assertThat(baselineSource()).isEqualTo("ADOPTED");
        assertThat(jdbc.sql("""
                        SELECT resource FROM audit_events WHERE action = 'DRIFT_ADOPTED' AND details->>'driftId' = :id""")
                .param("id", Long.toString(id)).query(String.class).single()).isEqualTo("access-entries");
    }

    @Test
    @Order(4)
    void aChangeTheConsoleAnnouncesIsNotDrift() {
        long drifts = driftCount();
        // What the request workflow's applier does: write, read back, then announce it.
        try (EksClient eks = eks()) {
            eks.deleteAccessEntry(d -> d.clusterName(CLUSTER).principalArn(BOB));
            eks.disassociateAccessPolicy(d -> d.clusterName(CLUSTER).principalArn(VIEWER).policyArn(VIEW));
        }
        Instant announced = Instant.now();
        events.publishEvent(new AccessEntriesWritten(CLUSTER, 4242L));

        Eventually.await("the baseline re-read after the console's write", Duration.ofSeconds(60), this::baselineSource,
                "APPLIED"::equals);
        assertThat(baselineEntries()).doesNotContain(BOB).doesNotContain(VIEW);
        // Another sync, compared against the new baseline, still finds nothing.
        assertThat(caches.refreshAccessEntries(CLUSTER)).isTrue();
        Eventually.await("a sync after the announcement", Duration.ofSeconds(60),
                () -> caches.accessEntries(CLUSTER).flatMap(AccessEntriesCache::entries).orElseThrow().syncedAt(),
                synced -> synced.isAfter(announced.plusMillis(1)) && baselineReadAfter(announced));
        assertThat(driftCount()).isEqualTo(drifts);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_events WHERE action = 'DRIFT_DETECTED' AND cluster = :c")
                .param("c", CLUSTER).query(Long.class).single()).isEqualTo(drifts);
    }

    @Test
    @Order(5)
    void aDifferenceSeenWhileTheConsoleIsWritingWaitsForItsAnnouncementAndIsDriftIfNoneCame() {
        long drifts = driftCount();
        // An apply in flight on this cluster (its intent is PENDING): what a sync sees now may be its write.
        long intent = jdbc.sql("""
                        INSERT INTO apply_intents (cluster, change, actor_subject) VALUES (:c, '{}'::jsonb, 'test')
                        RETURNING id""").param("c", CLUSTER).query(Long.class).single();
        String carol = "arn:aws:iam::" + ACCOUNT + ":user/carol";
        try (EksClient eks = eks()) {
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn(carol));
        }
        Instant changed = Instant.now();
        assertThat(caches.refreshAccessEntries(CLUSTER)).isTrue();
        var synced = Eventually.await("a sync after the change", Duration.ofSeconds(60),
                () -> caches.accessEntries(CLUSTER).flatMap(AccessEntriesCache::entries).orElseThrow(),
                entries -> entries.syncedAt().isAfter(changed)); // syncedAt is the read's start
        assertThat(detector.check(CLUSTER, synced)).as("deferred while the console writes").isZero();
        assertThat(driftCount()).isEqualTo(drifts);

        // The apply ended long enough ago and announced nothing: the difference is drift after all.
        jdbc.sql("UPDATE apply_intents SET state = 'DONE', finished_at = now() - INTERVAL '3 minutes' WHERE id = :id")
                .param("id", intent).update();
        Eventually.await("the drift to be recorded", Duration.ofSeconds(60), this::driftCount, n -> n == drifts + 1);
        assertThat(jdbc.sql("SELECT diff FROM drift_events WHERE cluster = :c ORDER BY id DESC LIMIT 1").param("c", CLUSTER)
                .query(String.class).single()).startsWith("+ access entry " + carol + ": type STANDARD");
    }

    @Test
    @Order(6)
    void entryDriftOffersRevertLinksThatFileOrdinaryRequestsBackToTheBaseline() throws Exception {
        long drifts = driftCount();
        String carol = "arn:aws:iam::" + ACCOUNT + ":user/carol"; // in the baseline since the drift before
        String dave = "arn:aws:iam::" + ACCOUNT + ":user/dave";
        try (EksClient eks = eks()) {
            eks.updateAccessEntry(u -> u.clusterName(CLUSTER).principalArn(ALICE).username("alice-root")
                    .kubernetesGroups("admins"));
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(VIEWER).policyArn(VIEW)
                    .accessScope(s -> s.type("cluster")));
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn(dave));
            eks.deleteAccessEntry(d -> d.clusterName(CLUSTER).principalArn(carol));
        }
        assertThat(caches.refreshAccessEntries(CLUSTER)).isTrue();
        Eventually.await("the drift to be recorded", Duration.ofSeconds(60), this::driftCount, n -> n == drifts + 1);
        long id = jdbc.sql("SELECT max(id) FROM drift_events WHERE cluster = :c").param("c", CLUSTER).query(Long.class).single();

        WebSession requester = signedIn("requester");
        Element event = overview(requester).selectFirst("#drift-" + id);
        assertThat(event).isNotNull();
        String form = "/requests/new?cluster=" + CLUSTER + "&kind=";
        assertThat(event.select("[data-testid=drift-revert]").eachAttr("href")).containsExactlyInAnyOrder(
                form + "DISASSOCIATE_ACCESS_POLICY&arn=" + encode(VIEWER) + "&policyArn=" + encode(VIEW),
                form + "UPDATE_ACCESS_ENTRY&arn=" + encode(ALICE) + "&username=alice-admin&groups=devs%2Cops",
                form + "DELETE_ACCESS_ENTRY&arn=" + encode(dave),
                form + "CREATE_ACCESS_ENTRY&arn=" + encode(carol) + "&type=STANDARD&username=" + encode(carol) + "&groups=");
        assertThat(event.select("[data-testid=drift-revert]").eachText())
                .contains("set the username and groups of " + ALICE + " back", "disassociate AmazonEKSViewPolicy from " + VIEWER);

        // Each link is an ordinary request: filed by a requester, approved by someone else, then applied.
        for (String kind : List.of("UPDATE_ACCESS_ENTRY", "DISASSOCIATE_ACCESS_POLICY")) {
            String href = event.select("[data-testid=drift-revert]").eachAttr("href").stream()
                    .filter(h -> h.contains("kind=" + kind + "&")).findFirst().orElseThrow();
            WebSession.Page prefilled = requester.get(base() + href);
            assertThat(prefilled.html().selectFirst("#request-kind option[selected]").attr("value")).isEqualTo(kind);
            // Selects are not sent by submit(): the cluster and kind as the prefilled form shows them.
            WebSession.Page filed = requester.submit(prefilled, "#request-form", Map.of("cluster", CLUSTER, "kind", kind,
                    "justification", "revert drift " + id));
            assertThat(filed.isRedirect()).as(filed.body()).isTrue();
            long request = Long.parseLong(filed.location().getPath().replaceAll(".*/", ""));
            assertThat(requestState(request)).isEqualTo("PENDING");
            WebSession approver = signedIn("approver");
            WebSession.Page approved = approver.postJson(base() + "/api/v1/requests/" + request + "/reviews",
                    "{\"decision\":\"APPROVE\",\"comment\":\"back to the baseline\"}",
                    Map.of("X-CSRF-TOKEN", approver.get(base() + "/requests").csrfToken()));
            assertThat(approved.body()).contains("\"state\":\"APPLIED\"");
        }
        try (EksClient eks = eks()) {
            var alice = eks.describeAccessEntry(d -> d.clusterName(CLUSTER).principalArn(ALICE)).accessEntry();
            assertThat(alice.username()).isEqualTo("alice-admin");
            assertThat(alice.kubernetesGroups()).containsExactlyInAnyOrder("devs", "ops");
            assertThat(eks.listAssociatedAccessPolicies(l -> l.clusterName(CLUSTER).principalArn(VIEWER))
                    .associatedAccessPolicies()).isEmpty();
        }
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private String requestState(long id) {
        return jdbc.sql("SELECT state FROM access_requests WHERE id = :id").param("id", id).query(String.class).single();
    }

    private boolean baselineReadAfter(Instant instant) {
        return jdbc.sql("SELECT read_started_at > :at FROM access_entry_baselines WHERE cluster = :c")
                .param("at", java.sql.Timestamp.from(instant)).param("c", CLUSTER).query(Boolean.class).single();
    }

    private String baselineSource() {
        return jdbc.sql("SELECT source FROM access_entry_baselines WHERE cluster = :c").param("c", CLUSTER)
                .query(String.class).optional().orElse("none");
    }

    private String baselineEntries() {
        return jdbc.sql("SELECT entries::text FROM access_entry_baselines WHERE cluster = :c").param("c", CLUSTER)
                .query(String.class).single();
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
        WebSession.Page page = Eventually.await("the cluster page", Duration.ofSeconds(30),
                () -> session.get(base() + "/clusters/" + CLUSTER), p -> p.status() == 200);
        return page.html();
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
