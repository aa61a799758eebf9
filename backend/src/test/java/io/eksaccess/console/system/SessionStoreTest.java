package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.WebSession;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Sessions in real PostgreSQL: page views within a minute of the stored access time leave the
 * session row alone; an older one moves the access time and expiry, and the person stays signed in.
 */
@ConsoleIntegrationTest
class SessionStoreTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;


    record Row(long lastAccess, long expiry) {}

    @Test
    void pageViewsWriteTheSessionRowOnlyOnceAMinute() {
        String console = "http://localhost:" + port;
        WebSession browser = new WebSession();
        SignIn.viaDemoIssuer(browser, console, "admin");
        String sessionId = sessionId(browser, console);
        Row signedIn = row(sessionId);

        assertThat(browser.get(console + "/clusters").status()).isEqualTo(200);
        assertThat(browser.get(console + "/requests").status()).isEqualTo(200);
        assertThat(row(sessionId)).as("no write for a page view within the minute").isEqualTo(signedIn);

        // As if the last write were two minutes ago.
        jdbc.sql("""
                        UPDATE spring_session SET last_access_time = last_access_time - 120000,
                                                  expiry_time = expiry_time - 120000
                         WHERE session_id = :id""").param("id", sessionId).update();
        long viewedFrom = System.currentTimeMillis();
        assertThat(browser.get(console + "/clusters").status()).isEqualTo(200);
        Row touched = row(sessionId);
        assertThat(touched.lastAccess()).isGreaterThanOrEqualTo(viewedFrom - 1000);
        assertThat(touched.expiry() - touched.lastAccess()).as("30 min timeout").isEqualTo(30 * 60 * 1000L);
        assertThat(browser.get(console + "/").status()).as("still signed in (not sent to the login page)").isEqualTo(200);
    }

    /**
     * Issue 19: the API remembers the deserialized security context, but the session row is still
     * read per call, so signing out (here: the row deleted, as sign-out on another replica does)
     * and expiry end the session at the very next call.
     */
    @Test
    void apiCallsStopAtOnceWhenTheSessionIsRevokedOrExpires() {
        String console = "http://localhost:" + port;
        java.util.Map<String, String> json = java.util.Map.of("Accept", "application/json");
        WebSession revoked = new WebSession();
        SignIn.viaDemoIssuer(revoked, console, "admin");
        assertThat(revoked.get(console + "/api/v1/me", json).status()).isEqualTo(200);
        assertThat(revoked.get(console + "/api/v1/me", json).status()).as("the remembered context").isEqualTo(200);
        assertThat(jdbc.sql("DELETE FROM spring_session WHERE session_id = :id")
                .param("id", sessionId(revoked, console)).update()).isEqualTo(1);
        assertThat(revoked.get(console + "/api/v1/me", json).status()).as("signed out elsewhere").isEqualTo(401);

        WebSession expired = new WebSession();
        SignIn.viaDemoIssuer(expired, console, "admin");
        assertThat(expired.get(console + "/api/v1/me", json).status()).isEqualTo(200);
        jdbc.sql("""
                        UPDATE spring_session SET last_access_time = last_access_time - 31 * 60000,
                                                  expiry_time = expiry_time - 31 * 60000
                         WHERE session_id = :id""").param("id", sessionId(expired, console)).update();
        assertThat(expired.get(console + "/api/v1/me", json).status()).as("expired").isEqualTo(401);
    }

    /**
     * Issue 19: an API call within the touch interval sends no UPDATE of the session row at all, not
     * even one that matches no row (counted by a statement-level trigger, which fires for those too);
     * once the stored access time is a minute old, the next call writes it again.
     */
    @Test
    void apiCallsWithinTheIntervalSendNoSessionUpdate() {
        String console = "http://localhost:" + port;
        java.util.Map<String, String> json = java.util.Map.of("Accept", "application/json");
        WebSession client = new WebSession();
        SignIn.viaDemoIssuer(client, console, "admin");
        String sessionId = sessionId(client, console);
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM spring_session_attributes A JOIN spring_session S
                            ON S.primary_id = A.session_primary_id
                         WHERE S.session_id = :id AND A.attribute_name = 'SPRING_SECURITY_CONTEXT'""")
                .param("id", sessionId).query(Long.class).single())
                .as("the sign-in's attribute change on an existing session was saved").isEqualTo(1);
        assertThat(client.get(console + "/api/v1/me", json).status()).isEqualTo(200);
        jdbc.sql("CREATE TABLE session_update_statements (at timestamptz DEFAULT now())").update();
        jdbc.sql("""
                CREATE FUNCTION count_session_update() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO session_update_statements DEFAULT VALUES; RETURN NULL; END $$""").update();
        jdbc.sql("""
                CREATE TRIGGER count_session_update AFTER UPDATE ON spring_session
                   FOR EACH STATEMENT EXECUTE FUNCTION count_session_update()""").update();
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(client.get(console + "/api/v1/me", json).status()).isEqualTo(200);
            }
            assertThat(updateStatements()).as("UPDATEs of spring_session for 5 calls within the minute").isZero();

            // As if the last write were two minutes ago (this UPDATE is counted too).
            jdbc.sql("""
                            UPDATE spring_session SET last_access_time = last_access_time - 120000,
                                                      expiry_time = expiry_time - 120000
                             WHERE session_id = :id""").param("id", sessionId).update();
            long calledFrom = System.currentTimeMillis();
            assertThat(client.get(console + "/api/v1/me", json).status()).isEqualTo(200);
            assertThat(updateStatements()).as("the backdating and one touch").isEqualTo(2);
            Row touched = row(sessionId);
            assertThat(touched.lastAccess()).isGreaterThanOrEqualTo(calledFrom - 1000);
            assertThat(touched.expiry() - touched.lastAccess()).as("30 min timeout").isEqualTo(30 * 60 * 1000L);
            assertThat(client.get(console + "/api/v1/me", json).status()).isEqualTo(200);
            assertThat(updateStatements()).as("none again within the minute").isEqualTo(2);
        } finally {
            jdbc.sql("DROP TRIGGER count_session_update ON spring_session").update();
            jdbc.sql("DROP FUNCTION count_session_update()").update();
            jdbc.sql("DROP TABLE session_update_statements").update();
        }
    }

    private long updateStatements() {
        return jdbc.sql("SELECT count(*) FROM session_update_statements").query(Long.class).single();
    }

    private Row row(String sessionId) {
        List<Row> rows = jdbc.sql("SELECT last_access_time, expiry_time FROM spring_session WHERE session_id = :id")
                .param("id", sessionId).query((rs, n) -> new Row(rs.getLong(1), rs.getLong(2))).list();
        assertThat(rows).as("the session's row").hasSize(1);
        return rows.get(0);
    }

    /** The session cookie holds the session id, Base64-encoded. */
    private static String sessionId(WebSession browser, String console) {
        String cookie = browser.cookieHeader(console + "/");
        String value = cookie.replaceFirst(".*EKS_CONSOLE_SESSION=([^;]+).*", "$1");
        return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }
}
