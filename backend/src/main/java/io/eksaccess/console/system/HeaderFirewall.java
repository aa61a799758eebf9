package io.eksaccess.console.system;

import java.util.Map;
import java.util.function.Predicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's strict firewall with its header rule checked by a loop instead of its regular
 * expression: every {@code getHeader} runs the check, and a bearer token is ~1 KB matched several
 * times per API call (issue 19: 3% of a call). The rules are the same: every code point assigned in
 * Unicode and none an ISO control character, except a tab in a value ({@code HeaderFirewallTest}
 * compares them with the firewall's own on every code point). Parameters (query and form fields) may
 * not hold a NUL character: PostgreSQL text cannot store one, so it would fail deep down as a 500.
 * Everything else is the strict firewall's default. A refusal is a 400: problem+json under /api/,
 * the error page elsewhere.
 */
@Configuration(proxyBeanMethods = false)
class HeaderFirewall {

    /** StrictHttpFirewall's ALLOWED_HEADER_NAMES: {@code [\p{IsAssigned}&&[^\p{IsControl}]]*}. */
    static final Predicate<String> NAMES = name -> allowed(name, false);
    /** Its ALLOWED_HEADER_VALUES: {@code [\p{IsAssigned}&&[[^\p{IsControl}]||\t]]*}. */
    static final Predicate<String> VALUES = value -> allowed(value, true);

    @Bean
    HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(NAMES);
        firewall.setAllowedHeaderValues(VALUES);
        firewall.setAllowedParameterNames(NO_NUL);
        firewall.setAllowedParameterValues(NO_NUL);
        return firewall;
    }

    static final Predicate<String> NO_NUL = text -> text.indexOf('\0') < 0;

    /** The firewall's refusal, in the caller's language; its message is capped (it may quote the parameter). */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, rejected) -> {
            if (request.getRequestURI().startsWith("/api/")) {
                String why = rejected.getMessage() == null ? "" : rejected.getMessage().replaceAll("\\p{Cntrl}", "?");
                ApiProblems.write(request, response, HttpStatus.BAD_REQUEST, "The console refuses this request: "
                        + (why.length() > 200 ? why.substring(0, 200) + "…" : why) + " (nothing was done; a NUL"
                        + " character, \\u0000, is never accepted in a parameter or a header)", Map.of());
            } else {
                response.sendError(HttpStatus.BAD_REQUEST.value());
            }
        };
    }

    private static boolean allowed(String text, boolean tab) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.UNASSIGNED || (type == Character.CONTROL && !(tab && codePoint == '\t'))) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
