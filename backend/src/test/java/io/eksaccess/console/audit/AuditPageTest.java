package io.eksaccess.console.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.WebSession;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The audit page: filters, keyset pages back in time, chain verification (also through actions a
 * newer version wrote), auditors and admins only.
 */
@ConsoleIntegrationTest
class AuditPageTest {

    static final String NEWER_ACTION = "ACCESS_ENTRY_CREATED";


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

    private String console() {
        return "http://localhost:" + port;
    }

    @Test
    void auditorFiltersPagesBackAndVerifiesTheChain() {
        AuditActor admin = new AuditActor("sub-admin", "Ada Admin", "10.1.1.1");
        for (int i = 0; i < 60; i++) {
            audit.record(admin, AuditAction.CLUSTER_DISABLED, "paging", "clusters/paging", Map.of("n", "" + i),
                    AuditOutcome.SUCCESS);
        }
        WebSession auditor = new WebSession();
        SignIn.viaDemoIssuer(auditor, console(), "auditor");

        Document first = auditor.get(console() + "/audit?cluster=paging").html();
        assertThat(first.select("tr[data-sequence]")).hasSize(AuditQuery.PAGE_SIZE);
        String older = first.selectFirst("a:contains(Older events)").attr("href");
        Document second = auditor.get(console() + older).html();
        assertThat(second.select("tr[data-sequence]")).hasSize(10);
        assertThat(second.select("a:contains(Older events)")).isEmpty();
        long newestOnSecond = Long.parseLong(second.selectFirst("tr[data-sequence]").attr("data-sequence"));
        long oldestOnFirst = Long.parseLong(first.select("tr[data-sequence]").last().attr("data-sequence"));
        assertThat(newestOnSecond).isLessThan(oldestOnFirst);

        Document signIns = auditor.get(console() + "/audit?action=SIGN_IN").html();
        assertThat(signIns.select("tr[data-sequence]").eachText()).anyMatch(row -> row.contains("Audrey Auditor"));
        assertThat(signIns.select("tr[data-sequence] td:nth-child(4)").eachText()).containsOnly("SIGN_IN");

        // Sign-ins are always there, so an empty page means the filters: it says so and offers the way back.
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("HX-Request", "true"))) {
            Document none = auditor.get(console() + "/audit?cluster=no-such-cluster-ever", headers).html();
            assertThat(none.select("#audit-empty").text()).as("htmx " + headers)
                    .startsWith("No audit event matches these filters");
            assertThat(none.select("#audit-empty a[href=/audit]").text()).isEqualTo("Show all events");
        }

        WebSession.Page fragment = auditor.get(console() + "/audit?actor=Ada", Map.of("HX-Request", "true"));
        assertThat(fragment.body()).startsWith("<div id=\"audit-results\"").doesNotContain("<html");

        WebSession.Page page = auditor.get(console() + "/audit");
        WebSession.Page verified = auditor.submit(page, "form[action$=/audit/verify]", Map.of());
        assertThat(verified.html().select("[role=status]").text()).startsWith("The audit history is intact");
    }

    @Test
    void requestersAndApproversCannotReadTheHistory() {
        WebSession requester = new WebSession();
        SignIn.viaDemoIssuer(requester, console(), "requester");
        assertThat(requester.get(console() + "/audit").status()).isEqualTo(403);
    }

    /**
     * During a rolling upgrade an older replica meets rows whose action only the newer version
     * knows: it still verifies the chain through them and shows them on the audit page.
     */
    @Test
    void aRowWithAnActionThisVersionDoesNotKnowIsVerifiedAndShown() {
        AuditActor admin = new AuditActor("sub-1", "Ada Admin", "10.0.0.1");
        audit.record(admin, AuditAction.CLUSTER_ADDED, "upgrade", "clusters/upgrade", Map.of(), AuditOutcome.SUCCESS);
        writeAsANewerVersion(admin);
        audit.record(admin, AuditAction.CLUSTER_RENAMED, "upgrade", "clusters/upgrade", Map.of(), AuditOutcome.SUCCESS);

        AuditChainVerifier.Result result = verifier.verify();
        assertThat(result.intact()).as(result.problem()).isTrue();
        assertThat(result.rows()).isEqualTo(jdbc.sql("SELECT count(*) FROM audit_events").query(Long.class).single());

        assertThat(query.search(new AuditQuery.Filter(null, "upgrade", null, null, null, null)).events())
                .extracting(AuditEvent::action)
                .containsExactly("CLUSTER_RENAMED", NEWER_ACTION, "CLUSTER_ADDED");
        WebSession auditor = new WebSession();
        SignIn.viaDemoIssuer(auditor, console(), "auditor");
        WebSession.Page page = auditor.get(console() + "/audit?cluster=upgrade");
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
        String hash = AuditHash.of(sequence, id, at, actor, NEWER_ACTION, "upgrade", "access-entries/ops", details,
                "SUCCESS", previous);
        jdbc.sql("""
                        INSERT INTO audit_events (id, sequence, occurred_at, actor_subject, actor_name, source_ip, action,
                                                  cluster, resource, details, outcome, previous_hash, hash)
                        VALUES (:id, :sequence, :at, :subject, :name, :ip, :action, 'upgrade', 'access-entries/ops',
                                CAST(:details AS jsonb), 'SUCCESS', :previous, :hash)""")
                .param("id", id).param("sequence", sequence).param("at", Timestamp.from(at))
                .param("subject", actor.subject()).param("name", actor.displayName()).param("ip", actor.sourceIp())
                .param("action", NEWER_ACTION).param("details", "{\"principalArn\": \"arn:aws:iam::111122223333:role/ops\"}")
                .param("previous", previous).param("hash", hash)
                .update();
    }
}
