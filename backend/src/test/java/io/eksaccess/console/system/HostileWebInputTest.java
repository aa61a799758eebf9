package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.WebSession;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What an attacker (or a garbled link) sends that the forms never would: a NUL character in a JSON text,
 * a form field or a query parameter (PostgreSQL text cannot hold one: it used to fail at the database as
 * a 500), and a path value of the wrong type (the 400 page blamed the HTTP instead of naming the value).
 */
@ConsoleIntegrationTest
class HostileWebInputTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ARN = "arn:aws:iam::111122223333:role/nul-" + System.nanoTime();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aNulCharacterInJsonFormsOrQueriesIsA400NamingItAndNothingIsStored() throws Exception {
        WebSession requester = signedIn("requester");
        String token = requester.get(console() + "/requests").csrfToken();
        Map<String, String> csrf = Map.of("X-CSRF-TOKEN", token);

        WebSession.Page cluster = requester.postJson(console() + "/api/v1/requests", body("nul\\u0000x", "why"), csrf);
        assertProblem(cluster, "cluster holds a NUL character");
        WebSession.Page justification = requester.postJson(console() + "/api/v1/requests",
                body("nul", "a\\u0000b"), csrf);
        assertProblem(justification, "justification holds a NUL character");
        WebSession.Page query = requester.get(console() + "/api/v1/clusters/nul/who-can?verb=get%00&resource=pods",
                Map.of("Accept", "application/json"));
        assertProblem(query, "NUL");

        WebSession.Page form = requester.post(console() + "/requests/new", Map.of("_csrf", token, "cluster", "nul",
                "kind", "MAP_ROLE", "arn", ARN, "username", "n:{{SessionName}}", "groups", "readers", "duration", "",
                "justification", "j\u0000"));
        assertThat(form.status()).as(form.body()).isEqualTo(400);
        assertThat(form.header("Content-Type")).startsWith("text/html");

        assertThat(jdbc.sql("SELECT count(*) FROM access_requests WHERE change::text LIKE :arn")
                .param("arn", "%" + ARN + "%").query(Long.class).single()).isZero();
    }

    @Test
    void aPathValueOfTheWrongTypeSaysWhichValueAndWhatItTakes() throws Exception {
        WebSession requester = signedIn("requester");
        WebSession.Page word = requester.get(console() + "/requests/abc");
        assertThat(word.status()).isEqualTo(400);
        assertThat(word.html().selectFirst("#error-bad-value").text())
                .isEqualTo("'abc' is not a valid id: a whole number is expected. Check the link you followed, or start"
                        + " again from the dashboard.");
        WebSession.Page huge = requester.get(console() + "/requests/" + "9".repeat(500));
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.html().selectFirst("#error-bad-value").text()).as("the value echoed is capped")
                .startsWith("'" + "9".repeat(80) + "…' is not a valid id").hasSizeLessThan(200);

        // A prefilled link (extend, revert a drift, a notification) with a value the form does not know.
        WebSession.Page kind = requester.get(console() + "/requests/new?cluster=c&kind=BOGUS");
        assertThat(kind.status()).isEqualTo(400);
        assertThat(kind.html().selectFirst("#error-bad-value").text())
                .startsWith("'BOGUS' is not a valid kind: one of [MAP_ROLE, ");
        WebSession.Page date = signedIn("auditor").get(console() + "/audit?from=yesterday");
        assertThat(date.status()).isEqualTo(400);
        assertThat(date.html().selectFirst("#error-bad-value").text())
                .startsWith("'yesterday' is not a valid from: a date such as 2026-01-31 is expected");

        WebSession.Page api = requester.get(console() + "/api/v1/requests/abc", Map.of("Accept", "application/json"));
        assertProblem(api, "'abc' is not a request id (a number)");
    }

    @Test
    void theErrorPathAskedForDirectlyIsNotFoundAndMalformedBodiesAreNamed() throws Exception {
        WebSession requester = signedIn("requester");
        WebSession.Page error = requester.get(console() + "/error");
        assertThat(error.status()).as("not a crash (Boot's 500 \"999\")").isEqualTo(404);
        assertThat(error.body()).doesNotContain("999");

        WebSession.Page batch = requester.postJson(console() + "/api/v1/requests", """
                {"cluster":"c","change":{"kind":"ACCESS_ENTRY_BATCH","changes":[null]},"justification":"j"}""",
                Map.of("X-CSRF-TOKEN", requester.get(console() + "/requests").csrfToken()));
        assertProblem(batch, "change 1 of 1: the item is empty (null)");

        WebSession.Page fraction = requester.postJson(console() + "/api/v1/requests", """
                {"cluster":"c","change":{"kind":"MAP_ROLE","arn":"%s","username":"n","groups":["g"]},
                 "justification":"j","durationHours":1.5}""".formatted(ARN),
                Map.of("X-CSRF-TOKEN", requester.get(console() + "/requests").csrfToken()));
        assertProblem(fraction, "wrong type of value for durationHours"); // not a grant of 1 hour
    }

    /** htmx posts as people type (the request form's preview): a session that expired meanwhile reloads the page. */
    @Test
    void anHtmxPostOfAnExpiredSessionReloadsThePageAndIsStillRefused() {
        WebSession expired = new WebSession(); // its session (and the token with it) is gone
        WebSession.Page preview = expired.post(console() + "/requests/new", Map.of("_csrf", "stale", "cluster", "c"),
                Map.of("HX-Request", "true"));
        assertThat(preview.status()).isEqualTo(403);
        assertThat(preview.header("HX-Refresh")).as("reload, to the login page").isEqualTo("true");

        WebSession signedIn = signedIn("requester"); // a stale token of a live session: the page says so instead
        WebSession.Page stale = signedIn.post(console() + "/requests/new", Map.of("_csrf", "stale", "cluster", "c"),
                Map.of("HX-Request", "true"));
        assertThat(stale.status()).isEqualTo(403);
        assertThat(stale.header("HX-Refresh")).isNull();
    }

    private static String body(String cluster, String justification) {
        return """
                {"cluster":"%s","change":{"kind":"MAP_ROLE","arn":"%s","username":"n:{{SessionName}}",
                 "groups":["readers"]},"justification":"%s"}""".formatted(cluster, ARN, justification);
    }

    private static void assertProblem(WebSession.Page page, String detail) throws Exception {
        assertThat(page.status()).as(page.body()).isEqualTo(400);
        assertThat(page.header("Content-Type")).startsWith("application/problem+json");
        assertThat(JSON.readTree(page.body()).get("detail").asText()).contains(detail);
    }

    private WebSession signedIn(String who) {
        WebSession session = new WebSession();
        SignIn.viaDemoIssuer(session, console(), who);
        return session;
    }

    private String console() {
        return "http://localhost:" + port;
    }
}
