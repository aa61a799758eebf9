package io.eksaccess.console.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.WebSession;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/** The audit history in a real PostgreSQL: appended, chained, redacted, and tamper-evident. */
@ConsoleIntegrationTest
@DirtiesContext // it breaks the audit chain on purpose: the classes after it get a fresh console and database
class AuditLogTest {

    @LocalServerPort
    int port;

    @Autowired
    AuditLog audit;

    @Autowired
    AuditChainVerifier verifier;

    @Autowired
    JdbcClient jdbc;

    @Test
    void signInIsRecordedWithWhoAndFromWhere() {
        SignIn.viaDemoIssuer(new WebSession(), "http://localhost:" + port, "approver");
        Map<String, Object> row = jdbc.sql("""
                        SELECT actor_name, source_ip, outcome, details->>'roles' AS roles FROM audit_events
                         WHERE action = 'SIGN_IN' ORDER BY sequence DESC LIMIT 1""")
                .query().singleRow();
        assertThat(row).containsEntry("actor_name", "Abe Approver").containsEntry("outcome", "SUCCESS");
        assertThat((String) row.get("roles")).contains("APPROVER");
        assertThat((String) row.get("source_ip")).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
    }

    @Test
    void rowsCannotBeChangedOrDeletedAndTamperingIsFound() {
        AuditActor admin = new AuditActor("sub-1", "Ada", "10.0.0.1");
        AuditEvent first = audit.record(admin, AuditAction.CLUSTER_ADDED, "prod", "clusters/prod", Map.of(), AuditOutcome.SUCCESS);
        AuditEvent second = audit.record(admin, AuditAction.CLUSTER_RENAMED, "prod", "clusters/prod",
                Map.of("from", "prod", "to", "production"), AuditOutcome.SUCCESS);
        assertThat(second.sequence()).isEqualTo(first.sequence() + 1);
        assertThat(second.previousHash()).isEqualTo(first.hash());
        assertThat(verifier.verify().intact()).isTrue();

        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_events SET actor_name = 'mallory' WHERE sequence = :s")
                        .param("s", second.sequence()).update())
                .isInstanceOf(DataAccessException.class)
                .rootCause()
                .hasMessageContaining("audit_events is append-only: UPDATE is not allowed");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_events").update())
                .rootCause()
                .hasMessageContaining("DELETE is not allowed");
        assertThatThrownBy(() -> jdbc.sql("TRUNCATE audit_events").update())
                .rootCause()
                .hasMessageContaining("TRUNCATE is not allowed");

        // Someone with the power to switch the trigger off rewrites a row: the chain shows it.
        jdbc.sql("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only").update();
        jdbc.sql("UPDATE audit_events SET actor_name = 'mallory' WHERE sequence = :s").param("s", second.sequence()).update();
        jdbc.sql("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only").update();
        AuditChainVerifier.Result result = verifier.verify();
        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSequence()).isEqualTo(second.sequence());
        assertThat(result.problem()).contains("content was changed");
    }

    @Test
    void secretsNeverReachTheDetails() {
        AuditEvent event = audit.record(AuditActor.system("test"), AuditAction.CLUSTER_ADDED, "c", null,
                Map.of("clientSecret", "hunter2", "bearerToken", "k8s-aws-v1.xyz", "region", "eu-west-1"),
                AuditOutcome.SUCCESS);
        String stored = jdbc.sql("SELECT details::text FROM audit_events WHERE id = :id").param("id", event.id())
                .query(String.class).single();
        assertThat(stored).doesNotContain("hunter2").doesNotContain("k8s-aws-v1").contains("eu-west-1");
    }
}
