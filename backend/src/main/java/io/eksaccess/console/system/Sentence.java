package io.eksaccess.console.system;

import java.text.MessageFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import org.springframework.context.MessageSourceResolvable;

/**
 * One sentence a person reads, as a messages.properties key and its arguments, for code deep in a
 * feature that explains something (why a change may not be filed, a plan's note) without a
 * MessageSource at hand. Pages and the API resolve it through the MessageSource (a Sentence given as
 * an argument of another message is resolved too); {@link #text()} reads the same file without Spring
 * (the CLI, logs, audit details) the way Spring's MessageSource does (MessageFormat only when there are
 * arguments), so every path prints the same words.
 */
public final class Sentence implements MessageSourceResolvable {

    /** Read on the first text(): the CLI formats sentences too, with java.util's bundle and MessageFormat (no Spring). */
    private static final class Texts {
        static final ResourceBundle BUNDLE = ResourceBundle.getBundle("messages", Locale.ROOT,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    private final String key;
    private final Object[] args;

    private Sentence(String key, Object[] args) {
        this.key = key;
        // Numbers as text, as ConsoleException does: MessageFormat would group them ("1,234 characters").
        this.args = Arrays.stream(args).map(a -> a instanceof Number ? String.valueOf(a) : a).toArray();
    }

    /** The key names a literal in messages.properties (MessagesTest checks every "error./text." literal). */
    public static Sentence of(String key, Object... args) {
        return new Sentence(key, args);
    }

    /**
     * Text that comes from outside the console's messages (an exception's message from a parser with
     * no sentences of its own), carried as it is.
     */
    public static Sentence unkeyed(String text) {
        return new Sentence("text.unkeyed", new Object[] {text});
    }

    /** Several sentences as one, each followed by "; " (text.joined), e.g. every policy problem of a filing. */
    public static Sentence joined(List<Sentence> sentences) {
        return joined("text.joined", sentences);
    }

    /** Several whole sentences (each ends with its full stop) as one paragraph, a space between them (text.spaced). */
    public static Sentence spaced(List<Sentence> sentences) {
        return joined("text.spaced", sentences);
    }

    private static Sentence joined(String key, List<Sentence> sentences) {
        if (sentences.isEmpty()) {
            throw new IllegalArgumentException("nothing to join");
        }
        Sentence joined = sentences.get(sentences.size() - 1);
        for (int i = sentences.size() - 2; i >= 0; i--) {
            joined = new Sentence(key, new Object[] {sentences.get(i), joined});
        }
        return joined;
    }

    public String key() {
        return key;
    }

    public Object[] args() {
        return args.clone();
    }

    /** The English text, without Spring's context (the key itself if it is missing; MessagesTest prevents that). */
    public String text() {
        String message;
        try {
            message = Texts.BUNDLE.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        if (args.length == 0) {
            return message;
        }
        Object[] resolved = Arrays.stream(args).map(a -> a instanceof Sentence s ? s.text() : a).toArray();
        return new MessageFormat(message, Locale.ROOT).format(resolved);
    }

    @Override
    public String[] getCodes() {
        return new String[] {key};
    }

    @Override
    public Object[] getArguments() {
        return args.clone();
    }

    @Override
    public String getDefaultMessage() {
        return null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Sentence s && s.key.equals(key) && Arrays.equals(s.args, args);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(args);
    }

    /** The English text, so a Sentence in a log line or a string join reads as words. */
    @Override
    public String toString() {
        return text();
    }
}
