package io.eksaccess.console.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.ConsoleApplication;
import io.eksaccess.console.testsupport.ConsoleProcess;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.TestProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * DESIGN invariant 1 with a real crash: a console process halts (Runtime.halt, no shutdown hooks)
 * after the intent and its audit record are committed and before the ConfigMap update; a
 * console started afterwards finds the intent (its lock died with the process) and finishes it.
 */
@RunsAlongside(seconds = 17)
@ResourceLock(KubeApiServer.ALONGSIDE_LOCK)
class ApplyCrashRecoveryTest {

    static final String CLUSTER = "crash";

    @Test
    void anApplyInterruptedAfterItsIntentIsFinishedOnRestart() throws Exception {
        KubeApiServer apiServer = KubeApiServer.alongside();
        ApplyTestCluster.reset(apiServer, ApplyTestCluster.fixture());
        String database = TestPostgres.newDatabase();
        Path kubeconfig = ApplyTestCluster.kubeconfig(apiServer, CLUSTER);
        String version = ApplyTestCluster.awsAuth(apiServer).getMetadata().getResourceVersion();

        try (TestProcess dying = console("crashing", ApplyOnceMain.class.getName(), database, kubeconfig,
                "--console.apply.halt-after-intent=true")) {
            Eventually.await("the first console to halt", Duration.ofSeconds(180), dying::isAlive, alive -> !alive);
            assertThat(Files.readString(dying.log())).contains("decision=halt").doesNotContain("apply-once result=");
        }
        // Half-way: intended and audited as intended, not applied, not finished.
        assertThat(ApplyTestCluster.awsAuth(apiServer).getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(query(database, "SELECT state FROM apply_intents")).containsExactly("PENDING");
        assertThat(query(database, "SELECT outcome || ' ' || actor_subject FROM audit_events"
                + " WHERE action = 'AWS_AUTH_APPLY' ORDER BY sequence")).containsExactly("INTENT user-7");

        try (TestProcess restarted = console("restarted", ConsoleApplication.class.getName(), database, kubeconfig)) {
            Eventually.await("recovery to finish the intent", Duration.ofSeconds(180), () -> {
                try {
                    return query(database, "SELECT state FROM apply_intents");
                } catch (SQLException e) {
                    return List.of(e.getMessage());
                }
            }, states -> states.equals(List.of("DONE")));
            assertThat(Files.readString(restarted.log()))
                    .containsPattern("configmap=kube-system/configmaps/aws-auth intent=\\d+ decision=recovered-APPLIED");
        }
        assertThat(ApplyTestCluster.awsAuth(apiServer).getData().get("mapRoles"))
                .startsWith(ApplyTestCluster.MAP_ROLES).contains("role/ops");
        assertThat(ApplyTestCluster.awsAuth(apiServer).getData().get("mapUsers")).isEqualTo(ApplyTestCluster.MAP_USERS);
        assertThat(query(database, "SELECT status || ' ' || recovered || ' ' || request_id FROM apply_intents"))
                .containsExactly("APPLIED true 7");
        assertThat(query(database, "SELECT outcome || ' ' || actor_subject || ' ' || (details->>'intentId')"
                + " FROM audit_events WHERE action = 'AWS_AUTH_APPLY' ORDER BY sequence"))
                .containsExactly("INTENT user-7 1", "INTENT system:apply-recovery 1", "SUCCESS system:apply-recovery 1");
    }

    private static TestProcess console(String name, String mainClass, String database, Path kubeconfig,
            String... extra) {
        return ConsoleProcess.start("apply-" + name, mainClass, database, kubeconfig, extra);
    }

    private static List<String> query(String database, String sql) throws SQLException {
        return ConsoleProcess.query(database, sql);
    }
}
