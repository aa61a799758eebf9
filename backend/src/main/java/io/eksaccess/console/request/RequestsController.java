package io.eksaccess.console.request;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;

/**
 * Access requests. The workflow itself (filing, reviews, apply) is not built yet; the URLs and
 * their authorization already hold: only approvers may post a review.
 */
@Controller
class RequestsController {

    static final String VIEW = "request/requests";

    @GetMapping("/requests")
    String showRequests() {
        return VIEW;
    }

    /** Reviews need an existing request; none can be filed yet, so every id is unknown. */
    @PostMapping("/requests/{id}/reviews")
    String processReview(@PathVariable long id) {
        throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No request #" + id);
    }
}
