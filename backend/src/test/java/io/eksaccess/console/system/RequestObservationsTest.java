package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.filter.ServerHttpObservationFilter;

/** No http.server.requests observation around every request by default (issue 19); the other filters stay. */
@ConsoleIntegrationTest
class RequestObservationsTest {

    @Autowired
    ServletContext servletContext;

    @Test
    void noServerRequestObservationFilterRunsByDefault() {
        var classes = servletContext.getFilterRegistrations().values().stream()
                .map(FilterRegistration::getClassName).toList();
        assertThat(classes).as("Boot's filter or a subclass of it")
                .noneMatch(name -> name.contains(ServerHttpObservationFilter.class.getSimpleName()))
                .contains(RequestBodyLimit.LimitFilter.class.getName(), SingleWriteResponses.NoFlushFilter.class.getName());
    }
}
