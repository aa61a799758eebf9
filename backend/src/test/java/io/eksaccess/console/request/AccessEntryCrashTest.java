package io.eksaccess.console.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.ConsoleApplication;
import io.eksaccess.console.testsupport.ConsoleProcess;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.MotoServer;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.eksaccess.console.testsupport.SideBySide;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.TestProcess;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AssociatedAccessPolicy;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;

/**
 * Issue #16, "a crash at any point is recovered to the true state", for access entries with a real
 * crash: a console process (EKS discovered in the EKS API's HTTP double) files and approves a
 * two-hour access-entry request and halts (Runtime.halt, no shutdown hooks) after the intent is
 * committed and before the EKS write, or right after the write and before the read-back and outcome.
 * A console started afterwards on the same database finishes the request from its intent; EKS holds
 * the change once; the way back is the one planned before the write, so the grant's end takes the
 * access away again, and the audit tells the whole story.
 *
 * <p>The four stories share nothing but the EKS double (each has its own database, principal or cluster), so
 * they run side by side: {@link #startEveryStory} starts them all, each test waits for its own and rethrows
 * what it found. Most of a story is a console JVM starting, on one core while the other starts the next.
 */
@RunsAlongside(seconds = 45)
class AccessEntryCrashTest {

    static final MotoServer MOTO = MotoServer.get();
    static final Region REGION = Region.AP_SOUTH_1;
    static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    static final String CLUSTER = "entry-crash-" + System.nanoTime();
    /** A CONFIG_MAP cluster whose mode change the double keeps InProgress until its tag goes. */
    static final String SLOW = "entry-crash-mode-" + System.nanoTime();
    static final String KNOB = "eks-double/mode-update";
    static final String ADMIN = "arn:aws:iam::" + ACCOUNT + ":role/platform/Admin";
    static final String PREFIX = "arn:aws:eks::aws:cluster-access-policy/";
    static final String VIEW = PREFIX + "AmazonEKSViewPolicy";
    /** A bound, never a timing: a console's start takes minutes on a loaded CI machine. */
    static final Duration START = Duration.ofSeconds(300);
    static final Map<String, String> AWS = Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing");
    static final String MODE_STORY = "mode change";
    private static final SideBySide STORIES = new SideBySide();

