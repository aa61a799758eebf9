package io.eksaccess.console.system;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.http.HttpStatus;

/**
 * The console's one refusal: a {@link Kind} that decides the HTTP status, a messages.properties key
 * with its arguments, and optionally the form field at fault and extra problem-detail properties.
 * Pages show it as a flash or field error ({@code PageRefusals}), the API as problem+json
 * ({@code ApiExceptionHandler}); nobody else catches it to translate it.
 */
public class ConsoleException extends RuntimeException {

    public enum Kind {
        INVALID(HttpStatus.BAD_REQUEST),
        FORBIDDEN(HttpStatus.FORBIDDEN),
        NOT_FOUND(HttpStatus.NOT_FOUND),
        CONFLICT(HttpStatus.CONFLICT),
        /** The console cannot answer yet (e.g. a cluster's cache still loading); the API says 503. */
        UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE);

        private final HttpStatus status;

        Kind(HttpStatus status) {
            this.status = status;
        }

        public HttpStatus status() {
            return status;
        }
    }

    // getMessage() reads the same file Spring's MessageSource does, so logs, audit details and the
    // callers that keep a refusal's text (previews, plans) read what the person reads.
    private static final ResourceBundleMessageSource TEXTS = texts();

    private final Kind kind;
    private final String key;
    private final Object[] args;
    private final String field;
    private final Map<String, Object> properties;

    private ConsoleException(Kind kind, String key, Object[] args, String field, Map<String, Object> properties) {
        super(key);
        this.kind = kind;
        this.key = key;
        // Numbers as text: MessageFormat would group them ("request #1,234").
        this.args = Arrays.stream(args).map(a -> a instanceof Number ? String.valueOf(a) : a).toArray();
        this.field = field;
        this.properties = properties;
    }

    public static ConsoleException invalid(String key, Object... args) {
        return new ConsoleException(Kind.INVALID, key, args, null, Map.of());
    }

    /** Invalid, for the reason code deeper down gave as a {@link Sentence} (its key is the refusal's key). */
    public static ConsoleException invalidBecause(Sentence why) {
        return new ConsoleException(Kind.INVALID, why.key(), why.args(), null, Map.of());
    }

    public static ConsoleException forbidden(String key, Object... args) {
        return new ConsoleException(Kind.FORBIDDEN, key, args, null, Map.of());
    }

    public static ConsoleException notFound(String key, Object... args) {
        return new ConsoleException(Kind.NOT_FOUND, key, args, null, Map.of());
    }

    public static ConsoleException conflict(String key, Object... args) {
        return new ConsoleException(Kind.CONFLICT, key, args, null, Map.of());
    }

    public static ConsoleException unavailable(String key, Object... args) {
        return new ConsoleException(Kind.UNAVAILABLE, key, args, null, Map.of());
    }

    /** The same refusal, blamed on one form field (shown next to it). */
    public ConsoleException onField(String name) {
        return new ConsoleException(kind, key, args, name, properties);
    }

    /** The same refusal with one more property for the API's problem detail (e.g. what would be valid). */
    public ConsoleException with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(properties);
        more.put(name, value);
        return new ConsoleException(kind, key, args, field, Map.copyOf(more));
    }

    public Kind kind() {
        return kind;
    }

    public HttpStatus status() {
        return kind.status;
    }

    public String key() {
        return key;
    }

    public Object[] args() {
        return args.clone();
    }

    /** The refusal as a sentence, for a page that shows it among other problems (e.g. the request preview). */
    public Sentence sentence() {
        return Sentence.of(key, args);
    }

    /** The form field at fault, or null when the refusal is about the whole form. */
    public String field() {
        return field;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    /** The English text (messages.properties); the key itself if it is missing there (MessagesTest prevents that). */
    @Override
    public String getMessage() {
        return TEXTS.getMessage(key, args, key, Locale.ROOT);
    }

    private static ResourceBundleMessageSource texts() {
        ResourceBundleMessageSource source = new ResourceBundleMessageSource();
        source.setBasename("messages");
        source.setDefaultEncoding("UTF-8");
        source.setFallbackToSystemLocale(false);
        return source;
    }
}
