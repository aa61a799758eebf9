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
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A signed-in script looping on refused URLs must not grow the hash-chained history without bound, and
 * must not vanish either: its refusals (403s of the web layer and refused request transitions alike) are
 * recorded one by one up to the per-person limit, then counted into one summary row in the person's name.
 * And anyone can fail a sign-in in a loop (start one, send a made-up code back): limited per source too.
 */
// A window no test outlives, so what is recorded one by one does not depend on the machine's speed.
@ConsoleIntegrationTest(properties = {"console.audit.signed-in-denials-per-person=3",
        "console.audit.signed-in-denials-in-all=1000", "console.audit.signed-in-denials-window=1h",
        "console.audit.anonymous-denials-per-source=3", "console.audit.anonymous-denials-in-all=1000",
        "console.audit.anonymous-denials-window=1h"})
class SignedInDenialFloodTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SignedInDenials denials;

    @Autowired
    AuditChainVerifier verifier;

    @Autowired
    DeniedRequestAuditor anonymous;

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

    @Test
    void failedSignInsInALoopAreRecordedUpToTheLimitPerSourceAndCountedBeyondIt() {
        String source = "198.51.100.23";
        for (int i = 0; i < 7; i++) {
            WebSession attacker = new WebSession().withHeader("X-Forwarded-For", source);
            WebSession.Page start = attacker.get(console() + "/oauth2/authorization/demo");
            String state = UriComponentsBuilder.fromUri(start.location()).build().getQueryParams().getFirst("state");
            WebSession.Page back = attacker.get(console() + "/login/oauth2/code/demo?code=made-up&state=" + state);
            assertThat(back.location().toString()).endsWith("/login?error");
        }
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM audit_events WHERE action = 'SIGN_IN_FAILED' AND source_ip = :ip""")
                .param("ip", source).query(Long.class).single()).as("one by one up to the limit per source").isEqualTo(3);

        anonymous.recordCountedBeforeStopping();
        assertThat(jdbc.sql("""
                        SELECT details->>'bySource' FROM audit_events
                         WHERE action = 'ACCESS_DENIED' AND actor_subject = 'anonymous' AND details->>'counted' IS NOT NULL
                         ORDER BY sequence DESC LIMIT 1""").query(String.class).single())
                .contains(source + " ×4 (last: sign-in failed)");
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
