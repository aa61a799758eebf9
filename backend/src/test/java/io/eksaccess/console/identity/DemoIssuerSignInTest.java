package io.eksaccess.console.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.WebSession;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console with its built-in demo issuer (no OIDC configured) against a real PostgreSQL:
 * people sign in through the issuer's login form and get the console roles of their groups.
 */
@ConsoleIntegrationTest
class DemoIssuerSignInTest {

    @LocalServerPort
    int port;


    private String console() {
        return "http://localhost:" + port;
    }

    @Test
    void signedOutVisitorIsSentToTheLoginPageWhichListsDemoPeople() {
        WebSession browser = new WebSession();
        WebSession.Page page = browser.follow(browser.get(console() + "/clusters"));
        assertThat(page.url().getPath()).isEqualTo("/login");
        assertThat(page.html().select(".demo-banner").text()).startsWith("DEMO");
        assertThat(page.html().select(".demo-people td code").eachText())
                .contains("admin", "approver", "requester", "auditor");
    }

    @Test
    void signInLandsOnThePageAskedForWhileSignedOut() {
        WebSession browser = new WebSession();
        WebSession.Page login = browser.follow(browser.get(console() + "/audit"));
        assertThat(login.url().getPath()).isEqualTo("/login");
        // The login page's button, then the issuer's form: the issuer saves its own request too.
        WebSession.Page landed = SignIn.viaDemoIssuer(browser, console(), "auditor");
        assertThat(landed.url().getPath()).isEqualTo("/audit");

        WebSession other = new WebSession();
        other.follow(other.get(console() + "/reports"));
        assertThat(SignIn.viaDemoIssuer(other, console(), "auditor").url().getPath()).isEqualTo("/reports");
    }

    @Test
    void onlyTheDemoPasswordItselfSignsIn() {
        for (String wrong : new String[] {"wrong", "Demo", "demo ", "", "{noop}demo"}) {
            WebSession browser = new WebSession();
            WebSession.Page loginForm = browser.follow(browser.get(console() + "/oauth2/authorization/demo"));
            WebSession.Page refused = browser.follow(browser.submit(loginForm, "form[action$=/demo-idp/login]",
                    Map.of("username", "admin", "password", wrong)));
            assertThat(refused.url().getPath()).as("password '" + wrong + "'").isEqualTo("/demo-idp/login");
            assertThat(refused.html().select("[role=alert]").text()).as("password '" + wrong + "'")
                    .contains("Wrong username or password");
            assertThat(browser.get(console() + "/").status()).as("still signed out after '" + wrong + "'").isNotEqualTo(200);
        }
    }

    @Test
    void adminSignsInAndSeesEveryArea() {
        WebSession browser = new WebSession();
        WebSession.Page dashboard = SignIn.viaDemoIssuer(browser, console(), "admin");
        assertThat(dashboard.url().getPath()).isEqualTo("/");
        assertThat(dashboard.html().select("[data-testid=current-user]").text()).isEqualTo("Ada Admin");
        assertThat(dashboard.html().select("nav a").eachText()).contains("Clusters", "Requests", "Audit", "Reports", "Admin");
        assertThat(dashboard.html().select(".demo-banner")).isNotEmpty();
        assertThat(browser.get(console() + "/admin").status()).isEqualTo(200);
        assertThat(browser.get(console() + "/audit").status()).isEqualTo(200);
    }

    @Test
    void auditorIsRefusedAdminPagesWithThe403PageNamingTheMissingRole() {
        WebSession browser = new WebSession();
        WebSession.Page dashboard = SignIn.viaDemoIssuer(browser, console(), "auditor");
        assertThat(dashboard.html().select("nav a").eachText()).contains("Audit", "Reports").doesNotContain("Admin");

        WebSession.Page admin = browser.get(console() + "/admin");
        assertThat(admin.status()).isEqualTo(403);
        assertThat(admin.html().select("main").text())
                .contains("This needs the ADMIN console role.")
                .contains("Your console roles: REQUESTER, AUDITOR.")
                .contains("console-admins");
        assertThat(browser.get(console() + "/reports").status()).isEqualTo(200);
    }

    @Test
    void requesterCannotApproveButAnApproverReachesTheReview() {
        WebSession requester = new WebSession();
        String token = SignIn.viaDemoIssuer(requester, console(), "requester").csrfToken();
        WebSession.Page refused = requester.post(console() + "/reports/1/attestations", Map.of("_csrf", token));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.html().select("main").text()).contains("This needs the AUDITOR console role.");
        // Reviews are the cluster policy's call (RequestWorkflowTest): past security, no request #1 here.
        assertThat(requester.post(console() + "/requests/1/reviews", Map.of("_csrf", token, "decision", "APPROVE"))
                .status()).isEqualTo(404);
        assertThat(requester.get(console() + "/audit").status()).isEqualTo(403);

