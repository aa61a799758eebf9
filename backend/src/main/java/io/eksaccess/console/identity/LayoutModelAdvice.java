package io.eksaccess.console.identity;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What the layout needs on every page, error pages included: who is signed in, and the DEMO flag.
 * Controllers only: the actuator's handlers render no page, and building these per health probe was
 * a tenth of its cost (issue 19).
 */
@ControllerAdvice(annotations = Controller.class)
class LayoutModelAdvice {

    private final boolean demoIssuer;

    LayoutModelAdvice(OidcProperties oidc) {
        this.demoIssuer = !oidc.configured();
    }

    @ModelAttribute("currentUser")
    CurrentUser currentUser() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken) {
            return null;
        }
        return CurrentUser.of(authentication);
    }

    @ModelAttribute("demoIssuer")
    boolean demoIssuer() {
        return demoIssuer;
    }
}
