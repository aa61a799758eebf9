package io.eksaccess.console.identity;

import io.eksaccess.console.system.SecurityHeaders;
import java.net.URI;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;

/**
 * The console's own filter chain: OIDC login only, server-side authorization on every URL from
 * {@link ConsoleAccessRules}, CSRF on every state change (htmx sends the token as a header, see
 * {@code app.js}), and the security headers. The demo issuer, when on, has its own chain first.
 */
@Configuration(proxyBeanMethods = false)
class WebSecurityConfiguration {

    static final String[] PUBLIC = {
        "/login", "/error", "/css/**", "/js/**", "/webjars/**", "/favicon.ico", "/actuator/health", "/actuator/health/**"
    };

    @Bean
    SecurityHeaders securityHeaders(OidcProperties oidc) {
        URI issuer = oidc.issuerUri();
        String issuerOrigin = oidc.configured() ? issuer.getScheme() + "://" + issuer.getAuthority() : "";
        return new SecurityHeaders(issuerOrigin);
    }

    @Bean
    @Order(10)
    SecurityFilterChain consoleSecurityFilterChain(
            HttpSecurity http,
            ConsoleAccessRules accessRules,
            ConsoleOidcUserService oidcUserService,
            ClientRegistrationRepository clients,
            SecurityHeaders securityHeaders,
            ApplicationEventPublisher events)
            throws Exception {
        OidcClientInitiatedLogoutSuccessHandler logoutSuccess = new OidcClientInitiatedLogoutSuccessHandler(clients);
        logoutSuccess.setPostLogoutRedirectUri("{baseUrl}/login?logout");
        logoutSuccess.setDefaultTargetUrl("/login?logout");

        http.authorizeHttpRequests(authorize -> {
                    authorize.requestMatchers(PUBLIC).permitAll();
                    accessRules.applyTo(authorize);
                })
                .oauth2Login(login -> login.loginPage("/login")
                        .failureUrl("/login?error")
                        .userInfoEndpoint(userInfo -> userInfo.oidcUserService(oidcUserService)))
                .logout(logout -> logout.logoutSuccessHandler(logoutSuccess))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(new HtmxAwareAuthenticationEntryPoint())
                        .accessDeniedHandler(new RoleExplainingAccessDeniedHandler(accessRules)))
                .headers(securityHeaders)
                // every 403 to a state change is audited, whichever part of the chain refused it
                .addFilterAfter(new DeniedStateChangeFilter(events), SecurityContextHolderFilter.class);
        return http.build();
    }
}