        WebSession approver = new WebSession();
        String approverToken = SignIn.viaDemoIssuer(approver, console(), "approver").csrfToken();
        WebSession.Page allowedThrough =
                approver.post(console() + "/requests/1/reviews", Map.of("_csrf", approverToken, "decision", "APPROVE"));
        assertThat(allowedThrough.status()).as("authorized, but there is no request #1").isEqualTo(404);
    }

    @Test
    void postWithoutCsrfTokenIsRefused() {
        WebSession approver = new WebSession();
        SignIn.viaDemoIssuer(approver, console(), "approver");
        WebSession.Page refused = approver.post(console() + "/requests/1/reviews", Map.of("decision", "APPROVE"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.html().select("main").text()).contains("without a valid security token");

        WebSession.Page logoutWithoutToken = approver.post(console() + "/logout", Map.of());
        assertThat(logoutWithoutToken.status()).isEqualTo(403);
        assertThat(approver.get(console() + "/").status()).as("still signed in").isEqualTo(200);
    }

    @Test
    void htmxRequestsCarryTheTokenAsAHeader() {
        WebSession approver = new WebSession();
        String token = SignIn.viaDemoIssuer(approver, console(), "approver").csrfToken();
        WebSession.Page withHeader = approver.post(
                console() + "/requests/7/reviews", Map.of(), Map.of("HX-Request", "true", "X-CSRF-TOKEN", token));
        assertThat(withHeader.status()).isEqualTo(404);
    }

    @Test
    void signedOutHtmxRequestIsToldToReloadInsteadOfReceivingTheLoginPage() {
        WebSession.Page page = new WebSession().get(console() + "/clusters", Map.of("HX-Request", "true"));
        assertThat(page.status()).isEqualTo(401);
        assertThat(page.header("HX-Refresh")).isEqualTo("true");
    }

    @Test
    void signOutEndsTheSession() {
        WebSession browser = new WebSession();
        String token = SignIn.viaDemoIssuer(browser, console(), "requester").csrfToken();
        WebSession.Page afterLogout = browser.follow(browser.post(console() + "/logout", Map.of("_csrf", token)));
        assertThat(afterLogout.url().getPath()).isEqualTo("/login");
        assertThat(afterLogout.html().text()).contains("You are signed out.");
        assertThat(browser.follow(browser.get(console() + "/")).url().getPath()).isEqualTo("/login");
    }

    @Test
    void pagesCarryTheSecurityHeaders() {
        WebSession.Page login = new WebSession().get(console() + "/login");
        assertThat(login.header("Content-Security-Policy"))
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(login.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(login.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(login.header("Referrer-Policy")).isEqualTo("same-origin");
        assertThat(login.header("Strict-Transport-Security")).as("HSTS only over TLS").isNull();
        assertThat(login.html().select("script:not([src])")).as("no inline scripts").isEmpty();
        assertThat(login.html().select("[style]")).as("no inline styles").isEmpty();
        assertThat(login.body()).as("sessions travel in cookies only").doesNotContain("jsessionid");
    }

    @Test
    void hstsIsSentWhenTheRequestArrivedOverTls() {
        // Behind a TLS-terminating proxy; server.forward-headers-strategy lets the console see it.
        WebSession.Page login = new WebSession().get(console() + "/login", Map.of("X-Forwarded-Proto", "https"));
        assertThat(login.header("Strict-Transport-Security")).contains("max-age=31536000");
    }

    @Test
    void healthProbesAnswerWithoutSignIn() {
        WebSession anonymous = new WebSession();
        Map<String, String> json = Map.of("Accept", "application/json");
        assertThat(anonymous.get(console() + "/actuator/health/liveness", json).body()).contains("\"UP\"");
        assertThat(anonymous.get(console() + "/actuator/health/readiness", json).body()).contains("\"UP\"");
        assertThat(anonymous.get(console() + "/actuator/env", json).status()).isNotEqualTo(200);
    }

    @Test
    void unknownAddressGetsTheNotFoundPage() {
        WebSession browser = new WebSession();
        SignIn.viaDemoIssuer(browser, console(), "requester");
        WebSession.Page missing = browser.get(console() + "/no/such/page");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.html().select("h1").text()).isEqualTo("Not found");
    }
}
