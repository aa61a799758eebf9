package io.eksaccess.console.request;

import java.time.Instant;

/** One appended review of a request; never edited. */
public record Review(long id, long requestId, String reviewerSubject, String reviewerName, Decision decision,
        String comment, Instant createdAt) {

    public enum Decision {
        APPROVE,
        REJECT
    }
}
