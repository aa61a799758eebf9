package io.eksaccess.console.system;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Errors of the JSON API's controllers (every {@code @RestController}; pages are plain
 * {@code @Controller}s and keep the HTML error page) as RFC 9457 problem+json: Spring's own
 * exceptions (missing or malformed parameters, {@code ResponseStatusException},
 * {@code ErrorResponseException}) with their specific details, and {@link ApiRequestException}s.
 */
@RestControllerAdvice(annotations = RestController.class)
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler(ApiRequestException.class)
    ResponseEntity<ProblemDetail> badRequest(ApiRequestException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        problem.setInstance(java.net.URI.create(request.getRequestURI()));
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
