package io.eksaccess.console.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.WebSession;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A signed-in script looping on refused URLs must not grow the hash-chained history without bound, and
 * must not vanish either: its refusals (403s of the web layer and refused request transitions alike) are
 * recorded one by one up to the per-person limit, then counted into one summary row in the person's name.
 */
// A window no test outlives, so what is recorded one by one does not depend on the machine's speed.
@ConsoleIntegrationTest(properties = {"console.audit.signed-in-denials-per-person=3",
        "console.audit.signed-in-denials-in-all=1000", "console.audit.signed-in-denials-window=1h"})
class SignedInDenialFloodTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SignedInDenials denials;

    @Autowired
    AuditChainVerifier verifier;

    @Test
    void aSignedInLoopIsRecordedUpToThePerPersonLimitAndCountedBeyondItInOneRowInTheirName() {
        denials.recordEndedWindow(); // nothing counted yet: writes nothing
        long before = rows();
        String tag = "sflood-" + System.nanoTime();
        WebSession requester = signedIn("requester");
        String token = requester.get(console() + "/requests").csrfToken();
        for (int i = 0; i < 12; i++) {
            WebSession.Page refused = requester.post(console() + "/admin/clusters/" + tag + "-" + i + "/remove",
                    Map.of(), Map.of("X-CSRF-TOKEN", token));
            assertThat(refused.status()).isEqualTo(403);
        }
        for (int i = 0; i < 3; i++) { // a refused transition of a request is a refusal of the same person
            WebSession.Page refused = requester.postJson(console() + "/api/v1/requests/987654321" + i + "/cancel", "",
                    Map.of("X-CSRF-TOKEN", token));
            assertThat(refused.status()).isEqualTo(404);
        }
        WebSession approver = signedIn("approver");
        String approverToken = approver.get(console() + "/requests").csrfToken();
        for (int i = 0; i < 2; i++) {
            approver.post(console() + "/admin/clusters/" + tag + "-a" + i + "/remove", Map.of(),
                    Map.of("X-CSRF-TOKEN", approverToken));
        }
        String rita = jdbc.sql("SELECT DISTINCT actor_subject FROM audit_events WHERE resource LIKE :path")
                .param("path", "/admin/clusters/" + tag + "-_/remove").query(String.class).single();
        assertThat(deniedOneByOne(rita)).as("one by one up to the limit per person").isEqualTo(3);
        assertThat(rows() - before).as("the other person has a limit of their own").isEqualTo(5);

        denials.recordCountedBeforeStopping(); // what the window's end (or a stop) writes
        Map<String, Object> summary = jdbc.sql("""
                        SELECT actor_subject, actor_name, outcome, details->>'counted' AS counted,
                               details->>'last' AS last, details->>'limit' AS lim
                          FROM audit_events WHERE action = 'ACCESS_DENIED' AND details->>'counted' IS NOT NULL
                         ORDER BY sequence DESC LIMIT 1""").query().singleRow();
        assertThat(summary).containsEntry("actor_subject", rita).containsEntry("actor_name", "Rita Requester")
                .containsEntry("outcome", "DENIED").containsEntry("counted", "12");
        assertThat((String) summary.get("last")).isEqualTo("REQUEST_CANCELLED requests/9876543212");
        assertThat((String) summary.get("lim")).contains("3 per person").contains("console.audit.signed-in-denials-*");
        assertThat(rows() - before).as("the rest in one row").isEqualTo(6);
        assertThat(verifier.verify().intact()).isTrue();

        denials.recordEndedWindow();
        assertThat(rows() - before).as("counted once").isEqualTo(6);
    }

    private WebSession signedIn(String who) {
        WebSession session = new WebSession();
        SignIn.viaDemoIssuer(session, console(), who);
        return session;
    }

    private long deniedOneByOne(String subject) {
        return jdbc.sql("""
                        SELECT count(*) FROM audit_events
                         WHERE actor_subject = :subject AND outcome = 'DENIED' AND details->>'counted' IS NULL""")
                .param("subject", subject).query(Long.class).single();
    }

    /** Every refusal row: the 403s (ACCESS_DENIED) and the refused transitions (REQUEST_CANCELLED/DENIED). */
    private long rows() {
        return jdbc.sql("SELECT count(*) FROM audit_events WHERE outcome = 'DENIED'").query(Long.class).single();
    }

    private String console() {
        return "http://localhost:" + port;
    }
}
