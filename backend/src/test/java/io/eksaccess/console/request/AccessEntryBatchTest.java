package io.eksaccess.console.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.AccessEntriesCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.EksAccessEntries;
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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AssociatedAccessPolicy;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;

/**
 * ACCESS_ENTRY_BATCH through the request workflow against the EKS API's HTTP double (moto with
 * moto/eks_access_entries.py): one batch filed by the API, shown item by item to the reviewer,
 * approved by someone else, applied under one intent and undone from the history as one request;
 * refusals at filing that name the item; an item EKS refuses at apply time taking the batch back
 * whole; and apply recovery finishing a batch a dead process left half-written.
 */
@ConsoleWithMotoEks
@RunsAlongside(seconds = 16)
@ResourceLock(ConsoleWithMotoEks.LOCK)
class AccessEntryBatchTest {

    static final MotoServer MOTO = MotoServer.get();
    static final Region REGION = Region.EU_NORTH_1;
    static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    static final String CLUSTER = "aeb-" + System.nanoTime();
    static final String ADMIN = "arn:aws:iam::" + ACCOUNT + ":role/platform/Admin";
    static final String PREFIX = "arn:aws:eks::aws:cluster-access-policy/";
    static final String VIEW = PREFIX + "AmazonEKSViewPolicy";
    static final String EDIT = PREFIX + "AmazonEKSEditPolicy";
    static final String CLUSTER_ADMIN = PREFIX + "AmazonEKSClusterAdminPolicy";
    static final AtomicLong SEQUENCE = new AtomicLong();
    static final ObjectMapper JSON = new ObjectMapper();
    /** An undo's body: the API takes a justification, as the page does. */
    static final String UNDO = "{\"justification\":\"taken back\"}";

