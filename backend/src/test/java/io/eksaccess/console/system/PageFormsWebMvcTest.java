package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.eksaccess.console.identity.ActingPerson;
import io.eksaccess.console.identity.ConsoleWebSecurity;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Controller;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A page POST on Spring MVC behind the console's own security chain (a {@code @WebMvcTest} slice):
 * no CSRF token, no handler; a refusal goes back where {@link RefusalRedirect} says with its text as the
 * flash error; a done action goes back with its {@link FlashMessages} notice; a signed-out htmx request
 * is told to reload rather than handed the login page. The handler is this test's, shaped like the
 * console's (the console's own need the database; their form branches are in the integration tests).
 */
@WebMvcTest(controllers = PageFormsWebMvcTest.Pages.class,
        // its model attribute reads the database; the layout is not rendered here
        excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = ".*\\.ReviewsWaitingAdvice"))
@Import({PageFormsWebMvcTest.Pages.class, FlashMessages.class, ConsoleWebSecurity.class})
class PageFormsWebMvcTest {

    @Controller
    static class Pages {

        /** "id by subject" of every cancellation the handler ran (one context for all tests: each uses its own id). */
        final List<String> cancelled = new CopyOnWriteArrayList<>();
        private final FlashMessages flashes;

        Pages(FlashMessages flashes) {
            this.flashes = flashes;
        }

        @PostMapping("/requests/{id}/cancel")
        @RefusalRedirect("/requests/{id}")
        String processCancel(@PathVariable long id, ActingPerson person, RedirectAttributes redirect) {
            if (id == 7) {
                throw ConsoleException.conflict("error.request.cancel-resolved", id, "approved");
            }
            cancelled.add(id + " by " + person.user().subject());
            flashes.success(redirect, "flash.request.cancelled", id);
            return "redirect:/requests/" + id;
        }
    }

    @Autowired
    private MockMvc mvc;

    @Autowired
    private Pages pages;

    @Test
    void processCancelWithoutCsrfTokenIsRefused() throws Exception {
        mvc.perform(post("/requests/21/cancel").with(user("rita").roles("REQUESTER")))
                .andExpect(status().isForbidden());
        assertThat(pages.cancelled).as("the handler never ran").noneMatch(c -> c.startsWith("21 "));
    }

    @Test
    void processCancelRefusedGoesBackWithTheRefusalAsFlashError() throws Exception {
        mvc.perform(post("/requests/7/cancel").with(user("rita").roles("REQUESTER")).with(csrf()))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/requests/7"))
                .andExpect(flash().attribute("error", "request #7 is already approved; only a pending request can be cancelled"))
                .andExpect(flash().attributeCount(1));
    }

    @Test
    void processCancelDoneGoesBackWithItsNotice() throws Exception {
        mvc.perform(post("/requests/12345/cancel").with(user("rita").roles("REQUESTER")).with(csrf()))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/requests/12345"))
                .andExpect(flash().attribute("message", "Request #12345 cancelled."));
        assertThat(pages.cancelled).contains("12345 by rita");
    }

    @Test
    void processCancelSignedOutIsSentToTheLoginPageOrToldToReload() throws Exception {
        mvc.perform(post("/requests/22/cancel").with(csrf()))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/login"));
        mvc.perform(post("/requests/22/cancel").with(csrf()).header("HX-Request", "true"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("HX-Refresh", "true"));
        assertThat(pages.cancelled).noneMatch(c -> c.startsWith("22 "));
    }
}
