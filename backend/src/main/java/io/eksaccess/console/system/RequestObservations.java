package io.eksaccess.console.system;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * No {@code http.server.requests} observation per request unless {@code console.web.request-metrics=true}.
 * Boot's filter opens an observation (context, timer, tags) around every request, a few percent of
 * a JSON API call (issue 19), for a metric nothing here exposes (only health is on the actuator by
 * default). A disabled registration of that filter type makes Boot's own back off.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "console.web.request-metrics", havingValue = "false", matchIfMissing = true)
class RequestObservations {

    @Bean
    FilterRegistrationBean<ServerHttpObservationFilter> noServerHttpObservationFilter() {
        FilterRegistrationBean<ServerHttpObservationFilter> registration =
                new FilterRegistrationBean<>(new ServerHttpObservationFilter(ObservationRegistry.NOOP));
        registration.setEnabled(false);
        return registration;
    }
}
