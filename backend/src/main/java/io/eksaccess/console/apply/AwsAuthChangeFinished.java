package io.eksaccess.console.apply;

/**
 * Published (as a Spring application event) when {@link ApplyRecovery} finished an intent whose
 * process died mid-apply; the request feature finishes the request from it. It carries ids only:
 * read the outcome with {@link ApplyIntents#find}. An apply that returns normally publishes
 * nothing; its caller has the {@link ApplyResult}.
 *
 * @param requestId the access request the intent carried out or took back, or null
 */
public record AwsAuthChangeFinished(long intentId, Long requestId) {}
