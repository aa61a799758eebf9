package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.BearerTokens;
import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.eksaccess.console.testsupport.WebSession;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * JSON answers leave in one piece with their length (issue 19): the converters' flush used to commit
 * them chunked, two socket writes per call; answers up to 64 KiB too (Tomcat's buffer is 8 KiB). The
 * security headers are still on them.
 */
@ConsoleIntegrationTest
class SingleWriteResponsesTest {

    @LocalServerPort
    int port;

    @Test
    void healthAndApiAnswersCarryTheirLengthInsteadOfChunks() {
        String console = "http://localhost:" + port;
        WebSession.Page health = new WebSession().get(console + "/actuator/health", Map.of("Accept", "application/json"));
        assertThat(health.status()).isEqualTo(200);
        assertSentWhole(health);

        String token = BearerTokens.fromDemoIssuer(console, "admin").accessToken();
        WebSession.Page me = new WebSession().get(console + "/api/v1/me",
                Map.of("Authorization", "Bearer " + token, "Accept", "application/json"));
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).contains("\"admin\"");
        assertSentWhole(me);
        assertThat(me.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(me.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(me.header("Cache-Control")).contains("no-store");
    }

    @Test
    void anAnswerLargerThanTomcatsDefaultBufferAlsoLeavesInOnePiece() {
        WebSession.Page openapi = new WebSession().get("http://localhost:" + port + "/api/v1/openapi.yaml");
        assertThat(openapi.status()).isEqualTo(200);
        assertThat(openapi.body().getBytes(StandardCharsets.UTF_8).length).as("larger than Tomcat's 8 KiB buffer")
                .isGreaterThan(8192).isLessThan(SingleWriteResponses.BUFFER_BYTES);
        assertThat(openapi.body().strip()).startsWith("openapi:");
        assertSentWhole(openapi);
        assertThat(openapi.header("Content-Security-Policy")).contains("default-src 'self'");
    }

    private static void assertSentWhole(WebSession.Page page) {
        assertThat(page.header("Transfer-Encoding")).as("chunked").isNull();
        assertThat(page.header("Content-Length")).as("Content-Length")
                .isEqualTo(String.valueOf(page.body().getBytes(StandardCharsets.UTF_8).length));
    }
}