    static {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try (EksClient eks = eks()) {
            eks.createCluster(c -> c.name(CLUSTER).roleArn("arn:aws:iam::" + ACCOUNT + ":role/eks-cluster")
                    .resourcesVpcConfig(vpc -> vpc.subnetIds("subnet-1"))
                    .accessConfig(access -> access.authenticationMode(AuthenticationMode.API)));
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn(ADMIN));
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(ADMIN).policyArn(CLUSTER_ADMIN)
                    .accessScope(s -> s.type("cluster")));
        }
    }

    static EksClient eks() {
        return EksClient.builder().endpointOverride(MOTO.endpoint()).region(REGION).credentialsProvider(MOTO.credentials())
                .build();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ClusterCaches caches;

    @Autowired
    ClusterRepository clusters;

    @Test
    void aBatchIsOneRequestReviewedItemByItemAppliedAndUndoneFromTheHistoryAsOne() throws Exception {
        String kept = entryFor("kept"); // pre-existing, viewing the cluster: the batch adds to it, the undo keeps it
        try (EksClient eks = eks()) {
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(kept).policyArn(VIEW)
                    .accessScope(s -> s.type("cluster")));
        }
        resync();
        String dev = role("dev");
        String ops = role("ops");
        long id = file("requester", """
                {"kind":"ACCESS_ENTRY_BATCH","changes":[
                  {"kind":"CREATE_ACCESS_ENTRY","principalArn":"%1$s","username":"dev:{{SessionName}}","kubernetesGroups":["devs"]},
                  {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%1$s","policyArn":"%4$s",
                   "accessScope":{"type":"namespace","namespaces":["dev"]}},
                  {"kind":"CREATE_ACCESS_ENTRY","principalArn":"%2$s","type":"STANDARD"},
                  {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%2$s","policyArn":"%5$s","accessScope":{"type":"cluster"}},
                  {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%3$s","policyArn":"%4$s","accessScope":{"type":"cluster"}},
                  {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%3$s","policyArn":"%5$s",
                   "accessScope":{"type":"namespace","namespaces":["ops"]}}]}""".formatted(dev, ops, kept, VIEW, EDIT));

        // The reviewer's page: one table of the six items, each with what its principal could do after the batch.
        Document page = signedIn("approver").get(base() + "/requests/" + id).html();
        assertThat(page.select("#request-batch tbody tr")).hasSize(6);
        assertThat(page.selectFirst("#request-batch tr[data-item=2]").text()).contains("associate AmazonEKSViewPolicy")
                .contains(dev).contains("AmazonEKSViewPolicy (namespaces dev)");
        assertThat(page.selectFirst("#request-batch tr[data-item=6]").text())
                .contains("AmazonEKSViewPolicy (cluster-wide)").contains("AmazonEKSEditPolicy (namespaces ops)");
        assertThat(page.select("#request-diff .add").eachText()).anySatisfy(l -> assertThat(l).startsWith("+ " + ops));
        assertThat(signedIn("requester").get(base() + "/requests").html().selectFirst("#request-row-" + id).text())
                .contains("Batch of access-entry changes").contains("a batch of 6 access-entry change(s)");

        JsonNode applied = approve(id);
        assertThat(applied.get("state").asText()).as(applied.toString()).isEqualTo("APPLIED");
        assertThat(applied.at("/change/kind").asText()).isEqualTo("ACCESS_ENTRY_BATCH");
        assertThat(applied.at("/change/changes").size()).isEqualTo(6);
        assertThat(applied.at("/change/changes/1/accessScope/namespaces/0").asText()).isEqualTo("dev");
        assertThat(entry(dev).orElseThrow().kubernetesGroups()).containsExactly("devs");
        assertThat(policies(dev)).containsExactly(VIEW);
        assertThat(policies(ops)).containsExactly(EDIT);
        assertThat(policies(kept)).containsExactlyInAnyOrder(VIEW, EDIT);
        assertThat(jdbc.sql("SELECT count(*) FROM apply_intents WHERE request_id = :id").param("id", id)
                .query(Long.class).single()).as("one intent for the whole batch").isEqualTo(1L);
        String items = jdbc.sql("""
                        SELECT details->>'items' FROM audit_events
                         WHERE action = 'ACCESS_ENTRY_APPLY' AND outcome = 'SUCCESS' AND details->>'requestId' = :id""")
                .param("id", Long.toString(id)).query(String.class).single();
        assertThat(items.lines()).hasSize(6).contains("change 5 of 6 (ASSOCIATE_ACCESS_POLICY " + kept + "): already in place")
                .anySatisfy(l -> assertThat(l).startsWith("change 1 of 6").endsWith("applied"));
        JsonNode inverse = JSON.readTree(inverse(id));
        assertThat(inverse.get("kind").asText()).isEqualTo("ACCESS_ENTRY_BATCH");
        assertThat(inverse.get("changes")).extracting(c -> c.get("kind").asText() + " " + c.get("principalArn").asText()
                + (c.has("policyArn") ? " " + c.get("policyArn").asText() : "")).containsExactly(
                "DISASSOCIATE_ACCESS_POLICY " + kept + " " + EDIT, "DISASSOCIATE_ACCESS_POLICY " + ops + " " + EDIT,
                "DELETE_ACCESS_ENTRY " + ops, "DISASSOCIATE_ACCESS_POLICY " + dev + " " + VIEW,
                "DELETE_ACCESS_ENTRY " + dev);

        // Undo from the history: one request carrying the batch's way back, approved like any other.
        resync();
        WebSession requester = signedIn("requester");
        WebSession.Page undo = requester.postJson(base() + "/api/v1/requests/" + id + "/undo", UNDO,
                Map.of("X-CSRF-TOKEN", requester.get(base() + "/requests").csrfToken()));
        assertThat(undo.status()).as(undo.body()).isEqualTo(201);
        JsonNode undoRequest = JSON.readTree(undo.body());
        assertThat(undoRequest.at("/change/kind").asText()).isEqualTo("ACCESS_ENTRY_BATCH");
        assertThat(undoRequest.get("justification").asText()).startsWith("Undo of request #" + id);
        assertThat(approve(undoRequest.get("id").asLong()).get("state").asText()).isEqualTo("APPLIED");
        assertThat(entry(dev)).isEmpty();
        assertThat(entry(ops)).isEmpty();
        assertThat(policies(kept)).as("what existed before the batch stays").containsExactly(VIEW);
        assertThat(policies(ADMIN)).containsExactly(CLUSTER_ADMIN);
    }

    /** A batch item's way back goes through the same write as a single change: it keeps what others added. */
    @Test
    void undoingABatchKeepsAccessAddedToItsEntriesSince() throws Exception {
        String later = role("later");
        String alone = role("alone");
        long id = file("requester", """
                {"kind":"ACCESS_ENTRY_BATCH","changes":[
                  {"kind":"CREATE_ACCESS_ENTRY","principalArn":"%s","kubernetesGroups":["devs"]},
                  {"kind":"CREATE_ACCESS_ENTRY","principalArn":"%s"}]}""".formatted(later, alone));
        assertThat(approve(id).get("state").asText()).isEqualTo("APPLIED");
        try (EksClient eks = eks()) { // access given since, outside this request
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(later).policyArn(VIEW)
                    .accessScope(s -> s.type("cluster")));
        }
        resync();

        WebSession requester = signedIn("requester");
        WebSession.Page undo = requester.postJson(base() + "/api/v1/requests/" + id + "/undo", UNDO,
                Map.of("X-CSRF-TOKEN", requester.get(base() + "/requests").csrfToken()));
        assertThat(undo.status()).as(undo.body()).isEqualTo(201);
        JsonNode undone = approve(JSON.readTree(undo.body()).get("id").asLong());
        assertThat(undone.get("state").asText()).as(undone.toString()).isEqualTo("APPLIED");
        assertThat(entry(alone)).as("what only the batch gave is gone").isEmpty();
        assertThat(entry(later)).as("an entry that gained access since stays").isPresent();
        assertThat(policies(later)).containsExactly(VIEW);
        assertThat(entry(later).orElseThrow().kubernetesGroups()).as("the batch's own groups are taken back").isEmpty();
    }

    @Test
    void aFilingIsRefusedWithTheItemNamedAndNothingIsFiled() throws Exception {
        WebSession requester = signedIn("requester");
        String fresh = role("fresh");
        String nowhere = role("nowhere");
        assertRefused(requester, """
                {"kind":"ACCESS_ENTRY_BATCH","changes":[
                  {"kind":"CREATE_ACCESS_ENTRY","principalArn":"%1$s"},
                  {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%2$s","policyArn":"%3$s","accessScope":{"type":"cluster"}},
                  {"kind":"CREATE_ACCESS_ENTRY","principalArn":"%1$s","username":"other"}]}""".formatted(fresh, nowhere, VIEW),
                "change 2 of 3 (ASSOCIATE_ACCESS_POLICY " + nowhere + "): There is no access entry");
        assertRefused(requester, """
                {"kind":"ACCESS_ENTRY_BATCH","changes":[
                  {"kind":"CREATE_ACCESS_ENTRY","principalArn":"%1$s"},
                  {"kind":"CREATE_ACCESS_ENTRY","principalArn":"%1$s"}]}""".formatted(fresh),
                "change 2 of 2 (CREATE_ACCESS_ENTRY " + fresh + "): change 1 of this batch already creates the entry");
        assertRefused(requester, """
                {"kind":"ACCESS_ENTRY_BATCH","changes":[
                  {"kind":"CREATE_ACCESS_ENTRY","principalArn":"%1$s"},
                  {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%1$s","policyArn":"%2$s","accessScope":{"type":"cluster"}}]}"""
                .formatted(fresh, CLUSTER_ADMIN), "change 2 of 2 (ASSOCIATE_ACCESS_POLICY " + fresh
                + "): the policy of " + CLUSTER + " does not allow requesting AmazonEKSClusterAdminPolicy");
        assertRefused(requester, """
                {"kind":"ACCESS_ENTRY_BATCH","changes":[{"kind":"CREATE_ACCESS_ENTRY","principalArn":"%s"}]}"""
                .formatted(ADMIN), "change 1 of 1 (CREATE_ACCESS_ENTRY " + ADMIN + "): the principal already has an access entry");
        assertRefused(requester, """
                {"kind":"ACCESS_ENTRY_BATCH","changes":[{"kind":"CREATE_ACCESS_ENTRY","principalArn":"%s"},
                  {"kind":"SET_AUTHENTICATION_MODE","authenticationMode":"API"}]}""".formatted(fresh),
                "change 2 of 2: a batch holds access-entry and policy changes only");
        assertRefused(requester, """
                {"kind":"ACCESS_ENTRY_BATCH","changes":[{"kind":"CREATE_ACCESS_ENTRY","principalArn":"not an arn"}]}""",
                "change 1 of 1: 'not an arn' is not an IAM ARN");
        // Every item at fault: the refusal names the first ten and counts the rest (it echoed the whole batch).
        StringBuilder same = new StringBuilder("{\"kind\":\"ACCESS_ENTRY_BATCH\",\"changes\":[");
        for (int i = 0; i < 40; i++) {
            same.append(i == 0 ? "" : ",").append("{\"kind\":\"CREATE_ACCESS_ENTRY\",\"principalArn\":\"")
                    .append(fresh).append("\"}");
        }
        WebSession.Page echoed = requester.postJson(base() + "/api/v1/requests", body(same.append("]}").toString(),
                "refused"), Map.of("X-CSRF-TOKEN", requester.get(base() + "/requests").csrfToken()));
        assertThat(echoed.status()).as(echoed.body()).isEqualTo(400);
        assertThat(JSON.readTree(echoed.body()).get("detail").asText()).contains("change 11 of 40 (")
                .doesNotContain("change 12 of 40").endsWith("and 29 more problems; fix these and file again to see them");
        StringBuilder many = new StringBuilder("{\"kind\":\"ACCESS_ENTRY_BATCH\",\"changes\":[");
        for (int i = 0; i <= 500; i++) {
            many.append(i == 0 ? "" : ",").append("{\"kind\":\"CREATE_ACCESS_ENTRY\",\"principalArn\":\"").append(role("m"))
                    .append("\"}");
        }
        assertRefused(requester, many.append("]}").toString(), "the batch holds 501 changes; at most 500");
        assertThat(jdbc.sql("SELECT count(*) FROM access_requests WHERE justification = 'refused' AND cluster = :c")
                .param("c", CLUSTER).query(Long.class).single()).as("nothing half-filed").isZero();
        assertThat(entry(fresh)).isEmpty();
    }

    @Test
    void anItemEksRefusesAtApplyTimeTakesTheBatchBackWhole() throws Exception {
        String kept = entryFor("kept-on-failure");
        try (EksClient eks = eks()) {
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(kept).policyArn(VIEW)
                    .accessScope(s -> s.type("cluster")));
        }
        resync();
        String dev = role("half");
        // The console takes any ARN under EKS's access-policy prefix (EKS adds policies); the double, like EKS,
        // refuses one that does not exist when it is associated: a real refusal in the middle of the batch.
        String missing = PREFIX + "AmazonEKSNoSuchPolicy";
        long id = file("requester", """
                {"kind":"ACCESS_ENTRY_BATCH","changes":[
                  {"kind":"CREATE_ACCESS_ENTRY","principalArn":"%1$s"},
                  {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%1$s","policyArn":"%2$s","accessScope":{"type":"cluster"}},
                  {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%3$s","policyArn":"%2$s","accessScope":{"type":"cluster"}},
                  {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%1$s","policyArn":"%4$s","accessScope":{"type":"cluster"}},
                  {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%3$s","policyArn":"%5$s","accessScope":{"type":"cluster"}}]}"""
                .formatted(dev, VIEW, kept, missing, EDIT));
        JsonNode failed = approve(id);
        assertThat(failed.get("state").asText()).as(failed.toString()).isEqualTo("FAILED");
        assertThat(failed.get("outcomeMessage").asText()).contains("change 4 of 5 (ASSOCIATE_ACCESS_POLICY " + dev + ")")
                .contains("AmazonEKSNoSuchPolicy").contains("taken back").contains("nothing of the batch remains");
        assertThat(entry(dev)).as("the entry the batch created is taken back").isEmpty();
        assertThat(policies(kept)).as("what existed before is kept; item 5 was never written").containsExactly(VIEW);
        String items = jdbc.sql("""
                        SELECT details->>'items' FROM audit_events
                         WHERE action = 'ACCESS_ENTRY_APPLY' AND outcome = 'FAILURE' AND details->>'requestId' = :id""")
                .param("id", Long.toString(id)).query(String.class).single();
        assertThat(items).contains("change 1 of 5 (CREATE_ACCESS_ENTRY " + dev + "): applied")
                .contains("change 3 of 5 (ASSOCIATE_ACCESS_POLICY " + kept + "): already in place")
                .contains("change 4 of 5 (ASSOCIATE_ACCESS_POLICY " + dev + "): failed")
                .contains("(DELETE_ACCESS_ENTRY " + dev + "): taken back").doesNotContain("change 5 of 5");
    }

    @Test
    void recoveryFinishesABatchADeadProcessLeftHalfWrittenAndKeepsItsWayBack() throws Exception {
        String first = role("rec1");
        String second = role("rec2");
        String kept = entryFor("rec-kept");
        // The dead process had planned (way back stored) and written the first item, then died.
        try (EksClient eks = eks()) {
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn(first));
        }
        String batch = """
                {"kind":"ACCESS_ENTRY_BATCH","changes":[
                  {"kind":"CREATE_ACCESS_ENTRY","principalArn":"%1$s","type":"STANDARD","kubernetesGroups":[]},
                  {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%1$s","policyArn":"%3$s","accessScope":{"type":"cluster"}},
                  {"kind":"CREATE_ACCESS_ENTRY","principalArn":"%2$s","type":"STANDARD","kubernetesGroups":[]}]}"""
                .formatted(first, second, VIEW);
        String wayBack = """
                {"kind":"ACCESS_ENTRY_BATCH","changes":[{"kind":"DELETE_ACCESS_ENTRY","principalArn":"%2$s"},
                  {"kind":"DISASSOCIATE_ACCESS_POLICY","principalArn":"%1$s","policyArn":"%3$s"},
                  {"kind":"DELETE_ACCESS_ENTRY","principalArn":"%1$s"}]}""".formatted(first, second, VIEW);
        long intent = jdbc.sql("""
                        INSERT INTO apply_intents (cluster, change, actor_subject, actor_name, reason, break_glass, purpose,
                                                   inverse, inverse_planned, diff)
                        VALUES (:cluster, CAST(:change AS jsonb), 'dead', 'A Dead Process', 'crash test', FALSE, 'APPLY',
                                CAST(:inverse AS jsonb), TRUE, '+ planned') RETURNING id""")
                .param("cluster", CLUSTER).param("change", batch).param("inverse", wayBack).query(Long.class).single();
        Eventually.await("intent " + intent + " recovered", Duration.ofSeconds(90),
                () -> jdbc.sql("SELECT state || '/' || coalesce(status, '') FROM apply_intents WHERE id = :id")
                        .param("id", intent).query(String.class).single(), s -> s.startsWith("DONE"));
        Map<String, Object> row = jdbc.sql("SELECT status, recovered, inverse::text AS inverse FROM apply_intents WHERE id = :id")
                .param("id", intent).query().singleRow();
        assertThat(row).containsEntry("status", "APPLIED").containsEntry("recovered", true);
        assertThat(policies(first)).containsExactly(VIEW);
        assertThat(entry(second)).isPresent();
        assertThat(entry(kept)).isPresent();
        assertThat(JSON.readTree((String) row.get("inverse"))).as("the way back planned before the first write, not a"
                + " fresh plan that would take the first entry for pre-existing").isEqualTo(JSON.readTree(wayBack));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    String base() {
        return "http://localhost:" + port;
    }

    static String role(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":role/" + name + "-" + SEQUENCE.incrementAndGet();
    }

    /** A principal with a STANDARD entry and no policies, made in EKS directly and synced. */
    String entryFor(String name) {
        String arn = role(name);
        try (EksClient eks = eks()) {
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn(arn));
        }
        resync();
        return arn;
    }

    void resync() {
        waitUntilRead();
        Instant asked = Instant.now();
        caches.refreshAccessEntries(CLUSTER);
        Eventually.await("access entries of " + CLUSTER + " synced", Duration.ofSeconds(60),
                () -> caches.accessEntries(CLUSTER).flatMap(AccessEntriesCache::entries).map(EksAccessEntries::syncedAt),
                synced -> synced.isPresent() && synced.get().isAfter(asked));
    }

    void waitUntilRead() {
        Eventually.await("cluster " + CLUSTER + " discovered and read", Duration.ofSeconds(60),
                () -> clusters.findByName(CLUSTER).map(c -> caches.accessEntries(CLUSTER)
                        .flatMap(AccessEntriesCache::entries).isPresent()).orElse(false), Boolean::booleanValue);
    }

    WebSession signedIn(String who) {
        WebSession session = new WebSession();
        SignIn.viaDemoIssuer(session, base(), who);
        return session;
    }

    long file(String who, String change) throws Exception {
        waitUntilRead();
        WebSession session = signedIn(who);
        WebSession.Page filed = session.postJson(base() + "/api/v1/requests", body(change, "need it"),
                Map.of("X-CSRF-TOKEN", session.get(base() + "/requests").csrfToken()));
        assertThat(filed.status()).as(filed.body()).isEqualTo(201);
        return JSON.readTree(filed.body()).get("id").asLong();
    }

    static String body(String change, String justification) {
        return "{\"cluster\":\"" + CLUSTER + "\",\"change\":" + change + ",\"justification\":\"" + justification + "\"}";
    }

    void assertRefused(WebSession session, String change, String message) throws Exception {
        waitUntilRead();
        WebSession.Page refused = session.postJson(base() + "/api/v1/requests", body(change, "refused"),
                Map.of("X-CSRF-TOKEN", session.get(base() + "/requests").csrfToken()));
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("detail").asText()).contains(message);
    }

    JsonNode approve(long id) throws Exception {
        WebSession approver = signedIn("approver");
        WebSession.Page approved = approver.postJson(base() + "/api/v1/requests/" + id + "/reviews",
                "{\"decision\":\"APPROVE\",\"comment\":\"fine\"}",
                Map.of("X-CSRF-TOKEN", approver.get(base() + "/requests").csrfToken()));
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        return JSON.readTree(approved.body());
    }

    String inverse(long id) {
        return jdbc.sql("SELECT inverse_change::text FROM access_requests WHERE id = :id").param("id", id)
                .query(String.class).single();
    }

    static Optional<software.amazon.awssdk.services.eks.model.AccessEntry> entry(String arn) {
        try (EksClient eks = eks()) {
            return Optional.of(eks.describeAccessEntry(d -> d.clusterName(CLUSTER).principalArn(arn)).accessEntry());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    static List<String> policies(String arn) {
        try (EksClient eks = eks()) {
            return eks.listAssociatedAccessPolicies(l -> l.clusterName(CLUSTER).principalArn(arn)).associatedAccessPolicies()
                    .stream().map(AssociatedAccessPolicy::policyArn).toList();
        }
    }
}
