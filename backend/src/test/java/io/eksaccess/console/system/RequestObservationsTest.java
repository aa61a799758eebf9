package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.filter.ServerHttpObservationFilter;

/** No http.server.requests observation around every request by default (issue 19); the other filters stay. */
@ConsoleIntegrationTest
class RequestObservationsTest {

    @Autowired
    ServletContext servletContext;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    @Test
    void noServerRequestObservationFilterRunsByDefault() {
        var classes = servletContext.getFilterRegistrations().values().stream()
                .map(FilterRegistration::getClassName).toList();
        assertThat(classes).as("Boot's filter or a subclass of it")
                .noneMatch(name -> name.contains(ServerHttpObservationFilter.class.getSimpleName()))
                .contains(RequestBodyLimit.LimitFilter.class.getName(), SingleWriteResponses.NoFlushFilter.class.getName());
    }

    @Test
    void aRequestIsNotTimedByDefault() throws Exception {
        HttpResponse<String> login = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(meters.find("http.server.requests").timers()).as("RequestMetricsOptInTest has them on").isEmpty();
    }
}
