package io.eksaccess.console.system;

import java.util.function.Predicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's strict firewall with its header rule checked by a loop instead of its regular
 * expression: every {@code getHeader} runs the check, and a bearer token is ~1 KB matched several
 * times per API call (issue 19: 3% of a call). The rules are the same: every code point assigned in
 * Unicode and none an ISO control character, except a tab in a value ({@code HeaderFirewallTest}
 * compares them with the firewall's own on every code point). Everything else is the strict
 * firewall's default.
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
        return firewall;
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
