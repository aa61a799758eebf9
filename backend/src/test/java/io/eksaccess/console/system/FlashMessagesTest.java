package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.web.servlet.mvc.support.RedirectAttributesModelMap;

/** The notices resolve their key and arguments from the real messages.properties. */
class FlashMessagesTest {

    private final FlashMessages flashes = new FlashMessages(messages());

    private static ResourceBundleMessageSource messages() {
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasename("messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        return messages;
    }

    @Test
    void successIsTheMessageWithItsArgumentsAndIdsAreNotGrouped() {
        RedirectAttributesModelMap redirect = new RedirectAttributesModelMap();
        flashes.success(redirect, "flash.request.reviewed", 12345L, FlashMessages.word("request.state.APPROVED"));
        assertThat(redirect.getFlashAttributes().get("message")).isEqualTo("Review recorded; request #12345 is approved.");
        assertThat(redirect.getFlashAttributes()).doesNotContainKey("error");
    }

    @Test
    void failureIsTheErrorNotice() {
        RedirectAttributesModelMap redirect = new RedirectAttributesModelMap();
        flashes.failure(redirect, "flash.notification.test-not-delivered", "ops", "Connection refused.");
        assertThat(redirect.getFlashAttributes().get("error")).isEqualTo("The test to ops was not delivered. Connection refused.");
        assertThat(redirect.getFlashAttributes()).doesNotContainKey("message");
    }
}