    static {
        try (EksClient eks = eks()) {
            eks.createCluster(c -> c.name(CLUSTER).roleArn("arn:aws:iam::" + ACCOUNT + ":role/eks-cluster")
                    .resourcesVpcConfig(vpc -> vpc.subnetIds("subnet-1"))
                    .accessConfig(access -> access.authenticationMode(AuthenticationMode.API)));
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn(ADMIN));
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(ADMIN).policyArn(PREFIX
                    + "AmazonEKSClusterAdminPolicy").accessScope(s -> s.type("cluster")));
            eks.createCluster(c -> c.name(SLOW).roleArn("arn:aws:iam::" + ACCOUNT + ":role/eks-cluster")
                    .resourcesVpcConfig(vpc -> vpc.subnetIds("subnet-1")).tags(Map.of(KNOB, "InProgress"))
                    .accessConfig(access -> access.authenticationMode(AuthenticationMode.CONFIG_MAP)));
        }
    }

    @BeforeAll
    static void startEveryStory() {
        STORIES.start(MODE_STORY, AccessEntryCrashTest::aModeChangeStory);
        haltCases().forEach(c -> {
            Object[] a = c.get();
            STORIES.start(a[0] + " " + a[1],
                    () -> anEntryGrantStory((String) a[0], (String) a[1], (boolean) a[2], (String) a[3]));
        });
    }

    @AfterAll
    static void stopStories() {
        STORIES.close();
    }

    /**
     * A mode change takes EKS minutes: the console that started it stops while EKS still works on it; one
     * started afterwards resumes polling the stored update (never sends UpdateClusterConfig again) and
     * finishes the request when EKS reports it Successful.
     */
    @Test
    void aModeChangeStillRunningWhenTheConsoleStopsIsPolledToItsEndAfterTheRestart() throws Exception {
        STORIES.outcomeOf(MODE_STORY);
    }

    private static void aModeChangeStory() throws Exception {
        String database = TestPostgres.newDatabase();
        String change = "{\"kind\":\"SET_AUTHENTICATION_MODE\",\"authenticationMode\":\"API_AND_CONFIG_MAP\"}";
        try (TestProcess stopping = console("mode-stopping", FileAndApproveMain.class.getName(), database,
                List.of(FileAndApproveMain.args(SLOW, change, null, true)))) {
            Eventually.await("the first console to file, approve and stop", START, stopping::isAlive,
                    alive -> !alive);
            assertThat(Files.readString(stopping.log())).contains(FileAndApproveMain.FINISHED + "APPLYING");
        }
        assertThat(ConsoleProcess.query(database, "SELECT state || ' ' || outcome_message FROM access_requests"))
                .singleElement().asString().startsWith("APPLYING EKS update ").contains("is in progress");
        List<String> update = ConsoleProcess.query(database, "SELECT eks_update_id FROM apply_intents WHERE state = 'PENDING'");
        assertThat(update).singleElement().isNotNull();

        try (EksClient eks = eks()) {
            assertThat(eks.describeCluster(d -> d.name(SLOW)).cluster().accessConfig().authenticationMode())
                    .isEqualTo(AuthenticationMode.CONFIG_MAP);
            String arn = eks.describeCluster(d -> d.name(SLOW)).cluster().arn();
            eks.untagResource(u -> u.resourceArn(arn).tagKeys(KNOB)); // EKS finishes while no console of this story runs
        }
        try (TestProcess restarted = console("mode-restarted", ConsoleApplication.class.getName(), database, List.of())) {
            ConsoleProcess.awaitRows("the restarted console to finish the request", database,
                    "SELECT state FROM access_requests", List.of("APPLIED"), START);
            assertThat(Files.readString(restarted.log())).contains("decision=recovered-APPLIED");
        }
        assertThat(ConsoleProcess.query(database, "SELECT eks_authentication_mode FROM clusters WHERE eks_cluster_name = '"
                + SLOW + "'")).containsExactly("API_AND_CONFIG_MAP");
        assertThat(ConsoleProcess.query(database, "SELECT status || ' ' || eks_update_id FROM apply_intents"))
                .as("the stored update, followed to its end").containsExactly("APPLIED " + update.get(0));
        try (EksClient eks = eks()) {
            assertThat(eks.describeCluster(d -> d.name(SLOW)).cluster().accessConfig().authenticationMode())
                    .isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
        }
        assertThat(ConsoleProcess.query(database, "SELECT action || ' ' || outcome FROM audit_events"
                + " WHERE action = 'ACCESS_ENTRY_APPLY' OR action LIKE 'REQUEST_%' ORDER BY sequence")).containsExactly(
                "REQUEST_FILED SUCCESS", "REQUEST_REVIEWED SUCCESS", "REQUEST_APPROVED SUCCESS",
                "ACCESS_ENTRY_APPLY INTENT", "ACCESS_ENTRY_APPLY SUCCESS", "REQUEST_APPLIED SUCCESS");
    }

    // Each halt point, and each kind where it was written before the crash (the stored way back must be
    // reused). A CREATE halted after its intent wrote nothing: recovery applies it as it applies the
    // ASSOCIATE halted there (one more console restart for the same path, so not repeated).
    static Stream<Arguments> haltCases() {
        return Stream.of(Arguments.of("ASSOCIATE_ACCESS_POLICY", "after-intent", false, "DISASSOCIATE_ACCESS_POLICY"),
                Arguments.of("ASSOCIATE_ACCESS_POLICY", "after-update", true, "DISASSOCIATE_ACCESS_POLICY"),
                Arguments.of("CREATE_ACCESS_ENTRY", "after-update", true, "DELETE_ACCESS_ENTRY"));
    }

    @ParameterizedTest(name = "{0} halt {1}")
    @MethodSource("haltCases")
    void anEntryGrantInterruptedByACrashIsAppliedOnceAndTakenBackAtItsEnd(String kind, String point,
            boolean writtenBeforeTheCrash, String wayBack) throws Exception {
        STORIES.outcomeOf(kind + " " + point);
    }

    private static void anEntryGrantStory(String kind, String point, boolean writtenBeforeTheCrash, String wayBack)
            throws Exception {
        String principal = "arn:aws:iam::" + ACCOUNT + ":role/on-call-" + kind.toLowerCase().charAt(0) + "-" + point;
        boolean associate = kind.startsWith("ASSOCIATE");
        String change;
        if (associate) {
            try (EksClient eks = eks()) {
                eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn(principal));
            }
            change = """
                    {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"%s","policyArn":"%s","accessScope":{"type":"cluster"}}"""
                    .formatted(principal, VIEW);
        } else {
            change = """
                    {"kind":"CREATE_ACCESS_ENTRY","principalArn":"%s","type":"STANDARD","username":"on-call:{{SessionName}}",
                     "kubernetesGroups":["operators"]}""".formatted(principal).replace("\n", "");
        }
        String database = TestPostgres.newDatabase();
        String story = kind.toLowerCase().charAt(0) + "-" + point;

        List<String> dyingArgs = new ArrayList<>(List.of(FileAndApproveMain.args(CLUSTER, change, 2, false)));
        dyingArgs.add("--console.apply.halt-" + point + "=true");
        try (TestProcess dying = console("dying-" + story, FileAndApproveMain.class.getName(), database, dyingArgs)) {
            ConsoleProcess.awaitHalt(dying, FileAndApproveMain.FINISHED);
        }
        assertThat(granted(principal, associate)).as("in EKS when the console died").isEqualTo(writtenBeforeTheCrash);
        assertThat(ConsoleProcess.query(database, "SELECT state FROM access_requests")).containsExactly("APPLYING");
        assertThat(ConsoleProcess.query(database, "SELECT state || ' ' || inverse_planned FROM apply_intents"))
                .containsExactly("PENDING " + writtenBeforeTheCrash);

        try (TestProcess restarted = console("restarted-" + story, ConsoleApplication.class.getName(), database,
                List.of("--console.requests.expiry-check=1s", "--console.requests.expiry-interval=1s"))) {
            ConsoleProcess.awaitRows("recovery to finish the request", database, "SELECT state FROM access_requests",
                    List.of("APPLIED"), START);
            assertThat(granted(principal, associate)).as("in EKS after recovery").isTrue();
            assertThat(Files.readString(restarted.log()))
                    .containsPattern("target=access-entries intent=\\d+ decision=recovered-APPLIED");
            assertThat(ConsoleProcess.query(database, "SELECT status || ' ' || recovered FROM apply_intents"))
                    .containsExactly("APPLIED true");
            assertThat(ConsoleProcess.query(database, "SELECT inverse_change->>'kind' FROM access_requests"))
                    .as("the way back planned before the write").containsExactly(wayBack);

            ConsoleProcess.update(database, "UPDATE access_requests SET grant_ends_at = now() - interval '1 second'");
            ConsoleProcess.awaitRows("the grant to end", database, "SELECT state FROM access_requests",
                    List.of("REVOKED"), Duration.ofSeconds(120));
        }
        assertThat(granted(principal, associate)).as("taken back at the grant's end").isFalse();
        if (associate) {
            assertThat(entryExists(principal)).as("only the association is taken back, not the entry").isTrue();
        }
        assertThat(entryExists(ADMIN)).isTrue();
        assertThat(ConsoleProcess.query(database, "SELECT action || ' ' || outcome FROM audit_events"
                + " WHERE action LIKE 'REQUEST_%' ORDER BY sequence")).containsExactly(
                "REQUEST_FILED SUCCESS", "REQUEST_REVIEWED SUCCESS", "REQUEST_APPROVED SUCCESS",
                "REQUEST_APPLIED SUCCESS", "REQUEST_REVOKED SUCCESS");
        assertThat(ConsoleProcess.query(database, "SELECT outcome || ' ' || actor_subject || ' '"
                + " || ((details->>'change')::jsonb->>'kind') FROM audit_events"
                + " WHERE action = 'ACCESS_ENTRY_APPLY' ORDER BY sequence")).containsExactly(
                "INTENT appr-1 " + kind, "INTENT system:apply-recovery " + kind, "SUCCESS system:apply-recovery " + kind,
                "INTENT system:expiry " + wayBack, "SUCCESS system:expiry " + wayBack);
    }

    /** Whether EKS holds the request's access now: the View association, or the entry. */
    private static boolean granted(String principal, boolean associate) {
        if (!associate) {
            return entryExists(principal);
        }
        try (EksClient eks = eks()) {
            return eks.listAssociatedAccessPolicies(l -> l.clusterName(CLUSTER).principalArn(principal))
                    .associatedAccessPolicies().stream().map(AssociatedAccessPolicy::policyArn).anyMatch(VIEW::equals);
        }
    }

    private static boolean entryExists(String principal) {
        try (EksClient eks = eks()) {
            eks.describeAccessEntry(d -> d.clusterName(CLUSTER).principalArn(principal));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    private static TestProcess console(String name, String mainClass, String database, List<String> extra) {
        List<String> args = new ArrayList<>(extra);
        args.addAll(List.of("--console.clusters.eks.regions=" + REGION.id(),
                "--console.clusters.eks.endpoint-override=" + MOTO.endpoint(),
                "--console.clusters.eks.access-entries-check=1s"));
        return ConsoleProcess.start("entry-" + name, mainClass, database, null, AWS, args.toArray(String[]::new));
    }

    static EksClient eks() {
        return EksClient.builder().endpointOverride(MOTO.endpoint()).region(REGION).credentialsProvider(MOTO.credentials())
                .build();
    }
}
