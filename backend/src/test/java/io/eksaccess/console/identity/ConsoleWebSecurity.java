package io.eksaccess.console.identity;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The console's own web security for {@code @WebMvcTest} slices, which leave it out: the pages' filter
 * chain (OIDC login with the demo registration, the role rules, CSRF, the htmx-aware entry point, the
 * 403 page) and what it needs, none of it a stand-in.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties({OidcProperties.class, RoleProperties.class})
@Import({WebSecurityConfiguration.class, OidcClientConfiguration.class, ConsoleAccessRules.class,
    ConsoleOidcUserService.class, ConsoleRoleMapper.class})
public class ConsoleWebSecurity {}
