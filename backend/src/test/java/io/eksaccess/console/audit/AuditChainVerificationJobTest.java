package io.eksaccess.console.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.WebSession;
import java.time.Duration;
import java.util.Map;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The background check of the hash chain on a real PostgreSQL: it runs on its own (one replica per
 * window), the audit page shows its latest result, and a row rewritten by someone with owner rights
 * is reported at ERROR and shown prominently, naming the row.
 */
// The database as its superuser (as every @ConsoleIntegrationTest): this test plays the insider who disables the trigger.
@ConsoleIntegrationTest(properties = {"console.audit.verify-interval=1h", "console.audit.verify-check-interval=1s"})
@ExtendWith(OutputCaptureExtension.class)
@Isolated
class AuditChainVerificationJobTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AuditLog audit;

    @Autowired
    AuditChainVerificationJob job;

    @Test
    void theChainIsVerifiedInTheBackgroundAndABreakIsShownProminently(CapturedOutput output) {
        AuditEvent first = audit.record(AuditActor.system("test"), AuditAction.CLUSTER_ADDED, "prod", null, Map.of(),
                AuditOutcome.SUCCESS);
        audit.record(AuditActor.system("test"), AuditAction.CLUSTER_RENAMED, "prod", null, Map.of(), AuditOutcome.SUCCESS);
        Eventually.await("the background verification", Duration.ofSeconds(60),
                () -> jdbc.sql("SELECT count(*) FROM audit_chain_verifications").query(Long.class).single(),
                n -> n > 0);
        assertThat(jdbc.sql("SELECT count(*) FROM scheduled_job_runs WHERE job = 'audit-chain-verification'")
                .query(Long.class).single()).as("one run per window").isEqualTo(1);

        WebSession auditor = new WebSession();
        SignIn.viaDemoIssuer(auditor, "http://localhost:" + port, "auditor");
        Element status = auditor.get("http://localhost:" + port + "/audit").html().selectFirst("#last-verification");
        assertThat(status.attr("role")).isEqualTo("status");
        assertThat(status.text()).contains("intact").doesNotContain("ALTERED");
        assertThat(status.selectFirst("time[datetime]")).isNotNull();

        jdbc.sql("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only").update();
        jdbc.sql("UPDATE audit_events SET cluster = 'elsewhere' WHERE sequence = :s").param("s", first.sequence()).update();
        jdbc.sql("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only").update();
        AuditChainVerifier.Result result = job.verifyAndRecord();
        assertThat(result.firstBrokenSequence()).isEqualTo(first.sequence());

        Element broken = auditor.get("http://localhost:" + port + "/audit").html().selectFirst("#last-verification");
        assertThat(broken.attr("role")).isEqualTo("alert");
        assertThat(broken.hasClass("error")).isTrue();
        assertThat(broken.text()).contains("THE AUDIT HISTORY WAS ALTERED", "row " + first.sequence(),
                "content was changed");
        assertThat(output.getAll()).contains("AUDIT CHAIN BROKEN at sequence=" + first.sequence());
        assertThat(output.getAll()).as("one superuser for everything is worth a warning")
                .contains("The console's database role may UPDATE/DELETE audit_events");
    }
}
