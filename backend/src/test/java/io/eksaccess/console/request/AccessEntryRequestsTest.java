package io.eksaccess.console.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eksaccess.console.accessentry.AccessEntriesWritten;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AssociatedAccessPolicy;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;

/**
 * Each access-entry change kind through the request workflow against the EKS API's HTTP double
 * (moto with moto/eks_access_entries.py): file through {@code POST /api/v1/requests} → approve by
 * someone else → written to EKS and read back → grant ends taken back; the refusals at filing; and
 * apply recovery finishing entry intents to the true state.
 */
@ConsoleWithMotoEks
@RunsAlongside(seconds = 40)
@ResourceLock(ConsoleWithMotoEks.LOCK)
class AccessEntryRequestsTest {

    static final MotoServer MOTO = MotoServer.get();
    static final Region REGION = Region.EU_NORTH_1;
    static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    static final String CLUSTER = "aew-" + System.nanoTime();
    static final String LEGACY = "aewcm-" + System.nanoTime();
    static final String BREAK_GLASS = "aewbg-" + System.nanoTime();
    /** CONFIG_MAP clusters whose mode changes stay InProgress in the double until a test says otherwise. */
    static final String SLOW = "aewslow-" + System.nanoTime();
    static final String SLOW_FAILING = "aewslowfail-" + System.nanoTime();
    static final String ADMIN = "arn:aws:iam::" + ACCOUNT + ":role/platform/Admin";
    static final String VIEWER = "arn:aws:iam::" + ACCOUNT + ":role/Viewer";
    static final String PREFIX = "arn:aws:eks::aws:cluster-access-policy/";
    static final String VIEW = PREFIX + "AmazonEKSViewPolicy";
    static final String CLUSTER_ADMIN = PREFIX + "AmazonEKSClusterAdminPolicy";
    static final String EDIT = PREFIX + "AmazonEKSEditPolicy";
    static final AtomicLong SEQUENCE = new AtomicLong();
    static final ObjectMapper JSON = new ObjectMapper();
    /** An undo's body: the API takes a justification, as the page does. */
    static final String UNDO = "{\"justification\":\"taken back\"}";
    static final List<AccessEntriesWritten> WRITTEN = new CopyOnWriteArrayList<>();

