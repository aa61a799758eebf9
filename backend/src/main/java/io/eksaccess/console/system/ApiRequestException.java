package io.eksaccess.console.system;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** An API call that cannot be answered as asked; the message says what to change. */
public class ApiRequestException extends RuntimeException {

    private final HttpStatus status;
    private final Map<String, Object> properties;

    public ApiRequestException(HttpStatus status, String message) {
        this(status, message, Map.of());
    }

    public ApiRequestException(HttpStatus status, String message, Map<String, Object> properties) {
        super(message);
        this.status = status;
        this.properties = Map.copyOf(properties);
    }

    public HttpStatus status() {
        return status;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
