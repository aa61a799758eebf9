package io.eksaccess.console.system;

/**
 * An argument a parser refuses, with the {@link Sentence} that says what to change: code shared by
 * the CLI (which prints {@link #getMessage()}) and the API (which answers the sentence's key through
 * {@link ConsoleException#invalidBecause}).
 */
public class InvalidInput extends IllegalArgumentException {

    private final transient Sentence why;

    public InvalidInput(String key, Object... args) {
        super(key);
        this.why = Sentence.of(key, args);
    }

    public Sentence why() {
        return why;
    }

    @Override
    public String getMessage() {
        return why.text();
    }
}
