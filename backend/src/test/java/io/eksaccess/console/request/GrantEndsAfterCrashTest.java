package io.eksaccess.console.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.ConsoleApplication;
import io.eksaccess.console.apply.MappingChange;
import io.eksaccess.console.apply.MappingChangeJson;
import io.eksaccess.console.awsauth.AwsAuthEdit.RoleEntry;
import io.eksaccess.console.testsupport.ConsoleProcess;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.eksaccess.console.testsupport.SideBySide;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.TestProcess;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A time-bound grant ends even when the console dies mid-apply (issue #14): a real console process
 * files and approves a one-hour request and halts (Runtime.halt, no shutdown hooks) either after
 * the intent is committed and before the ConfigMap update, or right after the update and before
 * the outcome is recorded. A console started afterwards finishes the request from its intent;
 * when the grant ends, the mapping is gone from the real API server's aws-auth and the audit says
 * so. Before the fix the second case stored "map the same entry again" as the way back, so the
 * grant's end changed nothing while the audit reported REQUEST_REVOKED SUCCESS.
 *
 * <p>The two cases run side by side ({@link SideBySide}): each has its own database and its own role in
 * the one aws-auth (the console re-plans a write that raced another), so one case's console starts while
 * the other's waits.
 */
@RunsAlongside(seconds = 24)
@ResourceLock(KubeApiServer.ALONGSIDE_LOCK)
class GrantEndsAfterCrashTest {

    static final String CLUSTER = "grant-crash";
    static final String ROLE = "arn:aws:iam::111122223333:role/on-call";
    static final String ADMINS = """
            - rolearn: arn:aws:iam::111122223333:role/admins
              username: admin:{{SessionName}}
              groups:
                - system:masters
            """;

    private static final SideBySide CASES = new SideBySide();

    static Stream<Arguments> haltPoints() {
        return Stream.of(Arguments.of("after-intent", false), Arguments.of("after-update", true));
    }

    @BeforeAll
    static void startBothCases() {
        resetAwsAuth(KubeApiServer.alongside());
        haltPoints().forEach(c -> {
            Object[] a = c.get();
            CASES.start((String) a[0], () -> grantStory((String) a[0], (boolean) a[1]));
        });
    }

    @AfterAll
    static void stopCases() {
        CASES.close();
    }

    @ParameterizedTest(name = "halt {0}")
    @MethodSource("haltPoints")
    void aGrantInterruptedByACrashIsAppliedOnceAndTakenBackAtItsEnd(String point, boolean writtenBeforeTheCrash)
            throws Exception {
        CASES.outcomeOf(point);
    }

    private static void grantStory(String point, boolean writtenBeforeTheCrash) throws Exception {
        KubeApiServer apiServer = KubeApiServer.alongside();
        String role = ROLE + "-" + point;
        MappingChange change = new MappingChange.MapRole(new RoleEntry(role, null, "on-call:{{SessionName}}",
                List.of("operators")));
        String database = TestPostgres.newDatabase();
        Path kubeconfig = apiServer.kubeconfigFor(CLUSTER);

        List<String> dyingArgs = new ArrayList<>(List.of(FileAndApproveMain.args(CLUSTER, MappingChangeJson.write(change), 1, false)));
        dyingArgs.add("--console.apply.halt-" + point + "=true");
        try (TestProcess dying = console("dying-" + point, FileAndApproveMain.class.getName(), database, kubeconfig,
                dyingArgs.toArray(String[]::new))) {
            ConsoleProcess.awaitHalt(dying, FileAndApproveMain.FINISHED);
        }
        assertThat(mapRoles(apiServer).contains(role)).isEqualTo(writtenBeforeTheCrash);
        assertThat(ConsoleProcess.query(database, "SELECT state FROM access_requests")).containsExactly("APPLYING");
        assertThat(ConsoleProcess.query(database, "SELECT state || ' ' || inverse_planned FROM apply_intents"))
                .containsExactly("PENDING " + writtenBeforeTheCrash);

        try (TestProcess restarted = console("restarted-" + point, ConsoleApplication.class.getName(), database,
                kubeconfig, "--console.requests.expiry-check=1s", "--console.requests.expiry-interval=1s")) {
            ConsoleProcess.awaitRows("recovery to finish the request", database, "SELECT state FROM access_requests",
                    List.of("APPLIED"), Duration.ofSeconds(180));
            assertThat(mapRoles(apiServer)).contains(role);
            assertThat(ConsoleProcess.query(database, "SELECT inverse_change->>'kind' FROM access_requests"))
                    .as("the way back removes the mapping").containsExactly("UNMAP_ROLE");

            ConsoleProcess.update(database, "UPDATE access_requests SET grant_ends_at = now() - interval '1 second'");
            ConsoleProcess.awaitRows("the grant to end", database, "SELECT state FROM access_requests",
                    List.of("REVOKED"), Duration.ofSeconds(120));
        }
        assertThat(mapRoles(apiServer)).as("the mapping is gone from aws-auth").doesNotContain(role)
                .contains("role/admins");
        assertThat(ConsoleProcess.query(database, "SELECT action || ' ' || outcome FROM audit_events"
                + " WHERE action LIKE 'REQUEST_%' ORDER BY sequence")).containsExactly(
                "REQUEST_FILED SUCCESS", "REQUEST_REVIEWED SUCCESS", "REQUEST_APPROVED SUCCESS",
                "REQUEST_APPLIED SUCCESS", "REQUEST_REVOKED SUCCESS");
        assertThat(ConsoleProcess.query(database, "SELECT outcome FROM audit_events WHERE action = 'AWS_AUTH_APPLY'"
                + " AND details->>'change' LIKE '%UNMAP_ROLE%' ORDER BY sequence"))
                .containsExactly("INTENT", "SUCCESS");
    }

    private static void resetAwsAuth(KubeApiServer apiServer) {
        try (KubernetesClient client = apiServer.adminClient()) {
            client.configMaps().inNamespace("kube-system").withName("aws-auth").withTimeout(30, TimeUnit.SECONDS)
                    .delete();
            client.configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("aws-auth").withNamespace("kube-system").endMetadata()
                    .withData(Map.of("mapRoles", ADMINS)).build()).create();
        }
    }

    private static String mapRoles(KubeApiServer apiServer) {
        try (KubernetesClient client = apiServer.adminClient()) {
            ConfigMap configMap = client.configMaps().inNamespace("kube-system").withName("aws-auth").get();
            return configMap.getData().getOrDefault("mapRoles", "");
        }
    }

    private static TestProcess console(String name, String mainClass, String database, Path kubeconfig,
            String... extra) {
        return ConsoleProcess.start("grant-" + name, mainClass, database, kubeconfig, extra);
    }
}
