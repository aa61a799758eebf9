package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/** The console's header rule is exactly Spring Security's, only cheaper (issue 19). */
class HeaderFirewallTest {

    @Test
    void sameVerdictAsStrictHttpFirewallOnEveryCodePoint() {
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String text = "Bearer x" + new String(Character.toChars(codePoint)) + "y";
            assertThat(HeaderFirewall.VALUES.test(text)).as("value with U+%04X", codePoint)
                    .isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(text));
            assertThat(HeaderFirewall.NAMES.test(text)).as("name with U+%04X", codePoint)
                    .isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(text));
        }
        for (String text : new String[] {"", "\uD800", "a\uDC00b", "\uDBFF\uDFFF", "tab\there", "\u007F", "\u0085", "é"}) {
            assertThat(HeaderFirewall.VALUES.test(text)).as(text).isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(text));
            assertThat(HeaderFirewall.NAMES.test(text)).as(text).isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(text));
        }
    }

    @Test
    void aControlCharacterInAHeaderIsStillRefused() {
        MockHttpServletRequest raw = new MockHttpServletRequest("GET", "/api/v1/me");
        raw.addHeader("Authorization", "Bearer abc\u0007def");
        raw.addHeader("Accept", "application/json");
        HttpServletRequest request = new HeaderFirewall().httpFirewall().getFirewalledRequest(raw);
        assertThat(request.getHeader("Accept")).isEqualTo("application/json");
        assertThatThrownBy(() -> request.getHeader("Authorization")).isInstanceOf(RequestRejectedException.class);
    }
}
