package io.eksaccess.console.request;

import org.springframework.http.HttpStatus;

/** A refused request operation with a message people can act on; the kind decides the HTTP status. */
public class RequestException extends RuntimeException {

    public enum Kind {
        INVALID(HttpStatus.BAD_REQUEST),
        FORBIDDEN(HttpStatus.FORBIDDEN),
        NOT_FOUND(HttpStatus.NOT_FOUND),
        CONFLICT(HttpStatus.CONFLICT);

        final HttpStatus status;

        Kind(HttpStatus status) {
            this.status = status;
        }
    }

    private final Kind kind;

    RequestException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public HttpStatus status() {
        return kind.status;
    }

    static RequestException invalid(String message) {
        return new RequestException(Kind.INVALID, message);
    }

    static RequestException forbidden(String message) {
        return new RequestException(Kind.FORBIDDEN, message);
    }

    static RequestException notFound(long id) {
        return new RequestException(Kind.NOT_FOUND, "there is no request #" + id);
    }

    static RequestException conflict(String message) {
        return new RequestException(Kind.CONFLICT, message);
    }
}
