package io.eksaccess.console.request;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The signed-in person's review queue ({@link AccessRequests#reviewQueueOf}), read at most once per
 * HTTP request: the nav badge ({@link ReviewsWaitingAdvice}) and the page under it (the home page's
 * reviews section, the requests list) show the same queue, and each read is two queries.
 */
@Component
public class ReviewQueues {

    private static final String ATTRIBUTE = ReviewQueues.class.getName() + ".";

    private final AccessRequests requests;

    ReviewQueues(AccessRequests requests) {
        this.requests = requests;
    }

    /** The queue, empty for someone who approves nowhere; the first read of this request is kept in it. */
    @SuppressWarnings("unchecked")
    public Optional<List<AccessRequest>> of(Person person, HttpServletRequest http) {
        String key = ATTRIBUTE + person.subject(); // the subject too: one request, one person, but never another's queue
        Object kept = http.getAttribute(key);
        if (kept != null) {
            return (Optional<List<AccessRequest>>) kept;
        }
        Optional<List<AccessRequest>> queue = requests.reviewQueueOf(person);
        http.setAttribute(key, queue);
        return queue;
    }
}
