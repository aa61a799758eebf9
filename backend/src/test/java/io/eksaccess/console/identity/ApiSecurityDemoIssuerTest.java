package io.eksaccess.console.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.BearerTokens;
import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.WebSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.yaml.snakeyaml.Yaml;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON API's security with the built-in demo issuer: bearer tokens from the issuer's real
 * authorization-code flow (PKCE), the browser session with CSRF on state changes, and 401/403
 * as problem+json that say what is missing. Also: openapi.yaml describes every /api/v1 mapping.
 */
@ConsoleIntegrationTest
class ApiSecurityDemoIssuerTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlerMapping;


    private String console() {
        return "http://localhost:" + port;
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token, "Accept", "application/json");
    }

    static JsonNode problem(WebSession.Page page, int status) {
        assertThat(page.status()).as(page.body()).isEqualTo(status);
        assertThat(page.header("Content-Type")).startsWith("application/problem+json");
        JsonNode json = JSON.readTree(page.body());
        assertThat(json.path("status").asInt()).isEqualTo(status);
        assertThat(json.path("instance").asString()).isEqualTo(page.url().getPath());
        return json;
    }

    @Test
    void withoutCredentialsTheApiAnswers401ProblemJsonNotALoginRedirect() {
        WebSession.Page page = new WebSession().get(console() + "/api/v1/me", Map.of("Accept", "text/html"));
        JsonNode json = problem(page, 401);
        assertThat(json.path("detail").asString()).contains("Authorization: Bearer");
        assertThat(page.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(page.header("Location")).isNull();
    }

    @Test
    void aForgedOrGarbageTokenIs401AndNeverFallsBackToTheSession() {
        WebSession browser = new WebSession();
        SignIn.viaDemoIssuer(browser, console(), "admin");
        for (String token : new String[] {BearerTokens.forged(), "garbage"}) {
            JsonNode json = problem(browser.get(console() + "/api/v1/me", bearer(token)), 401);
            assertThat(json.path("detail").asString()).startsWith("The bearer token was rejected");
        }
    }

    @Test
    void accessTokenAndIdTokenFromTheDemoIssuerAuthenticateWithTheRolesOfTheirGroups() {
        BearerTokens.Tokens tokens = BearerTokens.fromDemoIssuer(console(), "auditor");
        for (String token : new String[] {tokens.accessToken(), tokens.idToken()}) {
            WebSession.Page me = new WebSession().get(console() + "/api/v1/me", bearer(token));
            assertThat(me.status()).as(me.body()).isEqualTo(200);
            JsonNode json = JSON.readTree(me.body());
            assertThat(json.path("subject").asString()).isEqualTo("auditor");
            assertThat(json.path("displayName").asString()).isEqualTo("Audrey Auditor");
            assertThat(json.path("roles").toString()).isEqualTo("[\"AUDITOR\",\"REQUESTER\"]");
            assertThat(me.header("Set-Cookie")).as("a bearer call makes no session").isNull();
        }
    }

    @Test
    void forbiddenIs403ProblemJsonNamingTheMissingRoleFromTheAccessTable() {
        String requester = BearerTokens.fromDemoIssuer(console(), "requester").accessToken();
        JsonNode admin = problem(new WebSession().get(console() + "/api/v1/admin/anything", bearer(requester)), 403);
        assertThat(admin.path("detail").asString()).isEqualTo("This needs the ADMIN console role.");
        assertThat(admin.path("requiredRoles").path("ADMIN").toString()).isEqualTo("[\"console-admins\"]");

        String approver = BearerTokens.fromDemoIssuer(console(), "approver").accessToken();
        WebSession.Page allowed = new WebSession().post(console() + "/api/v1/requests/1/reviews", Map.of(),
                bearer(approver));
        assertThat(allowed.status()).as("past security, without a CSRF token: " + allowed.body()).isNotIn(401, 403);
    }

    @Test
    void theBrowserSessionWorksOnTheApiAndItsStateChangesNeedTheCsrfToken() {
        WebSession browser = new WebSession();
        String csrf = SignIn.viaDemoIssuer(browser, console(), "approver").csrfToken();
        WebSession.Page me = browser.get(console() + "/api/v1/me", Map.of("Accept", "application/json"));
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(JSON.readTree(me.body()).path("roles").toString()).isEqualTo("[\"APPROVER\",\"REQUESTER\"]");

        JsonNode noToken = problem(browser.post(console() + "/api/v1/requests/1/reviews", Map.of(),
                Map.of("Accept", "application/json")), 403);
        assertThat(noToken.path("detail").asString()).startsWith("CSRF token missing or invalid");

        WebSession.Page withToken = browser.post(console() + "/api/v1/requests/1/reviews", Map.of(),
                Map.of("Accept", "application/json", "X-CSRF-TOKEN", csrf));
        assertThat(withToken.status()).as(withToken.body()).isNotIn(401, 403);

        WebSession.Page requesterSession = new WebSession().get(console() + "/api/v1/admin/x", Map.of());
        problem(requesterSession, 401);
    }

    @Test
    void theOpenApiDescriptionIsPublicAndDescribesEveryApiMapping() {
        WebSession.Page page = new WebSession().get(console() + "/api/v1/openapi.yaml", Map.of());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("application/yaml");
        Map<String, Object> description = new Yaml().load(page.body());
        assertThat(description.get("openapi")).isEqualTo("3.1.0");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) description.get("paths");

        List<String> mapped = new ArrayList<>();
        handlerMapping.getHandlerMethods().forEach((info, method) -> {
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/v1/")) {
                    continue;
                }
                assertThat(info.getMethodsCondition().getMethods())
                        .as(pattern + " in " + method + " declares its HTTP method(s)").isNotEmpty();
                for (var httpMethod : info.getMethodsCondition().getMethods()) {
                    mapped.add(httpMethod + " " + pattern);
                    assertThat(paths).as("openapi.yaml describes " + pattern).containsKey(pattern);
                    assertThat(paths.get(pattern)).as("openapi.yaml describes " + httpMethod + " " + pattern)
                            .containsKey(httpMethod.name().toLowerCase(java.util.Locale.ROOT));
                }
            }
        });
        assertThat(mapped).as("the test saw the API's mappings")
                .contains("GET /api/v1/me", "GET /api/v1/clusters/{cluster}/who-can", "GET /api/v1/openapi.yaml");
        // Built in parallel by the requests feature; described here so clients see one API.
        assertThat(paths.get("/api/v1/requests")).containsKey("post");
        assertThat(paths.get("/api/v1/requests/{id}")).containsKey("get");
        assertThat(paths.get("/api/v1/requests/{id}/reviews")).containsKey("post");
        assertThat(paths.get("/api/v1/requests/{id}/cancel")).containsKey("post");
        // The undo takes the justification the page asks for, required (the history says why).
        @SuppressWarnings("unchecked")
        Map<String, Object> undo = (Map<String, Object>) paths.get("/api/v1/requests/{id}/undo").get("post");
        @SuppressWarnings("unchecked")
        Map<String, Object> undoBody = (Map<String, Object>) undo.get("requestBody");
        assertThat(undoBody).containsEntry("required", true);
        assertThat(undoBody.toString()).contains("#/components/schemas/Undo");
        @SuppressWarnings("unchecked")
        Map<String, Object> undoSchema = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                description.get("components")).get("schemas")).get("Undo");
        assertThat(undoSchema.get("required")).isEqualTo(List.of("justification"));
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> responses = (Map<String, Object>) ((Map<String, Object>) operation).get("responses");
            if (!path.equals("/api/v1/openapi.yaml")) {
                assertThat(responses).as(method + " " + path + " documents 401").containsKey("401");
            }
        }));
    }

    @Test
    void unknownApiPathsAreProblemJsonToo() {
        String token = BearerTokens.fromDemoIssuer(console(), "requester").accessToken();
        JsonNode json = problem(new WebSession().get(console() + "/api/v1/no-such-thing", bearer(token)), 404);
        assertThat(json.path("detail").asString()).contains("/api/v1/openapi.yaml");
    }
}
