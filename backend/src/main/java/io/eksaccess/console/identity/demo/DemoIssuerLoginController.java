package io.eksaccess.console.identity.demo;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The demo issuer's own sign-in page, listing its people and their (public) password. */
@Controller
@ConditionalOnExpression("'${console.oidc.issuer-uri:}'.isBlank()")
class DemoIssuerLoginController {

    static final String VIEW = "identity/demo-issuer-login";

    @GetMapping(DemoIssuerConfiguration.PATH + "/login")
    String showLoginForm(Model model) {
        model.addAttribute("people", DemoPeople.ALL);
        model.addAttribute("password", DemoPeople.PASSWORD);
        return VIEW;
    }
}
