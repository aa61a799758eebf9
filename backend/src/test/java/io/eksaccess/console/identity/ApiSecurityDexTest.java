package io.eksaccess.console.identity;

import static io.eksaccess.console.identity.ApiSecurityDemoIssuerTest.JSON;
import static io.eksaccess.console.identity.ApiSecurityDemoIssuerTest.bearer;
import static io.eksaccess.console.identity.ApiSecurityDemoIssuerTest.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.BearerTokens;
import io.eksaccess.console.testsupport.DexServer;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.WebSession;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The JSON API with a real Dex as the issuer: tokens from Dex's own login form (LDAP connector)
 * authenticate with the console roles of their Dex groups; the demo issuer's tokens and forged
 * ones do not; the browser session signed in through Dex works on the API too.
 */
class ApiSecurityDexTest extends ConsoleWithDex {

    @Test
    void dexAccessAndIdTokensAuthenticateWithTheRolesOfTheirGroups() {
        BearerTokens.Tokens tokens = BearerTokens.fromDex(DEX, CALLBACK, DexServer.ADMIN.email(), DexServer.PASSWORD);
        for (String token : new String[] {tokens.accessToken(), tokens.idToken()}) {
            WebSession.Page me = new WebSession().get(CONSOLE + "/api/v1/me", bearer(token));
            assertThat(me.status()).as(me.body()).isEqualTo(200);
            JsonNode json = JSON.readTree(me.body());
            assertThat(json.path("displayName").asString()).isEqualTo("Dana Admin");
            assertThat(json.path("roles").toString()).isEqualTo("[\"ADMIN\",\"REQUESTER\"]");
        }
    }

    @Test
    void aDexAuditorIsRefusedAdminCallsWith403NamingTheRole() {
        String token = BearerTokens.fromDex(DEX, CALLBACK, DexServer.AUDITOR.email(), DexServer.PASSWORD).accessToken();
        JsonNode json = problem(new WebSession().get(CONSOLE + "/api/v1/admin/clusters", bearer(token)), 403);
        assertThat(json.path("detail").asString()).isEqualTo("This needs the ADMIN console role.");
        assertThat(json.path("requiredRoles").path("ADMIN").toString()).isEqualTo("[\"console-admins\"]");
        // A bearer-token state change needs no CSRF token: it gets past security to the role check
        // (reviews have none in the URL table: the cluster's policy decides, here on a request that does not exist).
        WebSession.Page review = new WebSession().post(CONSOLE + "/api/v1/requests/1/reviews", Map.of(),
                bearer(token));
        assertThat(review.status()).as(review.body()).isNotIn(401, 403);
        JsonNode adminWrite = problem(new WebSession().post(CONSOLE + "/api/v1/admin/clusters", Map.of(), bearer(token)),
                403);
        assertThat(adminWrite.path("detail").asString()).isEqualTo("This needs the ADMIN console role.");
    }

    @Test
    void forgedTokensAndNoTokenAre401() {
        problem(new WebSession().get(CONSOLE + "/api/v1/me", bearer(BearerTokens.forged())), 401);
        problem(new WebSession().get(CONSOLE + "/api/v1/me", Map.of("Accept", "application/json")), 401);
    }

    @Test
    void theDexBrowserSessionWorksOnTheApiWithCsrfOnStateChanges() {
        WebSession browser = new WebSession();
        String csrf = SignIn.viaDex(browser, CONSOLE, DexServer.APPROVER.email(), DexServer.PASSWORD).csrfToken();
        WebSession.Page me = browser.get(CONSOLE + "/api/v1/me", Map.of("Accept", "application/json"));
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(JSON.readTree(me.body()).path("displayName").asString()).isEqualTo("Dale Approver");
        problem(browser.post(CONSOLE + "/api/v1/requests/1/reviews", Map.of(), Map.of()), 403);
        assertThat(browser.post(CONSOLE + "/api/v1/requests/1/reviews", Map.of(), Map.of("X-CSRF-TOKEN", csrf))
                .status()).isNotIn(401, 403);
    }
}
