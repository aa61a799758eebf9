package io.eksaccess.console.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.DexServer;
import io.eksaccess.console.testsupport.LdapDirectory;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.WebSession;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console wired to a real Dex: people sign in through Dex's own login form; their Dex
 * groups become console roles; the demo issuer is off.
 */
class DexSignInTest extends ConsoleWithDex {

    private static WebSession.Page signIn(WebSession browser, LdapDirectory.Person person) {
        return SignIn.viaDex(browser, CONSOLE, person.email(), DexServer.PASSWORD);
    }

    @Test
    void loginPageOffersDexAndNoDemoPeople() {
        WebSession.Page login = new WebSession().get(CONSOLE + "/login");
        assertThat(login.html().select("#sign-in").text()).isEqualTo("Sign in with Dex");
        assertThat(login.html().select(".demo-people, .demo-banner")).isEmpty();
        assertThat(login.header("Content-Security-Policy")).contains("form-action 'self' http://127.0.0.1:");
        assertThat(new WebSession().get(CONSOLE + "/demo-idp/login").status()).as("demo issuer is off").isIn(302, 404);
    }

    @Test
    void adminSignsInThroughDexAndGetsTheAdminRoleFromGroups() {
        WebSession browser = new WebSession();
        WebSession.Page dashboard = signIn(browser, DexServer.ADMIN);
        assertThat(dashboard.url().toString()).isEqualTo(CONSOLE + "/");
        assertThat(dashboard.html().select("nav .roles").text()).contains("ADMIN");
        assertThat(browser.get(CONSOLE + "/admin").status()).isEqualTo(200);
    }

    @Test
    void auditorCannotReachAdminPages() {
        WebSession browser = new WebSession();
        signIn(browser, DexServer.AUDITOR);
        WebSession.Page admin = browser.get(CONSOLE + "/admin");
        assertThat(admin.status()).isEqualTo(403);
        assertThat(admin.html().select("main").text()).contains("This needs the ADMIN console role.");
        assertThat(browser.get(CONSOLE + "/audit").status()).isEqualTo(200);
    }

    @Test
    void requesterCannotApproveAndCsrfIsEnforced() {
        WebSession requester = new WebSession();
        String token = signIn(requester, DexServer.REQUESTER).csrfToken();
        // The URL table lets every signed-in person reach a review; the cluster's policy refuses a requester
        // (RequestWorkflowTest), and here there is no request #1 at all.
        assertThat(requester.post(CONSOLE + "/requests/1/reviews", Map.of("_csrf", token)).status()).isEqualTo(404);
        assertThat(requester.post(CONSOLE + "/admin/policies/x", Map.of("_csrf", token)).status()).isEqualTo(403);

        WebSession approver = new WebSession();
        String approverToken = signIn(approver, DexServer.APPROVER).csrfToken();
        assertThat(approver.post(CONSOLE + "/requests/1/reviews", Map.of()).status()).as("no CSRF token").isEqualTo(403);
        assertThat(approver.post(CONSOLE + "/requests/1/reviews", Map.of("_csrf", approverToken)).status())
                .as("authorized; no such request").isEqualTo(404);
    }

    @Test
    void wrongPasswordStaysAtDex() {
        WebSession browser = new WebSession();
        WebSession.Page form = browser.follow(browser.get(CONSOLE + "/oauth2/authorization/oidc"));
        WebSession.Page again = browser.follow(
                browser.submit(form, "form", Map.of("login", DexServer.ADMIN.email(), "password", "wrong")));
        assertThat(again.url().toString()).startsWith(DEX.issuer());
        assertThat(browser.follow(browser.get(CONSOLE + "/")).url().getPath()).isEqualTo("/login");
    }
}
