package io.eksaccess.console.request;

import io.eksaccess.console.identity.OidcProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** The nav badge: how many requests wait for the signed-in person's review (see system/LayoutModelAdvice). */
@ControllerAdvice(annotations = Controller.class) // no page from the actuator's handlers (issue 19)
class ReviewsWaitingAdvice {

    private final ReviewQueues queues;
    private final String groupsClaim;

    ReviewsWaitingAdvice(ReviewQueues queues, OidcProperties oidc) {
        this.queues = queues;
        this.groupsClaim = oidc.groupsClaim();
    }

    @ModelAttribute("reviewsWaiting")
    Integer reviewsWaiting(HttpServletRequest http) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken
                || http.getHeader("HX-Request") != null || http.getRequestURI().startsWith("/api/")) {
            return null;
        }
        try {
            return queues.of(Person.of(authentication, http, groupsClaim), http).map(List::size).orElse(0);
        } catch (RuntimeException e) {
            return null; // the badge never breaks a page (e.g. the error page while the database is away)
        }
    }
}
