package io.eksaccess.console.identity;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

import jakarta.servlet.http.HttpServletRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;

/**
 * Which console roles each area needs. One table serves both the server-side authorization and the
 * 403 page, so the page can say exactly which role is missing. Order matters: first match wins.
 */
@Component
public class ConsoleAccessRules {

    /** A signed-in person with none of these has no business in the console at all. */
    public static final Set<ConsoleRole> ANY_ROLE = EnumSet.allOf(ConsoleRole.class);

    record Rule(RequestMatcher matcher, Set<ConsoleRole> anyOf) {}

    private final List<Rule> rules = List.of(
            new Rule(pathPattern("/admin/**"), EnumSet.of(ConsoleRole.ADMIN)),
            new Rule(pathPattern("/clusters/*/migrate-to-access-entries/**"), EnumSet.of(ConsoleRole.ADMIN)),
            new Rule(pathPattern("/audit/**"), EnumSet.of(ConsoleRole.ADMIN, ConsoleRole.AUDITOR)),
            new Rule(pathPattern(HttpMethod.POST, "/reports/*/attestations"), EnumSet.of(ConsoleRole.AUDITOR)),
            new Rule(pathPattern("/reports/**"), EnumSet.of(ConsoleRole.ADMIN, ConsoleRole.AUDITOR)),
            // The JSON API (bearer token or browser session) needs what the pages for the same thing need.
            new Rule(pathPattern("/api/v1/admin/**"), EnumSet.of(ConsoleRole.ADMIN)),
            new Rule(pathPattern("/api/v1/audit/**"), EnumSet.of(ConsoleRole.ADMIN, ConsoleRole.AUDITOR)),
            new Rule(pathPattern("/api/v1/reports/**"), EnumSet.of(ConsoleRole.ADMIN, ConsoleRole.AUDITOR)),
            new Rule(pathPattern(HttpMethod.POST, "/clusters/*/findings/**"), EnumSet.of(ConsoleRole.ADMIN)),
            new Rule(pathPattern(HttpMethod.POST, "/clusters/*/drift/**"), EnumSet.of(ConsoleRole.ADMIN)));
    // Reviewing and applying a request (/requests/*/reviews, /requests/*/apply and their API twins) have
    // no rule here on purpose: who may approve is each cluster's approval policy (any console role or an
    // OIDC group), so any signed-in person reaches them and AccessRequests decides, refusing with 403.

    public void applyTo(
            AuthorizeHttpRequestsConfigurer<?>.AuthorizationManagerRequestMatcherRegistry registry) {
        for (Rule rule : rules) {
            registry.requestMatchers(rule.matcher()).hasAnyRole(names(rule.anyOf()));
        }
        registry.anyRequest().hasAnyRole(names(ANY_ROLE));
    }

    /** The roles of which the request needs at least one. */
    public Set<ConsoleRole> requiredFor(HttpServletRequest request) {
        return rules.stream()
                .filter(rule -> rule.matcher().matches(request))
                .map(Rule::anyOf)
                .findFirst()
                .orElse(ANY_ROLE);
    }

    private static String[] names(Set<ConsoleRole> roles) {
        return roles.stream().map(Enum::name).toArray(String[]::new);
    }
}