    static {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try (EksClient eks = eks()) {
            create(eks, CLUSTER, AuthenticationMode.API);
            create(eks, LEGACY, AuthenticationMode.CONFIG_MAP);
            // Its only cluster admin is the one break-glass removes (CLUSTER keeps its admin for the other tests).
            create(eks, BREAK_GLASS, AuthenticationMode.API);
            eks.createAccessEntry(e -> e.clusterName(BREAK_GLASS).principalArn(ADMIN));
            eks.associateAccessPolicy(a -> a.clusterName(BREAK_GLASS).principalArn(ADMIN).policyArn(CLUSTER_ADMIN)
                    .accessScope(s -> s.type("cluster")));
            for (String slow : List.of(SLOW, SLOW_FAILING)) {
                String arn = create(eks, slow, AuthenticationMode.CONFIG_MAP);
                eks.tagResource(t -> t.resourceArn(arn).tags(Map.of("eks-double/mode-update", "InProgress")));
            }
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn(ADMIN));
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(ADMIN).policyArn(CLUSTER_ADMIN)
                    .accessScope(s -> s.type("cluster")));
            // Viewing the whole cluster before anyone asks: a request for it must change nothing and end nothing.
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn(VIEWER));
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(VIEWER).policyArn(VIEW)
                    .accessScope(s -> s.type("cluster")));
        }
    }

    /** Registered on the shared console rather than as a bean of this class's own (which would need a console of its own). */
    @BeforeAll
    static void recordAnnouncements(@Autowired ConfigurableApplicationContext console) {
        console.addApplicationListener(event -> {
            if (event instanceof PayloadApplicationEvent<?> payload && payload.getPayload() instanceof AccessEntriesWritten written) {
                WRITTEN.add(written);
            }
        });
    }

    static EksClient eks() {
        return EksClient.builder().endpointOverride(MOTO.endpoint()).region(REGION).credentialsProvider(MOTO.credentials())
                .build();
    }

    static String create(EksClient eks, String name, AuthenticationMode mode) {
        return eks.createCluster(c -> c.name(name).roleArn("arn:aws:iam::" + ACCOUNT + ":role/eks-cluster")
                .resourcesVpcConfig(vpc -> vpc.subnetIds("subnet-1"))
                .accessConfig(access -> access.authenticationMode(mode))).cluster().arn();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ClusterCaches caches;

    @Autowired
    ClusterRepository clusters;

    @Autowired
    RequestExpiryJob expiryJob;

    // ---- the browser journey's path, by the API: associate View for 2 h → approve → applied → ended ----

    @Test
    void associateForTwoHoursIsWrittenReadBackAndDisassociatedAtTheEnd() throws Exception {
        String dev = entryFor("dev");
        long id = file("requester", """
                {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s",
                 "accessScope":{"type":"namespace","namespaces":["dev","team-*"]}}""".formatted(dev, VIEW), 2);
        JsonNode applied = approve(id);
        assertThat(applied.get("state").asText()).as(applied.toString()).isEqualTo("APPLIED");
        assertThat(applied.at("/change/kind").asText()).isEqualTo("ASSOCIATE_ACCESS_POLICY");
        assertThat(applied.at("/change/accessScope/namespaces/1").asText()).isEqualTo("team-*");
        assertThat(applied.get("grantEndsAt").isNull()).isFalse();
        AssociatedAccessPolicy association = associations(dev).stream().filter(p -> p.policyArn().equals(VIEW))
                .findFirst().orElseThrow();
        assertThat(association.accessScope().namespaces()).containsExactly("dev", "team-*");
        assertThat(audit(id)).contains("ACCESS_ENTRY_APPLY/INTENT", "ACCESS_ENTRY_APPLY/SUCCESS");
        assertThat(inverse(id)).contains("DISASSOCIATE_ACCESS_POLICY").contains(VIEW);
        assertThat(WRITTEN).anySatisfy(w -> assertThat(w.cluster()).isEqualTo(CLUSTER));

        endGrant(id);
        assertThat(state(id)).isEqualTo("REVOKED");
        assertThat(associations(dev)).extracting(AssociatedAccessPolicy::policyArn).doesNotContain(VIEW);
        assertThat(entry(dev)).as("only the association is taken back, not the entry").isPresent();
    }

    @Test
    void accessThatPreExistedIsNoChangeAndIsNotTakenBackAtTheEnd() throws Exception {
        long id = file("requester", """
                {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s","accessScope":{"type":"cluster"}}"""
                .formatted(VIEWER, VIEW), 1);
        JsonNode done = approve(id);
        assertThat(done.get("state").asText()).isEqualTo("APPLIED");
        assertThat(done.get("outcomeMessage").asText()).contains("existed before");
        assertThat(done.get("grantEndsAt").isNull()).as("no end to enforce").isTrue();
        endGrant(id);
        assertThat(associations(VIEWER)).extracting(AssociatedAccessPolicy::policyArn).contains(VIEW);
    }

    @Test
    void createWithADurationIsDeletedAtTheEnd() throws Exception {
        String arn = role("temp");
        long id = file("requester", """
                {"kind":"CREATE_ACCESS_ENTRY","principalArn":"%s","type":"STANDARD","username":"temp:{{SessionName}}",
                 "kubernetesGroups":["readers"]}""".formatted(arn), 1);
        assertThat(approve(id).get("state").asText()).isEqualTo("APPLIED");
        var created = entry(arn).orElseThrow();
        assertThat(created.username()).isEqualTo("temp:{{SessionName}}");
        assertThat(created.kubernetesGroups()).containsExactly("readers");
        endGrant(id);
        assertThat(state(id)).isEqualTo("REVOKED");
        assertThat(entry(arn)).isEmpty();
    }

    @Test
    void updateDisassociateAndDeleteAreWrittenAndReadBack() throws Exception {
        String arn = entryFor("ops");
        long update = file("requester", """
                {"kind":"UPDATE_ACCESS_ENTRY","principalArn":"%s","username":"ops:{{SessionName}}","kubernetesGroups":["ops","oncall"]}"""
                .formatted(arn), null);
        assertThat(approve(update).get("state").asText()).isEqualTo("APPLIED");
        assertThat(entry(arn).orElseThrow().kubernetesGroups()).containsExactly("ops", "oncall");
        assertThat(inverse(update)).contains("UPDATE_ACCESS_ENTRY");

        try (EksClient eks = eks()) {
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(arn).policyArn(VIEW)
                    .accessScope(s -> s.type("cluster")));
        }
        resync();
        long disassociate = file("requester", """
                {"kind":"DISASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s"}""".formatted(arn, VIEW), null);
        assertThat(approve(disassociate).get("state").asText()).isEqualTo("APPLIED");
        assertThat(associations(arn)).isEmpty();

        resync();
        long delete = file("requester", """
                {"kind":"DELETE_ACCESS_ENTRY","principalArn":"%s"}""".formatted(arn), null);
        assertThat(approve(delete).get("state").asText()).isEqualTo("APPLIED");
        assertThat(entry(arn)).isEmpty();
    }

    // ---- undo from the history, and grant ends that keep what others added ------------------------------

    @Test
    void undoingADeleteFromTheHistoryRestoresTheEntryWithEveryPolicyAndScope() throws Exception {
        String arn = role("undo");
        try (EksClient eks = eks()) {
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn(arn).username("undo:{{SessionName}}")
                    .kubernetesGroups("readers", "oncall"));
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(arn).policyArn(VIEW)
                    .accessScope(s -> s.type("namespace").namespaces("dev", "team-*")));
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(arn).policyArn(EDIT)
                    .accessScope(s -> s.type("cluster")));
        }
        resync();
        long delete = file("requester", """
                {"kind":"DELETE_ACCESS_ENTRY","principalArn":"%s"}""".formatted(arn), null);
        assertThat(approve(delete).get("state").asText()).isEqualTo("APPLIED");
        assertThat(entry(arn)).isEmpty();
        assertThat(inverse(delete)).as("the way back holds every policy").contains(VIEW).contains(EDIT).contains("team-*");

        resync();
        WebSession requester = signedIn("requester");
        WebSession.Page page = requester.get(base() + "/requests/" + delete);
        assertThat(page.html().selectFirst("#request-undo-change").text())
                .contains("AmazonEKSViewPolicy (namespaces dev, team-*)").contains("AmazonEKSEditPolicy (cluster-wide)");
        WebSession.Page filed = requester.submit(page, "#request-undo-form", Map.of("justification", "deleted by mistake"));
        assertThat(filed.isRedirect()).as(filed.body()).isTrue();
        long undo = Long.parseLong(filed.location().getPath().replaceAll(".*/", ""));
        assertThat(state(undo)).as("an ordinary request, through the approvals").isEqualTo("PENDING");
        assertThat(entry(arn)).isEmpty();

        assertThat(approve(undo).get("state").asText()).isEqualTo("APPLIED");
        var restored = entry(arn).orElseThrow();
        assertThat(restored.username()).isEqualTo("undo:{{SessionName}}");
        assertThat(restored.kubernetesGroups()).containsExactlyInAnyOrder("readers", "oncall");
        assertThat(associations(arn)).extracting(p -> p.policyArn() + " " + p.accessScope().typeAsString() + " "
                + p.accessScope().namespaces()).containsExactlyInAnyOrder(VIEW + " namespace [dev, team-*]",
                        EDIT + " cluster []");
    }

    @Test
    void anUndoneGrantCannotBeUndoneAgainNorEndLaterAndTwoUndosAtOnceFileOne() throws Exception {
        String arn = entryFor("undone");
        String dev = viewOnDev(arn);
        long grant = file("requester", dev, 2);
        assertThat(approve(grant).get("state").asText()).isEqualTo("APPLIED");
        resync();

        // A double click, or two tabs: two undos of one request at the same instant file one undo.
        WebSession requester = signedIn("requester");
        String csrf = requester.get(base() + "/requests").csrfToken();
        ExecutorService two = Executors.newFixedThreadPool(2);
        List<WebSession.Page> answers;
        try {
            CountDownLatch start = new CountDownLatch(1);
            Callable<WebSession.Page> undo = () -> {
                start.await();
                return requester.postJson(base() + "/api/v1/requests/" + grant + "/undo", UNDO, Map.of("X-CSRF-TOKEN", csrf));
            };
            var first = two.submit(undo);
            var second = two.submit(undo);
            start.countDown();
            answers = List.of(first.get(), second.get());
        } finally {
            two.shutdownNow();
        }
        assertThat(answers).extracting(WebSession.Page::status).as(answers.toString()).containsExactlyInAnyOrder(201, 409);
        WebSession.Page won = answers.stream().filter(a -> a.status() == 201).findFirst().orElseThrow();
        long undo = JSON.readTree(won.body()).get("id").asLong();
        WebSession.Page refused = answers.stream().filter(a -> a.status() == 409).findFirst().orElseThrow();
        assertThat(JSON.readTree(refused.body()).get("detail").asText()).contains("#" + undo);
        assertThat(jdbc.sql("SELECT count(*) FROM access_requests WHERE undoes = :id").param("id", grant)
                .query(Long.class).single()).isEqualTo(1);

        assertThat(approve(undo).get("state").asText()).isEqualTo("APPLIED");
        assertThat(associations(arn)).isEmpty();
        assertThat(state(grant)).as("the undone grant holds nothing any more").isEqualTo("REVOKED");
        assertThat(jdbc.sql("SELECT revoke_message FROM access_requests WHERE id = :id").param("id", grant)
                .query(String.class).single()).contains("undone by request #" + undo);
        WebSession.Page again = requester.postJson(base() + "/api/v1/requests/" + grant + "/undo", UNDO,
                Map.of("X-CSRF-TOKEN", csrf));
        assertThat(again.status()).as(again.body()).isEqualTo(409);

        // Someone is given the same access for good; the undone grant's end must not take it.
        resync();
        long forGood = file("requester", dev, null);
        assertThat(approve(forGood).get("state").asText()).isEqualTo("APPLIED");
        endGrant(grant);
        assertThat(associations(arn)).extracting(p -> p.policyArn() + " " + p.accessScope().namespaces())
                .as("the access given for good after the undo").containsExactly(VIEW + " [dev]");
    }

    @Test
    void anUndoWaitingWhileTheGrantEndsIsRefusedAtApplyAndTakesNothing() throws Exception {
        String arn = entryFor("ended");
        String dev = viewOnDev(arn);
        long grant = file("requester", dev, 2);
        assertThat(approve(grant).get("state").asText()).isEqualTo("APPLIED");
        resync();
        WebSession requester = signedIn("requester");
        WebSession.Page filed = requester.postJson(base() + "/api/v1/requests/" + grant + "/undo", UNDO,
                Map.of("X-CSRF-TOKEN", requester.get(base() + "/requests").csrfToken()));
        assertThat(filed.status()).as(filed.body()).isEqualTo(201);
        long undo = JSON.readTree(filed.body()).get("id").asLong();
        endGrant(grant);
        assertThat(state(grant)).isEqualTo("REVOKED");
        resync();
        long forGood = file("requester", dev, null);
        assertThat(approve(forGood).get("state").asText()).isEqualTo("APPLIED");

        JsonNode stale = approve(undo);
        assertThat(stale.get("state").asText()).isEqualTo("FAILED");
        assertThat(stale.get("outcomeMessage").asText()).contains("#" + grant).contains("nothing to undo");
        assertThat(associations(arn)).as("the access given for good after the grant ended").hasSize(1);
    }

    @Test
    void theEndOfATimeBoundCreateKeepsPoliciesAssociatedLaterAndSaysSo() throws Exception {
        String arn = role("shared");
        long create = file("requester", """
                {"kind":"CREATE_ACCESS_ENTRY","principalArn":"%s","type":"STANDARD","username":"shared:{{SessionName}}",
                 "kubernetesGroups":["readers"]}""".formatted(arn), 1);
        assertThat(approve(create).get("state").asText()).isEqualTo("APPLIED");
        resync();
        // Another approved request, with no end, hangs access on the entry the grant created.
        long associate = file("requester", """
                {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s",
                 "accessScope":{"type":"namespace","namespaces":["shared"]}}""".formatted(arn, VIEW), null);
        assertThat(approve(associate).get("state").asText()).isEqualTo("APPLIED");

        endGrant(create);
        assertThat(state(create)).isEqualTo("REVOKED");
        var kept = entry(arn).orElseThrow(() -> new AssertionError("the entry others' access hangs on was deleted"));
        assertThat(kept.kubernetesGroups()).as("the groups the grant gave are taken back").isEmpty();
        assertThat(associations(arn)).extracting(p -> p.policyArn() + " " + p.accessScope().namespaces())
                .containsExactly(VIEW + " [shared]");
        String message = jdbc.sql("SELECT revoke_message FROM access_requests WHERE id = :id").param("id", create)
                .query(String.class).single();
        assertThat(message).contains("taken back in part").contains("AmazonEKSViewPolicy").contains("associated after the grant");
        assertThat(signedIn("requester").get(base() + "/requests/" + create).body()).contains("taken back in part");
        assertThat(jdbc.sql("""
                        SELECT details->>'takenBackInPart' FROM audit_events
                         WHERE action = 'REQUEST_REVOKED' AND details->>'requestId' = :id""")
                .param("id", Long.toString(create)).query(String.class).single()).isEqualTo("true");
        assertThat(jdbc.sql("SELECT summary FROM notification_outbox WHERE request_id = :id AND type = 'REQUEST_FAILED'")
                .param("id", create).query(String.class).list()).anySatisfy(s -> assertThat(s).contains("kept"));
    }

    @Test
    void theEndOfATimeBoundAssociationKeepsTheScopeALaterRequestGaveIt() throws Exception {
        String arn = entryFor("rescoped");
        long grant = file("requester", """
                {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s",
                 "accessScope":{"type":"namespace","namespaces":["dev"]}}""".formatted(arn, VIEW), 2);
        assertThat(approve(grant).get("state").asText()).isEqualTo("APPLIED");
        resync();
        long rescope = file("requester", """
                {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s",
                 "accessScope":{"type":"namespace","namespaces":["dev","prod"]}}""".formatted(arn, VIEW), 1);
        assertThat(approve(rescope).get("state").asText()).isEqualTo("APPLIED");
        assertThat(inverse(rescope)).as("its way back: the first grant's scope").contains("ASSOCIATE_ACCESS_POLICY");

        endGrant(grant);
        assertThat(state(grant)).isEqualTo("REVOKED");
        assertThat(associations(arn)).extracting(p -> p.accessScope().namespaces())
                .as("the later request's scope stays").containsExactly(List.of("dev", "prod"));
        assertThat(jdbc.sql("SELECT revoke_message FROM access_requests WHERE id = :id").param("id", grant)
                .query(String.class).single()).contains("re-scoped after the grant");
        assertThat(jdbc.sql("""
                        SELECT details->>'wayBackHandedTo' FROM audit_events
                         WHERE action = 'REQUEST_REVOKED' AND details->>'requestId' = :id""")
                .param("id", Long.toString(grant)).query(String.class).single()).isEqualTo("#" + rescope);

        // The first grant is over: the end of the later one must not bring its scope back.
        endGrant(rescope);
        assertThat(state(rescope)).isEqualTo("REVOKED");
        assertThat(associations(arn)).extracting(AssociatedAccessPolicy::policyArn).doesNotContain(VIEW);
    }

    /**
     * A time-bound re-scope of a permanent association, then a permanent re-scope of it: the grant's end
     * keeps the later scope (it used to restore the scope from before the grant over it), and the later
     * request's way back now restores the scope from before the grant, not the grant's, which is over.
     */
    @Test
    void theEndOfATimeBoundReScopeKeepsAPermanentReScopeMadeSince() throws Exception {
        String arn = entryFor("rescope-kept");
        long base = file("requester", """
                {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s",
                 "accessScope":{"type":"namespace","namespaces":["ops"]}}""".formatted(arn, VIEW), null);
        assertThat(approve(base).get("state").asText()).isEqualTo("APPLIED");
        resync();
        long grant = file("requester", """
                {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s",
                 "accessScope":{"type":"namespace","namespaces":["dev"]}}""".formatted(arn, VIEW), 2);
        assertThat(approve(grant).get("state").asText()).isEqualTo("APPLIED");
        resync();
        long later = file("requester", """
                {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s",
                 "accessScope":{"type":"namespace","namespaces":["dev","prod"]}}""".formatted(arn, VIEW), null);
        assertThat(approve(later).get("state").asText()).isEqualTo("APPLIED");

        endGrant(grant);
        assertThat(state(grant)).isEqualTo("REVOKED");
        assertThat(associations(arn)).extracting(p -> p.accessScope().namespaces())
                .as("the permanent re-scope made since stays").containsExactly(List.of("dev", "prod"));
        assertThat(jdbc.sql("SELECT revoke_message FROM access_requests WHERE id = :id").param("id", grant)
                .query(String.class).single()).contains("taken back in part").contains("re-scoped after the grant");
        assertThat(inverse(later)).as("its way back: the scope from before the grant").contains("\"ops\"")
                .doesNotContain("\"namespaces\": [\"dev\"]");
    }

    /** A permanent request for exactly the association a grant gave (found in place): the grant's end keeps it. */
    @Test
    void aPermanentRequestForTheAssociationAGrantGaveKeepsItAfterTheGrantsEnd() throws Exception {
        String arn = entryFor("assoc-claimed");
        String change = """
                {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s",
                 "accessScope":{"type":"namespace","namespaces":["dev"]}}""".formatted(arn, VIEW);
        long grant = file("requester", change, 2);
        assertThat(approve(grant).get("state").asText()).isEqualTo("APPLIED");
        resync();
        long permanent = file("requester", change, null);
        assertThat(approve(permanent).get("state").asText()).isEqualTo("APPLIED");
        assertThat(jdbc.sql("SELECT inverse_change IS NULL FROM access_requests WHERE id = :id").param("id", permanent)
                .query(Boolean.class).single()).as("found in place: no way back").isTrue();

        endGrant(grant);
        assertThat(state(grant)).isEqualTo("REVOKED");
        assertThat(associations(arn)).extracting(AssociatedAccessPolicy::policyArn).as("still asked for, for good")
                .containsExactly(VIEW);
        assertThat(jdbc.sql("SELECT revoke_message FROM access_requests WHERE id = :id").param("id", grant)
                .query(String.class).single()).contains("nothing taken back; request #" + permanent);
    }

    /** A second grant of the same association finds it in place and is recorded without an end: not a claim for good. */
    @Test
    void aSecondGrantOfTheAssociationAGrantGaveDoesNotKeepItForGood() throws Exception {
        String arn = entryFor("assoc-twice");
        String change = """
                {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s",
                 "accessScope":{"type":"namespace","namespaces":["dev"]}}""".formatted(arn, VIEW);
        long grant = file("requester", change, 2);
        assertThat(approve(grant).get("state").asText()).isEqualTo("APPLIED");
        resync();
        long second = file("requester", change, 8);
        assertThat(approve(second).get("state").asText()).isEqualTo("APPLIED");
        assertThat(jdbc.sql("SELECT inverse_change IS NULL FROM access_requests WHERE id = :id").param("id", second)
                .query(Boolean.class).single()).as("found in place: no way back").isTrue();

        endGrant(grant);
        assertThat(state(grant)).isEqualTo("REVOKED");
        assertThat(associations(arn)).as("no request asked for it without an end").isEmpty();
    }

    // ---- break-glass --------------------------------------------------------------------------------------

    @Test
    void breakGlassAppliesAccessEntryKindsOverridesTheLockoutOnlyWhenConfirmedAndKeepsFieldErrors() throws Exception {
        waitUntilRead(BREAK_GLASS);
        WebSession admin = signedIn("admin");
        WebSession.Page form = admin.get(base() + "/admin/break-glass?cluster=" + BREAK_GLASS);
        assertThat(form.html().select("#request-kind option").eachAttr("value"))
                .contains("DELETE_ACCESS_ENTRY", "ASSOCIATE_ACCESS_POLICY");

        WebSession.Page noPolicy = admin.submit(form, "#break-glass-form", Map.of("cluster", BREAK_GLASS,
                "kind", "ASSOCIATE_ACCESS_POLICY", "arn", ADMIN, "policyArn", " ", "reason", "incident 7"));
        assertThat(noPolicy.status()).isEqualTo(200);
        assertThat(noPolicy.html().selectFirst("#request-policy-error")).as(noPolicy.body()).isNotNull();

        Map<String, String> delete = new java.util.LinkedHashMap<>(Map.of("cluster", BREAK_GLASS,
                "kind", "DELETE_ACCESS_ENTRY", "arn", ADMIN, "reason", "incident 7: the admin role is compromised",
                "overrideLockout", "")); // unchecked (submit would send the checkbox's value)
        WebSession.Page refused = admin.submit(form, "#break-glass-form", delete);
        long first = Long.parseLong(refused.location().getPath().replaceAll(".*/", ""));
        assertThat(state(first)).isEqualTo("FAILED");
        assertThat(jdbc.sql("SELECT outcome_message FROM access_requests WHERE id = :id").param("id", first)
                .query(String.class).single()).contains("no principal with cluster-admin");
        assertThat(entry(BREAK_GLASS, ADMIN)).as("nothing written without the override").isPresent();

        delete.put("overrideLockout", "true");
        WebSession.Page applied = admin.submit(form, "#break-glass-form", delete);
        long second = Long.parseLong(applied.location().getPath().replaceAll(".*/", ""));
        assertThat(state(second)).isEqualTo("APPLIED");
        assertThat(entry(BREAK_GLASS, ADMIN)).isEmpty();
        Map<String, Object> audited = jdbc.sql("""
                        SELECT details->>'reason' AS reason, details->>'overrideLockout' AS override FROM audit_events
                         WHERE action = 'BREAK_GLASS_APPLIED' AND details->>'requestId' = :id""")
                .param("id", Long.toString(second)).query().singleRow();
        assertThat(audited).containsEntry("reason", "incident 7: the admin role is compromised")
                .containsEntry("override", "true");
        assertThat(audit(second)).contains("ACCESS_ENTRY_APPLY/INTENT", "ACCESS_ENTRY_APPLY/SUCCESS");
    }

    // ---- the new-request form --------------------------------------------------------------------------

    @Test
    void theFormFilesAnAccessEntryKindAndPutsFieldErrorsNextToTheField() throws Exception {
        waitUntilRead(CLUSTER);
        String dev = entryFor("form");
        WebSession requester = signedIn("requester");
        WebSession.Page form = requester.get(base() + "/requests/new?cluster=" + CLUSTER + "&kind=ASSOCIATE_ACCESS_POLICY"
                + "&arn=" + dev + "&policyArn=" + VIEW + "&scopeType=namespace&namespaces=dev");
        assertThat(form.html().selectFirst("#request-policy").val()).isEqualTo(VIEW);
        assertThat(form.html().selectFirst("#request-namespaces").val()).isEqualTo("dev");
        Map<String, String> fields = new java.util.LinkedHashMap<>(Map.of("cluster", CLUSTER,
                "kind", "ASSOCIATE_ACCESS_POLICY", "arn", dev, "policyArn", VIEW, "scopeType", "namespace",
                "namespaces", "dev", "duration", "2", "justification", " "));

        WebSession.Page blank = requester.submit(form, "#request-form", fields);
        assertThat(blank.status()).isEqualTo(200);
        assertThat(blank.html().selectFirst("#request-justification-error").text()).contains("justification is required");
        assertThat(blank.html().selectFirst("#request-cluster-error")).as("only the field that is wrong").isNull();

        // The live preview: the entry before and after, and what the principal could do afterwards.
        WebSession.Page preview = requester.post(base() + "/requests/new", withCsrf(requester, fields),
                Map.of("HX-Request", "true"));
        assertThat(preview.body()).contains("AmazonEKSViewPolicy@namespaces dev").contains("access policy AmazonEKSViewPolicy");

        fields.put("justification", "read the dev namespace");
        WebSession.Page filed = requester.submit(form, "#request-form", fields);
        assertThat(filed.isRedirect()).as(filed.body()).isTrue();
        long id = Long.parseLong(filed.location().getPath().replaceAll(".*/", ""));
        // The reviewer sees the entry before and after, planned on the synced entries.
        assertThat(signedIn("approver").get(base() + "/requests/" + id).body())
                .contains("+ " + dev + " STANDARD").contains("AmazonEKSViewPolicy@namespaces dev");
        assertThat(approve(id).get("state").asText()).isEqualTo("APPLIED");
        assertThat(associations(dev)).extracting(p -> p.accessScope().namespaces()).containsExactly(List.of("dev"));
    }

    Map<String, String> withCsrf(WebSession session, Map<String, String> fields) {
        Map<String, String> all = new java.util.LinkedHashMap<>(fields);
        all.put("_csrf", session.get(base() + "/requests").csrfToken());
        return all;
    }

    // ---- refused at filing, from the synced entries --------------------------------------------------

    @Test
    void filingRefusesWhatEksWouldRefuseAndWhatThePolicyForbids() throws Exception {
        WebSession requester = signedIn("requester");
        assertRefused(requester, """
                {"kind":"CREATE_ACCESS_ENTRY","principalArn":"%s","type":"STANDARD"}""".formatted(ADMIN), null, 400,
                "already has an access entry");
        assertRefused(requester, """
                {"kind":"CREATE_ACCESS_ENTRY","principalArn":"%s","kubernetesGroups":["system:masters"]}"""
                .formatted(role("masters")), null, 400, "AmazonEKSClusterAdminPolicy");
        assertRefused(requester, """
                {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s","accessScope":{"type":"cluster"}}"""
                .formatted(VIEWER, CLUSTER_ADMIN), null, 400, "does not allow requesting AmazonEKSClusterAdminPolicy");
        // ClusterAdmin in another partition is still ClusterAdmin to the policy (and EKS here, in aws, refuses aws-cn).
        assertRefused(requester, """
                {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s","accessScope":{"type":"cluster"}}"""
                .formatted(VIEWER, CLUSTER_ADMIN.replace("arn:aws:", "arn:aws-cn:")), null, 400,
                "does not allow requesting AmazonEKSClusterAdminPolicy");
        assertRefused(requester, """
                {"kind":"DELETE_ACCESS_ENTRY","principalArn":"%s"}""".formatted(ADMIN), null, 400,
                "no principal with cluster-admin");
        assertRefused(requester, """
                {"kind":"DELETE_ACCESS_ENTRY","principalArn":"%s"}""".formatted(VIEWER), 4, 400, "cannot be time-bound");
        assertRefused(requester, """
                {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s",
                 "accessScope":{"type":"namespace","namespaces":["Not A Namespace"]}}""".formatted(VIEWER, VIEW), null, 400,
                "is not a namespace name");
        assertRefused(requester, """
                {"kind":"SET_AUTHENTICATION_MODE","authenticationMode":"API"}""", null, 403, "only an admin");
        assertThat(jdbc.sql("SELECT count(*) FROM access_requests WHERE cluster = :c AND requester_subject <> 'admin'")
                .param("c", CLUSTER).query(Long.class).single()).as("nothing half-filed")
                .isEqualTo(jdbc.sql("SELECT count(*) FROM access_requests WHERE cluster = :c AND requester_subject <> 'admin'"
                        + " AND justification <> 'refused'").param("c", CLUSTER).query(Long.class).single());
    }

    @Test
    void anAdminMovesAClusterFromConfigMapToApiAndConfigMapPolledToCompletion() throws Exception {
        long id = fileOn(LEGACY, "admin", """
                {"kind":"SET_AUTHENTICATION_MODE","authenticationMode":"API_AND_CONFIG_MAP"}""", null);
        assertThat(approve(id).get("state").asText()).isEqualTo("APPLIED");
        try (EksClient eks = eks()) {
            assertThat(eks.describeCluster(d -> d.name(LEGACY)).cluster().accessConfig().authenticationMode())
                    .isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
        }
        assertThat(clusters.findByName(LEGACY).orElseThrow().eksAuthenticationMode()).isEqualTo("API_AND_CONFIG_MAP");
        // One way: back to CONFIG_MAP is refused at filing.
        assertRefused(signedIn("admin"), LEGACY, """
                {"kind":"SET_AUTHENTICATION_MODE","authenticationMode":"CONFIG_MAP"}""", null, 400, "one way only");
    }

    @Test
    void aModeChangeThatTakesLongerThanTheApplyIsPolledToCompletionInTheBackground() throws Exception {
        long id = fileOn(SLOW, "admin", """
                {"kind":"SET_AUTHENTICATION_MODE","authenticationMode":"API_AND_CONFIG_MAP"}""", null);
        JsonNode applying = approve(id);
        assertThat(applying.get("state").asText()).as(applying.toString()).isEqualTo("APPLYING");
        assertThat(applying.get("outcomeMessage").asText()).contains("is in progress");
        String update = jdbc.sql("SELECT eks_update_id FROM apply_intents WHERE request_id = :id").param("id", id)
                .query(String.class).single();
        assertThat(update).as("the update's id is stored with the intent, for the poll and a restart").isNotBlank();
        assertThat(mode(SLOW)).as("EKS is still working on it").isEqualTo(AuthenticationMode.CONFIG_MAP);
        assertThat(clusters.findByName(SLOW).orElseThrow().eksAuthenticationMode()).isEqualTo("CONFIG_MAP");

        setModeUpdateKnob(SLOW, "eks-double/mode-update", null); // EKS finishes the update
        Eventually.await("the request to be applied", Duration.ofSeconds(60), () -> state(id), "APPLIED"::equals);
        assertThat(mode(SLOW)).isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
        assertThat(clusters.findByName(SLOW).orElseThrow().eksAuthenticationMode()).isEqualTo("API_AND_CONFIG_MAP");
        try (EksClient eks = eks()) {
            assertThat(eks.describeUpdate(d -> d.name(SLOW).updateId(update)).update().statusAsString())
                    .isEqualTo("Successful");
        }
        assertThat(audit(id)).contains("ACCESS_ENTRY_APPLY/INTENT", "ACCESS_ENTRY_APPLY/SUCCESS", "REQUEST_APPLIED/SUCCESS")
                .doesNotContain("REQUEST_FAILED/FAILURE", "ACCESS_ENTRY_APPLY/FAILURE");
    }

    @Test
    void aModeChangeThatEksFailsFailsTheRequestWithEksWords() throws Exception {
        long id = fileOn(SLOW_FAILING, "admin", """
                {"kind":"SET_AUTHENTICATION_MODE","authenticationMode":"API_AND_CONFIG_MAP"}""", null);
        assertThat(approve(id).get("state").asText()).isEqualTo("APPLYING");

        setModeUpdateKnob(SLOW_FAILING, "eks-double/mode-update-error", "the cluster's service role may not change its access config");
        setModeUpdateKnob(SLOW_FAILING, "eks-double/mode-update", "Failed");
        Eventually.await("the request to fail", Duration.ofSeconds(60), () -> state(id), "FAILED"::equals);
        assertThat(jdbc.sql("SELECT outcome_message FROM access_requests WHERE id = :id").param("id", id)
                .query(String.class).single()).contains("Failed").contains("may not change its access config");
        assertThat(mode(SLOW_FAILING)).isEqualTo(AuthenticationMode.CONFIG_MAP);
        assertThat(clusters.findByName(SLOW_FAILING).orElseThrow().eksAuthenticationMode()).isEqualTo("CONFIG_MAP");
        assertThat(audit(id)).contains("ACCESS_ENTRY_APPLY/FAILURE", "REQUEST_FAILED/FAILURE");
    }

    static AuthenticationMode mode(String cluster) {
        try (EksClient eks = eks()) {
            return eks.describeCluster(d -> d.name(cluster)).cluster().accessConfig().authenticationMode();
        }
    }

    /** Sets (null: removes) one of the double's knobs on the cluster, a tag (moto/eks_access_entries.py). */
    static void setModeUpdateKnob(String cluster, String knob, String value) {
        try (EksClient eks = eks()) {
            String arn = eks.describeCluster(d -> d.name(cluster)).cluster().arn();
            if (value == null) {
                eks.untagResource(u -> u.resourceArn(arn).tagKeys(knob));
            } else {
                eks.tagResource(t -> t.resourceArn(arn).tags(Map.of(knob, value)));
            }
        }
    }

    // ---- crash recovery: an intent whose process died is finished to the true state ---------------------

    @Test
    void recoveryRetriesAnIntentThatWasNotWrittenAndKeepsTheWayBackOfOneThatWas() {
        String notWritten = entryFor("crash1");
        long pending = pendingIntent("""
                {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s","accessScope":{"type":"cluster"}}"""
                .formatted(notWritten, VIEW), null);
        String written = entryFor("crash2");
        try (EksClient eks = eks()) {
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(written).policyArn(VIEW)
                    .accessScope(s -> s.type("cluster")));
        }
        // Planned (way back stored) and written to EKS, then the process died before the outcome was stored.
        long planned = pendingIntent("""
                {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s","accessScope":{"type":"cluster"}}"""
                .formatted(written, VIEW), """
                {"kind":"DISASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s"}""".formatted(written, VIEW));

        for (long intent : List.of(pending, planned)) {
            Eventually.await("intent " + intent + " recovered", Duration.ofSeconds(60),
                    () -> jdbc.sql("SELECT state || '/' || coalesce(status, '') FROM apply_intents WHERE id = :id")
                            .param("id", intent).query(String.class).single(), s -> s.startsWith("DONE"));
        }
        assertThat(associations(notWritten)).extracting(AssociatedAccessPolicy::policyArn).contains(VIEW);
        assertThat(intentRow(pending)).containsEntry("status", "APPLIED").containsEntry("recovered", true);
        assertThat(intentRow(planned)).containsEntry("status", "APPLIED");
        assertThat((String) intentRow(planned).get("inverse")).as("the way back stored before the write")
                .contains("DISASSOCIATE_ACCESS_POLICY");
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    long pendingIntent(String change, String inverse) {
        return jdbc.sql("""
                        INSERT INTO apply_intents (cluster, change, actor_subject, actor_name, reason, break_glass, purpose,
                                                   inverse, inverse_planned)
                        VALUES (:cluster, CAST(:change AS jsonb), 'dead', 'A Dead Process', 'crash test', FALSE, 'APPLY',
                                CAST(:inverse AS jsonb), :planned) RETURNING id""")
                .param("cluster", CLUSTER).param("change", change).param("inverse", inverse)
                .param("planned", inverse != null).query(Long.class).single();
    }

    Map<String, Object> intentRow(long id) {
        return jdbc.sql("SELECT status, recovered, inverse::text AS inverse FROM apply_intents WHERE id = :id")
                .param("id", id).query().singleRow();
    }

    String base() {
        return "http://localhost:" + port;
    }

    static String role(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":role/" + name + "-" + SEQUENCE.incrementAndGet();
    }

    /** The change the undo tests grant: View on namespace dev. */
    private static String viewOnDev(String arn) {
        return """
                {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s",
                 "accessScope":{"type":"namespace","namespaces":["dev"]}}""".formatted(arn, VIEW);
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

    /** Asks for a sync of the cluster's entries now and waits until one newer than this call is in. */
    void resync() {
        waitUntilRead(CLUSTER);
        Instant asked = Instant.now();
        caches.refreshAccessEntries(CLUSTER); // queued behind any sync running now, so it reads after this call
        Eventually.await("access entries of " + CLUSTER + " synced", Duration.ofSeconds(60),
                () -> caches.accessEntries(CLUSTER).flatMap(AccessEntriesCache::entries).map(EksAccessEntries::syncedAt),
                synced -> synced.isPresent() && synced.get().isAfter(asked));
    }

    WebSession signedIn(String who) {
        WebSession session = new WebSession();
        SignIn.viaDemoIssuer(session, base(), who);
        return session;
    }

    long file(String who, String change, Integer hours) throws Exception {
        return fileOn(CLUSTER, who, change, hours);
    }

    long fileOn(String cluster, String who, String change, Integer hours) throws Exception {
        waitUntilRead(cluster);
        WebSession session = signedIn(who);
        WebSession.Page filed = session.postJson(base() + "/api/v1/requests", body(cluster, change, hours, "need it"),
                Map.of("X-CSRF-TOKEN", session.get(base() + "/requests").csrfToken()));
        assertThat(filed.status()).as(filed.body()).isEqualTo(201);
        return JSON.readTree(filed.body()).get("id").asLong();
    }

    void waitUntilRead(String cluster) {
        Eventually.await("cluster " + cluster + " discovered and read", Duration.ofSeconds(60),
                () -> clusters.findByName(cluster).map(c -> !"API".equals(c.eksAuthenticationMode())
                        || caches.accessEntries(cluster).flatMap(AccessEntriesCache::entries).isPresent()).orElse(false),
                Boolean::booleanValue);
    }

    static String body(String cluster, String change, Integer hours, String justification) {
        return "{\"cluster\":\"" + cluster + "\",\"change\":" + change + ",\"justification\":\"" + justification + "\""
                + (hours == null ? "" : ",\"durationHours\":" + hours) + "}";
    }

    void assertRefused(WebSession session, String change, Integer hours, int status, String message) throws Exception {
        assertRefused(session, CLUSTER, change, hours, status, message);
    }

    void assertRefused(WebSession session, String cluster, String change, Integer hours, int status, String message)
            throws Exception {
        waitUntilRead(cluster);
        WebSession.Page refused = session.postJson(base() + "/api/v1/requests", body(cluster, change, hours, "refused"),
                Map.of("X-CSRF-TOKEN", session.get(base() + "/requests").csrfToken()));
        assertThat(refused.status()).as(refused.body()).isEqualTo(status);
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

    void endGrant(long id) {
        jdbc.sql("UPDATE access_requests SET grant_ends_at = now() - interval '1 second' WHERE id = :id AND grant_ends_at IS NOT NULL")
                .param("id", id).update();
        expiryJob.runNow();
    }

    String state(long id) {
        return jdbc.sql("SELECT state FROM access_requests WHERE id = :id").param("id", id).query(String.class).single();
    }

    String inverse(long id) {
        return jdbc.sql("SELECT inverse_change::text FROM access_requests WHERE id = :id").param("id", id)
                .query(String.class).single();
    }

    List<String> audit(long id) {
        return jdbc.sql("""
                        SELECT action || '/' || outcome FROM audit_events
                         WHERE details->>'requestId' = :id ORDER BY id""")
                .param("id", Long.toString(id)).query(String.class).list();
    }

    static Optional<software.amazon.awssdk.services.eks.model.AccessEntry> entry(String arn) {
        return entry(CLUSTER, arn);
    }

    static Optional<software.amazon.awssdk.services.eks.model.AccessEntry> entry(String cluster, String arn) {
        try (EksClient eks = eks()) {
            return Optional.of(eks.describeAccessEntry(d -> d.clusterName(cluster).principalArn(arn)).accessEntry());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    static List<AssociatedAccessPolicy> associations(String arn) {
        try (EksClient eks = eks()) {
            return eks.listAssociatedAccessPolicies(l -> l.clusterName(CLUSTER).principalArn(arn)).associatedAccessPolicies();
        }
    }
}
