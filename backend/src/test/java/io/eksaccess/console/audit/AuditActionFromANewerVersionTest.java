package io.eksaccess.console.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * During a rolling upgrade an older replica meets rows whose action only the newer version knows:
 * it still verifies the chain through them and shows them on the audit page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuditActionFromANewerVersionTest {

    static final String NEWER_ACTION = "ACCESS_ENTRY_CREATED";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestPostgres::newDatabase);
    }

    @LocalServerPort
    int port;

    @Autowired
    AuditLog audit;

    @Autowired
    AuditChainVerifier verifier;

    @Autowired
    AuditQuery query;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aRowWithAnActionThisVersionDoesNotKnowIsVerifiedAndShown() {
        AuditActor admin = new AuditActor("sub-1", "Ada Admin", "10.0.0.1");
        audit.record(admin, AuditAction.CLUSTER_ADDED, "prod", "clusters/prod", Map.of(), AuditOutcome.SUCCESS);
        writeAsANewerVersion(admin);
        audit.record(admin, AuditAction.CLUSTER_RENAMED, "prod", "clusters/prod", Map.of(), AuditOutcome.SUCCESS);

        AuditChainVerifier.Result result = verifier.verify();
        assertThat(result.intact()).as(result.problem()).isTrue();
        assertThat(result.rows()).isEqualTo(jdbc.sql("SELECT count(*) FROM audit_events").query(Long.class).single());

        assertThat(query.search(new AuditQuery.Filter(null, "prod", null, null, null, null)).events())
                .extracting(AuditEvent::action)
                .containsExactly("CLUSTER_RENAMED", NEWER_ACTION, "CLUSTER_ADDED");
        WebSession auditor = new WebSession();
        SignIn.viaDemoIssuer(auditor, "http://localhost:" + port, "auditor");
        WebSession.Page page = auditor.get("http://localhost:" + port + "/audit");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.html().select("td code").eachText()).contains(NEWER_ACTION);
    }

    /** The row as a newer AuditLog would append it: next sequence, linked and hashed the same way. */
    private void writeAsANewerVersion(AuditActor actor) {
        Map<String, Object> last = jdbc.sql("SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1")
                .query().singleRow();
        long sequence = ((Number) last.get("sequence")).longValue() + 1;
        String previous = (String) last.get("hash");
        UUID id = UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Map<String, String> details = Map.of("principalArn", "arn:aws:iam::111122223333:role/ops");
        String hash = AuditHash.of(sequence, id, at, actor, NEWER_ACTION, "prod", "access-entries/ops", details,
                "SUCCESS", previous);
        jdbc.sql("""
                        INSERT INTO audit_events (id, sequence, occurred_at, actor_subject, actor_name, source_ip, action,
                                                  cluster, resource, details, outcome, previous_hash, hash)
                        VALUES (:id, :sequence, :at, :subject, :name, :ip, :action, 'prod', 'access-entries/ops',
                                CAST(:details AS jsonb), 'SUCCESS', :previous, :hash)""")
                .param("id", id).param("sequence", sequence).param("at", Timestamp.from(at))
                .param("subject", actor.subject()).param("name", actor.displayName()).param("ip", actor.sourceIp())
                .param("action", NEWER_ACTION).param("details", "{\"principalArn\": \"arn:aws:iam::111122223333:role/ops\"}")
                .param("previous", previous).param("hash", hash)
                .update();
    }
}
