package io.eksaccess.console.dashboard;

import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.identity.OidcProperties;
import io.eksaccess.console.request.Person;
import io.eksaccess.console.request.ReviewQueues;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The dashboard: where a person lands after signing in, one section per console role they hold.
 * Each section refreshes itself: an htmx request to {@code /?section=reviews} gets that section's
 * fragment; without htmx the same URL is the whole page.
 */
@Controller
class DashboardController {

    static final String VIEW = "dashboard";
    static final String SECTION_FRAGMENT = "dashboard :: ";

    private final ClusterRepository clusters;
    private final HomeSections sections;
    private final ReviewQueues reviewQueues;
    private final String groupsClaim;

    DashboardController(ClusterRepository clusters, HomeSections sections, ReviewQueues reviewQueues,
            OidcProperties oidc) {
        this.clusters = clusters;
        this.sections = sections;
        this.reviewQueues = reviewQueues;
        this.groupsClaim = oidc.groupsClaim();
    }

    @GetMapping("/")
    String showDashboard(@RequestParam(name = "section", required = false) String section,
            @RequestHeader(name = "HX-Request", required = false) String htmx, Authentication authentication,
            HttpServletRequest http, Model model) {
        Person person = Person.of(authentication, http, groupsClaim);
        if (htmx != null && section != null) {
            HomeSections.Section one = parse(section);
            if (!one.shownTo(person) || !add(one, person, http, model)) {
                throw new ResponseStatusException(HttpStatus.FORBIDDEN, "this section is for another console role");
            }
            return SECTION_FRAGMENT + one.name().toLowerCase(Locale.ROOT);
        }
        for (HomeSections.Section each : HomeSections.Section.values()) {
            if (each.shownTo(person)) {
                add(each, person, http, model);
            }
        }
        model.addAttribute("clusterCount", clusters.count());
        return VIEW;
    }

    /** Adds the section's content; false when there is none for this person (they approve nowhere). */
    private boolean add(HomeSections.Section section, Person person, HttpServletRequest http, Model model) {
        switch (section) {
            case REVIEWS -> {
                // The queue the nav badge read for this page (ReviewQueues), not a second read.
                var reviews = sections.reviews(reviewQueues.of(person, http));
                reviews.ifPresent(r -> model.addAttribute("reviews", r));
                return reviews.isPresent();
            }
            case REQUESTS -> model.addAttribute("mine", sections.requests(person));
            case AUDIT -> model.addAttribute("audit", sections.audit());
            case CLUSTERS -> model.addAttribute("attention", sections.clusters());
        }
        return true;
    }

    private static HomeSections.Section parse(String section) {
        try {
            return HomeSections.Section.valueOf(section.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "unknown dashboard section; use reviews, requests, audit or clusters");
        }
    }
}
