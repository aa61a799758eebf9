package io.eksaccess.console.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Production's split on a real PostgreSQL: Flyway migrates as the owner, the console runs as a
 * login in {@code eks_console_app}. With the console's own credentials the database refuses to
 * rewrite audit rows or reports for lack of privilege (not only by trigger), while sessions, the
 * registry and the job table work as usual.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
@Isolated
class AppDatabaseRoleTest {

    static final TestPostgres.AppRoleDatabase DATABASE = TestPostgres.newDatabaseWithAppRole();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, DATABASE);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AuditLog audit;

    @Test
    void theConsoleRunsAsTheAppRoleAndCannotRewriteTheAuditHistory(CapturedOutput output) throws SQLException {
        assertThat(jdbc.sql("SELECT current_user").query(String.class).single()).isEqualTo(DATABASE.appUser());
        assertThat(output.getAll()).contains("Started").doesNotContain("may UPDATE/DELETE audit_events");

        // Sign-in works (session rows written and read by the app role) and is audited.
        WebSession browser = new WebSession();
        WebSession.Page dashboard = SignIn.viaDemoIssuer(browser, "http://localhost:" + port, "admin");
        assertThat(dashboard.status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM spring_session").query(Long.class).single()).isPositive();
        AuditEvent event = audit.record(AuditActor.system("test"), AuditAction.CLUSTER_ADDED, "prod", null, Map.of(),
                AuditOutcome.SUCCESS);

        for (String sql : new String[] {
            "UPDATE audit_events SET actor_name = 'mallory' WHERE sequence = " + event.sequence(),
            "DELETE FROM audit_events WHERE sequence = " + event.sequence(),
            "TRUNCATE audit_events"}) {
            assertThatThrownBy(() -> jdbc.sql(sql).update())
                    .as(sql)
                    .isInstanceOf(DataAccessException.class)
                    .rootCause()
                    .hasMessageContaining("permission denied for table audit_events");
        }
        assertThatThrownBy(() -> jdbc.sql("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only").update())
                .rootCause()
                .hasMessageContaining("must be owner of table audit_events");

        // Reports and their attestations are just as final.
        long report = jdbc.sql("""
                        INSERT INTO access_reports (scope, trigger, requested_by, generated_at, content, content_sha256)
                        VALUES ('prod', 'ON_DEMAND', 'test', now(), '{}', repeat('a', 64)) RETURNING id""")
                .query(Long.class).single();
        assertThatThrownBy(() -> jdbc.sql("UPDATE access_reports SET content = '{\"x\":1}' WHERE id = :id")
                        .param("id", report).update())
                .rootCause().hasMessageContaining("permission denied for table access_reports");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM report_attestations").update())
                .rootCause().hasMessageContaining("permission denied for table report_attestations");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM flyway_schema_history").update())
                .rootCause().hasMessageContaining("permission denied for table flyway_schema_history");

        // Everything else is ordinary read-write state.
        jdbc.sql("INSERT INTO clusters (name, source) VALUES ('scratch', 'MANUAL')").update();
        assertThat(jdbc.sql("UPDATE clusters SET enabled = false WHERE name = 'scratch'").update()).isEqualTo(1);
        assertThat(jdbc.sql("DELETE FROM clusters WHERE name = 'scratch'").update()).isEqualTo(1);
        jdbc.sql("INSERT INTO scheduled_job_runs (job, period_start, replica) VALUES ('t', now(), 'r')").update();
        assertThat(jdbc.sql("DELETE FROM scheduled_job_runs WHERE job = 't'").update()).isEqualTo(1);
        jdbc.sql("INSERT INTO notification_outbox (type, summary, occurred_at) VALUES ('T', 's', now())").update();

        // The owner is refused too, by the trigger, so a rewrite needs deliberate DDL (which the chain then shows).
        try (Connection owner = DriverManager.getConnection(DATABASE.ownerUrl());
                Statement statement = owner.createStatement()) {
            assertThatThrownBy(() -> statement.execute("UPDATE audit_events SET actor_name = 'mallory'"))
                    .hasMessageContaining("audit_events is append-only: UPDATE is not allowed");
            assertThatThrownBy(() -> statement.execute("DELETE FROM access_reports"))
                    .hasMessageContaining("access_reports is append-only: DELETE is not allowed");
        }
    }
}
