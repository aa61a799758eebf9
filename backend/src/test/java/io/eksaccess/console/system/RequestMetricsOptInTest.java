package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.eksaccess.console.testsupport.Eventually;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code console.web.request-metrics=true} brings Boot's {@code http.server.requests} observation back
 * (RequestObservationsTest has the default, off): a request to the console is timed.
 */
@ConsoleIntegrationTest(properties = "console.web.request-metrics=true")
class RequestMetricsOptInTest {

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Test
    void withRequestMetricsOnARequestIsTimed() throws Exception {
        HttpResponse<String> login = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        // The filter stops the observation after the response went out, so the client may see it first.
        Timer timer = Eventually.await("an http.server.requests timer for GET /login", Duration.ofSeconds(10),
                () -> meters.find("http.server.requests").tag("uri", "/login").tag("method", "GET").timer(),
                t -> t != null && t.count() > 0);
        assertThat(timer.getId().getTag("status")).isEqualTo("200");
    }
}
