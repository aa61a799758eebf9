package io.eksaccess.console.identity;

import io.eksaccess.console.system.SecurityHeaders;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;

/**
 * The JSON API's filter chain ({@value #API}): a caller is either a program with an OIDC bearer
 * token from the console's issuer, or a signed-in browser (the same session as the pages).
 * Authorization comes from the same {@link ConsoleAccessRules} table as the pages. CSRF protects
 * session-authenticated state changes; a request that carries a bearer token is exempt, because
 * a browser never attaches one by itself (and a bad token is a 401, never a fallback to the session).
 * Failures are problem+json: 401 for no or a bad credential, 403 naming the missing role.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfiguration {

    static final String API = "/api/**";
    static final String OPENAPI = "/api/v1/openapi.yaml";

    @Bean
    @Order(5)
    SecurityFilterChain apiSecurityFilterChain(
            HttpSecurity http,
            ConsoleAccessRules accessRules,
            ConsoleRoleMapper roleMapper,
            JwtDecoder apiJwtDecoder,
            BearerTokenRoles bearerTokenRoles,
            SecurityHeaders securityHeaders,
            ApplicationEventPublisher events)
            throws Exception {
        ApiAuthenticationEntryPoint unauthenticated = new ApiAuthenticationEntryPoint();
        ApiAccessDeniedHandler denied = new ApiAccessDeniedHandler(accessRules, roleMapper);
        http.securityMatcher(API)
                .authorizeHttpRequests(authorize -> {
                    // The API's description holds nothing secret and tools fetch it unauthenticated.
                    authorize.requestMatchers(HttpMethod.GET, OPENAPI).permitAll();
                    accessRules.applyTo(authorize);
                })
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.decoder(apiJwtDecoder).jwtAuthenticationConverter(bearerTokenRoles))
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(denied))
                .csrf(csrf -> csrf.ignoringRequestMatchers(ApiSecurityConfiguration::carriesBearerToken))
                // A program is never sent to a login page, so there is no request to remember.
                .requestCache(cache -> cache.disable())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(denied))
                .headers(securityHeaders)
                // every 403 to a state change is audited, whichever part of the chain refused it
                .addFilterAfter(new DeniedStateChangeFilter(events), SecurityContextHolderFilter.class);
        return http.build();
    }

    /**
     * No Spring Security observations at all. {@code management.observations.enable.spring.security=false}
     * only makes them no-ops: each filter, the authentication and the authorization were still
     * wrapped, and every wrapper asked the properties predicate per request whether to observe
     * (issue 19: a share of the JSON API's fixed cost per call). No metric we use comes from them.
     */
    @Bean
    static SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    private static boolean carriesBearerToken(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    }
}
