package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Controller;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one error model mapped once per side, on Spring MVC itself (standalone MockMvc with the real
 * advices and the real messages.properties): the API answers each kind with its status and the same
 * problem+json shape as before; pages redirect with a flash error or show the error page.
 */
class ConsoleExceptionMappingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RestController
    static class Api {

        @GetMapping("/api/v1/refuse/{kind}")
        String refuse(@PathVariable ConsoleException.Kind kind) {
            throw switch (kind) {
                case INVALID -> ConsoleException.invalid("error.request.text-too-long", "the comment", 4001, 4000);
                case FORBIDDEN -> ConsoleException.forbidden("error.request.self-review");
                case NOT_FOUND -> ConsoleException.notFound("error.request.not-found", 12345);
                case CONFLICT -> ConsoleException.conflict("error.request.already-reviewed", 7)
                        .with("validKinds", java.util.List.of("MAP_ROLE", "MAP_USER"));
                case UNAVAILABLE -> ConsoleException.unavailable("error.api.cluster-unread", "prod");
            };
        }

        // Faults the console has no known way left to provoke (a NUL character used to be one): a controller's own bug.
        @GetMapping("/api/v1/broken")
        String broken() {
            throw new IllegalStateException("PreparedStatementCallback; SQL [SELECT token FROM secrets]");
        }

        @GetMapping("/api/v1/denied")
        String denied() {
            throw new AccessDeniedException("method security");
        }
    }

    @Controller
    static class Pages {

        @PostMapping("/requests/{id}/cancel")
        @RefusalRedirect("/requests/{id}")
        String refusedWithRedirect(@PathVariable long id) {
            throw ConsoleException.conflict("error.request.cancel-resolved", id, "approved");
        }

        @PostMapping("/requests/{id}/gone")
        @RefusalRedirect("/requests/{id}")
        String notFoundWithRedirect(@PathVariable long id) {
            throw ConsoleException.notFound("error.request.not-found", id);
        }

        @PostMapping("/plain")
        String refusedWithoutRedirect() {
            throw ConsoleException.forbidden("error.request.self-review");
        }
    }

    private final MockMvc mvc = mvc();

    private static MockMvc mvc() {
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasename("messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        return MockMvcBuilders.standaloneSetup(new Api(), new Pages())
                .setControllerAdvice(new PageRefusals(new FlashMessages(messages)), new ApiExceptionHandler(messages))
                .build();
    }

    @Test
    void anUnexpectedApiErrorIsAProblemDetailThatTellsNothingOfTheExceptionAndSecurityPassesOn() throws Exception {
        MvcResult result = mvc.perform(get("/api/v1/broken")).andReturn();
        assertThat(result.getResponse().getStatus()).isEqualTo(500);
        assertThat(result.getResponse().getContentType()).startsWith("application/problem+json");
        String detail = JSON.readTree(result.getResponse().getContentAsString()).get("detail").asString();
        assertThat(detail).startsWith("The console could not complete this request (an unexpected error, reference ")
                .doesNotContain("SQL").doesNotContain("token");
        assertThatThrownBy(() -> mvc.perform(get("/api/v1/denied"))).as("for the filters to answer 403")
                .hasRootCauseInstanceOf(AccessDeniedException.class);
    }

    @Test
    void apiAnswersEachKindWithItsStatusAndAProblemDetail() throws Exception {
        assertProblem("INVALID", 400, "Bad Request",
                "the comment is 4001 characters long; at most 4000 are allowed: shorten it"
                        + " (link to a ticket or document for the details)");
        assertProblem("FORBIDDEN", 403, "Forbidden", "you cannot review your own request");
        // Numbers are not grouped ("#12,345").
        assertProblem("NOT_FOUND", 404, "Not Found", "there is no request #12345");
        JsonNode conflict = assertProblem("CONFLICT", 409, "Conflict",
                "you have already reviewed request #7; reviews cannot be changed");
        assertThat(conflict.get("validKinds").toString()).isEqualTo("[\"MAP_ROLE\",\"MAP_USER\"]");
        assertProblem("UNAVAILABLE", 503, "Service Unavailable", "Cluster 'prod' has not been read yet, so there is"
                + " nothing to answer from; try again shortly, or see the cluster's page for why it cannot be read.");
    }

    @Test
    void pageRefusalGoesBackWithTheMessageAsFlashError() throws Exception {
        MvcResult result = mvc.perform(post("/requests/42/cancel")).andReturn();
        assertThat(result.getResponse().getStatus()).isEqualTo(302);
        assertThat(result.getResponse().getRedirectedUrl()).isEqualTo("/requests/42");
        assertThat(result.getFlashMap().get("error"))
                .isEqualTo("request #42 is already approved; only a pending request can be cancelled");
    }

    @Test
    void pageNotFoundIsTheNotFoundPageEvenWithARedirect() throws Exception {
        MvcResult result = mvc.perform(post("/requests/42/gone")).andReturn();
        assertThat(result.getResponse().getStatus()).isEqualTo(404);
        assertThat(result.getResponse().getRedirectedUrl()).isNull();
        assertThat(result.getRequest().getAttribute(PageRefusals.REFUSAL)).as("the error page names what is missing")
                .isEqualTo("there is no request #42");
    }

    @Test
    void pageRefusalWithoutARedirectIsTheErrorPageWithItsStatus() throws Exception {
        MvcResult result = mvc.perform(post("/plain")).andReturn();
        assertThat(result.getResponse().getStatus()).isEqualTo(403);
        assertThat(result.getFlashMap().get("error")).isNull();
        assertThat(result.getRequest().getAttribute(PageRefusals.REFUSAL)).as("the error page says why")
                .isEqualTo("you cannot review your own request");
    }

    private JsonNode assertProblem(String kind, int status, String title, String detail) throws Exception {
        MvcResult result = mvc.perform(get("/api/v1/refuse/" + kind)).andReturn();
        assertThat(result.getResponse().getStatus()).as(kind).isEqualTo(status);
        assertThat(result.getResponse().getContentType()).as(kind).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(result.getResponse().getContentAsString());
        assertThat(problem.get("title").asText()).isEqualTo(title);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isEqualTo(detail);
        assertThat(problem.get("instance").asText()).isEqualTo("/api/v1/refuse/" + kind);
        return problem;
    }
}
