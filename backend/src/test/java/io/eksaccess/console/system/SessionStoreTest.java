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
