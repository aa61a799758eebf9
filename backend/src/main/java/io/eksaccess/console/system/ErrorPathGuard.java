package io.eksaccess.console.system;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code /error} is where the container renders errors; asked for directly it has no error to show and
 * Boot answers "500 (999)", which reads as a crash. A direct request is a 404 like any unknown address.
 */
@Configuration(proxyBeanMethods = false)
class ErrorPathGuard {

    @Bean
    FilterRegistrationBean<DirectRequests> errorPathGuardFilter() {
        FilterRegistrationBean<DirectRequests> registration = new FilterRegistrationBean<>(new DirectRequests());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        registration.addUrlPatterns("/error");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        return registration;
    }

    static final class DirectRequests extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getDispatcherType() == DispatcherType.REQUEST && "/error".equals(request.getRequestURI())) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            chain.doFilter(request, response);
        }
    }
}
