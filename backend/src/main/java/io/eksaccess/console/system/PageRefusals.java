package io.eksaccess.console.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.validation.BindException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@link ConsoleException}s of the pages, in one place: not-found is the 404 page; any other refusal
 * goes back where the handler's {@link RefusalRedirect} says, with the message as the flash error,
 * or else gets the error page with its status. Forms that show a refusal beside a field catch it
 * themselves (into their BindingResult). Ordered after {@link ApiExceptionHandler}, which answers the API.
 */
@ControllerAdvice(annotations = Controller.class)
@Order(Ordered.LOWEST_PRECEDENCE)
public class PageRefusals {

    /** Request attribute: what the 400 page says about a value of the wrong type (text, or absent). */
    public static final String BAD_VALUE = PageRefusals.class.getName() + ".badValue";
    /** Request attribute: the refusal's own sentence ("There is no cluster named 'x'."), for the error page. */
    public static final String REFUSAL = PageRefusals.class.getName() + ".refusal";

    private final FlashMessages flashes;

    PageRefusals(FlashMessages flashes) {
        this.flashes = flashes;
    }

    /**
     * A path or query value of the wrong type ("/requests/abc", "?from=yesterday", a prefilled link's
     * "kind=BOGUS"): the 400 page says which value and what it takes, rather than blaming the HTTP.
     */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ModelAndView badValue(MethodArgumentTypeMismatchException e, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        return badValue(e.getValue(), e.getName(), e.getRequiredType(), request, response);
    }

    /** The same for a form record bound from the query without a BindingResult (a GET form's link). */
    @ExceptionHandler(BindException.class)
    ModelAndView badField(BindException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        FieldError field = e.getFieldErrors().stream().filter(FieldError::isBindingFailure).findFirst().orElse(null);
        if (field == null) {
            response.sendError(HttpStatus.BAD_REQUEST.value());
            return new ModelAndView();
        }
        Object value = field.getRejectedValue() instanceof String[] values && values.length == 1 ? values[0]
                : field.getRejectedValue();
        return badValue(value, field.getField(), e.getBindingResult().getFieldType(field.getField()), request,
                response);
    }

    private static ModelAndView badValue(Object given, String name, Class<?> type, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        String value = String.valueOf(given).replaceAll("\\p{Cntrl}", "?");
        Sentence expected = type == null ? Sentence.of("error.400.expected.other")
                : type.isEnum() ? Sentence.of("error.400.expected.one-of", Arrays.toString(type.getEnumConstants()))
                : type == boolean.class || type == Boolean.class ? Sentence.of("error.400.expected.boolean")
                : type == LocalDate.class ? Sentence.of("error.400.expected.date")
                : Number.class.isAssignableFrom(type) || type.isPrimitive() ? Sentence.of("error.400.expected.number")
                : Sentence.of("error.400.expected.other");
        request.setAttribute(BAD_VALUE, Sentence.of("error.400.value",
                value.length() > 80 ? value.substring(0, 80) + "…" : value, name, expected).text());
        response.sendError(HttpStatus.BAD_REQUEST.value());
        return new ModelAndView();
    }

    @ExceptionHandler(ConsoleException.class)
    ModelAndView refused(ConsoleException e, HandlerMethod handler, HttpServletRequest request,
            HttpServletResponse response, RedirectAttributes redirect) throws IOException {
        RefusalRedirect back = handler.getMethodAnnotation(RefusalRedirect.class);
        if (back == null || e.kind() == ConsoleException.Kind.NOT_FOUND) {
            // The page says which thing is missing or why it was refused, not only the status's stock text;
            // names in it came from the address, so control characters go and the length is capped.
            String text = flashes.text(e.key(), e.args()).replaceAll("\\p{Cntrl}", "?");
            request.setAttribute(REFUSAL, text.length() > 300 ? text.substring(0, 300) + "…" : text);
            response.sendError(e.status().value());
            return new ModelAndView();
        }
        flashes.refusal(redirect, e);
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(
                HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        return new ModelAndView("redirect:" + UriComponentsBuilder.fromPath(back.value())
                .buildAndExpand(variables == null ? Map.of() : variables).encode().toUriString());
    }
}
