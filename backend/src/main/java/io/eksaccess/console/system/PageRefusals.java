package io.eksaccess.console.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.HandlerMethod;
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
class PageRefusals {

    private final FlashMessages flashes;

    PageRefusals(FlashMessages flashes) {
        this.flashes = flashes;
    }

    @ExceptionHandler(ConsoleException.class)
    ModelAndView refused(ConsoleException e, HandlerMethod handler, HttpServletRequest request,
            HttpServletResponse response, RedirectAttributes redirect) throws IOException {
        RefusalRedirect back = handler.getMethodAnnotation(RefusalRedirect.class);
        if (back == null || e.kind() == ConsoleException.Kind.NOT_FOUND) {
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
