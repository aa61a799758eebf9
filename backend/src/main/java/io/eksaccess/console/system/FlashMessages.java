package io.eksaccess.console.system;

import java.util.Arrays;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.support.DefaultMessageSourceResolvable;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The notice the page after a Post/Redirect/Get shows ({@code message} for what was done, {@code error}
 * for what was not): a messages.properties key ({@code flash.*}, kept in step by MessagesTest) with its
 * arguments, resolved here once through the MessageSource, the way {@link PageRefusals} flashes a refusal.
 */
@Component
public class FlashMessages {

    private final MessageSource messages;

    FlashMessages(MessageSource messages) {
        this.messages = messages;
    }

    /** What was done, e.g. {@code success(redirect, "flash.request.cancelled", id)}. */
    public void success(RedirectAttributes redirect, String key, Object... args) {
        redirect.addFlashAttribute("message", text(key, args));
    }

    /** What was tried and did not happen (not a refusal: those are {@link ConsoleException}s). */
    public void failure(RedirectAttributes redirect, String key, Object... args) {
        redirect.addFlashAttribute("error", text(key, args));
    }

    void refusal(RedirectAttributes redirect, ConsoleException e) {
        redirect.addFlashAttribute("error", text(e.key(), e.args()));
    }

    /** An argument that is itself a message (e.g. a state's word, {@code request.state.APPROVED}). */
    public static MessageSourceResolvable word(String key) {
        return new DefaultMessageSourceResolvable(key);
    }

    String text(String key, Object... args) {
        // Numbers as text, as ConsoleException does: MessageFormat would group them ("request #1,234").
        Object[] shown = Arrays.stream(args).map(a -> a instanceof Number ? String.valueOf(a) : a).toArray();
        return messages.getMessage(key, shown, Locale.getDefault());
    }
}
