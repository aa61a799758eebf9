package io.eksaccess.console.system;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Errors of the JSON API's controllers (every {@code @RestController}; pages are plain
 * {@code @Controller}s and keep the HTML error page) as RFC 9457 problem+json: Spring's own
 * exceptions (missing or malformed parameters, {@code ResponseStatusException},
 * {@code ErrorResponseException}) with their specific details, and {@link ConsoleException}s (the
 * message in English, the kind's status, the exception's extra properties). First among the advices:
 * {@code PageRefusals} would also match a {@code @RestController}.
 */
@RestControllerAdvice(annotations = RestController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final MessageSource messages;

    ApiExceptionHandler(MessageSource messages) {
        this.messages = messages;
    }

    /**
     * Anything else a controller throws: a 500 in the same problem+json shape (not Boot's error JSON), its
     * detail free of the exception's text, which may hold SQL or a secret; the log has the stack trace under
     * the reference the detail names. Security's exceptions pass on to the filters that make them 400/401/403.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) throws Exception {
        if (e instanceof AccessDeniedException || e instanceof AuthenticationException
                || e instanceof RequestRejectedException || e instanceof IOException) {
            throw e; // the firewall's refusal is a 400 (HeaderFirewall); IOException: the client went away
        }
        String reference = UUID.randomUUID().toString().substring(0, 8);
        log.error("{} {} failed (reference {})", request.getMethod(), request.getRequestURI(), reference, e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                messages.getMessage("error.api.unexpected", new Object[] {reference}, Locale.getDefault()));
        problem.setInstance(java.net.URI.create(request.getRequestURI()));
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(problem);
    }

    @ExceptionHandler(ConsoleException.class)
    ResponseEntity<ProblemDetail> refused(ConsoleException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(),
                messages.getMessage(e.key(), e.args(), Locale.getDefault()));
        problem.setInstance(java.net.URI.create(request.getRequestURI()));
        if (e.field() != null) {
            problem.setProperty("field", e.field()); // which field of the body, for a client that maps it back
        }
        e.properties().forEach(problem::setProperty);
        return ResponseEntity.status(e.status()).body(problem);
    }

    /** The API's own 404, so a wrong path gets problem+json rather than the HTML error page. */
    @RestController
    static class UnknownApiPath {

        @RequestMapping("/api/**")
        ResponseEntity<ProblemDetail> notFound(HttpServletRequest request) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "No API endpoint " + request.getMethod() + " " + request.getRequestURI()
                            + "; the endpoints are described at /api/v1/openapi.yaml.");
            problem.setInstance(java.net.URI.create(request.getRequestURI()));
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
        }
    }
}
