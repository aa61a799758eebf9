package io.eksaccess.console.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.eksaccess.console.testsupport.WebSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Anyone on the network can be refused: a flood of anonymous POSTs must not grow the hash-chained history
 * without bound, and must not vanish either. Sources are told apart by X-Forwarded-For, which the console
 * believes from loopback (its default trusted proxy), as it would from a real proxy.
 */
// A window no test outlives, so what is recorded one by one does not depend on the machine's speed.
@ConsoleIntegrationTest(properties = {"console.audit.anonymous-denials-per-source=3",
        "console.audit.anonymous-denials-in-all=5", "console.audit.anonymous-denials-window=1h"})
class AnonymousDenialFloodTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DeniedRequestAuditor auditor;

    @Autowired
    AuditChainVerifier verifier;

    @Test
    void anAnonymousFloodIsRecordedUpToTheLimitAndCountedBeyondItInOneSummaryRow() {
        auditor.recordEndedWindow(); // nothing counted yet: writes nothing
        long before = rows();
        List<String> sources = List.of("203.0.113.7", "203.0.113.8");
        for (int i = 0; i < 12; i++) {
            WebSession.Page refused = new WebSession().withHeader("X-Forwarded-For", sources.get(0))
                    .post(console() + "/admin/clusters/flood-" + i + "/remove", Map.of());
            assertThat(refused.status()).isEqualTo(403);
        }
        for (int i = 0; i < 4; i++) {
            new WebSession().withHeader("X-Forwarded-For", sources.get(1))
                    .postJson(console() + "/api/v1/requests", "{}", Map.of());
        }
        assertThat(deniedFrom(sources.get(0))).as("one by one up to the limit per source").isEqualTo(3);
        assertThat(deniedFrom(sources.get(1))).as("then up to the limit in all").isEqualTo(2);
        assertThat(rows() - before).isEqualTo(5);

        auditor.recordCountedBeforeStopping(); // what the window's end (or a stop) writes
        Map<String, Object> summary = jdbc.sql("""
                        SELECT actor_subject, source_ip, outcome, details->>'counted' AS counted,
                               details->>'sources' AS sources, details->>'bySource' AS by_source
                          FROM audit_events WHERE action = 'ACCESS_DENIED' AND details->>'counted' IS NOT NULL
                         ORDER BY sequence DESC LIMIT 1""").query().singleRow();
        assertThat(summary).containsEntry("actor_subject", "anonymous").containsEntry("outcome", "DENIED")
                .containsEntry("counted", "11").containsEntry("sources", "2");
        assertThat(summary.get("source_ip")).isNull();
        assertThat((String) summary.get("by_source")).contains("203.0.113.7 ×9 (last: POST /admin/clusters/flood-11/remove)")
                .contains("203.0.113.8 ×2 (last: POST /api/v1/requests)");
        assertThat(rows() - before).as("the rest in one row").isEqualTo(6);
        assertThat(verifier.verify().intact()).isTrue();

        auditor.recordEndedWindow();
        assertThat(rows() - before).as("counted once").isEqualTo(6);
    }

    private long deniedFrom(String ip) {
        return jdbc.sql("SELECT count(*) FROM audit_events WHERE action = 'ACCESS_DENIED' AND source_ip = :ip")
                .param("ip", ip).query(Long.class).single();
    }

    private long rows() {
        return jdbc.sql("SELECT count(*) FROM audit_events WHERE action = 'ACCESS_DENIED'").query(Long.class).single();
    }

    private String console() {
        return "http://localhost:" + port;
    }
}
