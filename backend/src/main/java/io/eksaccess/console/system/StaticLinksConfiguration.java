package io.eksaccess.console.system;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

/**
 * Links in pages are written as the templates give them. Boot's default (with the webjars
 * locator on the class path) passes every link through the static-resource chain to insert
 * versions, and the chain caches only the links it finds: each of the hundreds of links on a
 * bindings page was a class-path search, 45% of the CPU of rendering pages under load. The
 * console versions no URLs; versionless webjar paths are still served by the webjars resolver.
 */
@Configuration(proxyBeanMethods = false)
class StaticLinksConfiguration {

    @Bean
    FilterRegistrationBean<ResourceUrlEncodingFilter> noResourceUrlEncoding() {
        FilterRegistrationBean<ResourceUrlEncodingFilter> registration =
                new FilterRegistrationBean<>(new ResourceUrlEncodingFilter());
        registration.setEnabled(false);
        return registration;
    }
}
