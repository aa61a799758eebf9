package io.eksaccess.console.identity;

import io.eksaccess.console.identity.demo.DemoClientRegistrationRepository;
import io.eksaccess.console.identity.demo.DemoPeople;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The console's sign-in page: one button to the OIDC issuer, and the demo people when it is the demo one. */
@Controller
class LoginController {

    static final String VIEW = "identity/login";

    private final OidcProperties oidc;

    LoginController(OidcProperties oidc) {
        this.oidc = oidc;
    }

    @GetMapping("/login")
    String showLogin(Authentication authentication, Model model) {
        if (authentication != null && !(authentication instanceof AnonymousAuthenticationToken)) {
            return "redirect:/";
        }
        boolean demo = !oidc.configured();
        model.addAttribute("providerName", demo ? "Demo issuer" : oidc.displayName());
        model.addAttribute(
                "loginUrl",
                "/oauth2/authorization/"
                        + (demo ? DemoClientRegistrationRepository.REGISTRATION_ID : OidcClientConfiguration.REGISTRATION_ID));
        if (demo) {
            model.addAttribute("demoPeople", DemoPeople.ALL);
            model.addAttribute("demoPassword", DemoPeople.PASSWORD);
        }
        return VIEW;
    }
}
