package io.eksaccess.console.audit;

import io.eksaccess.console.identity.CurrentUser;
import io.eksaccess.console.system.RequestDenied;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Records every refused state change (a 403 to POST, PUT, PATCH or DELETE, pages and API alike,
 * CSRF failures included) as ACCESS_DENIED with outcome DENIED, independently of any transaction
 * of the refused request. The request is answered 403 whether or not this succeeds; a failure to
 * record is logged at ERROR. Anonymous denials are recorded one by one up to {@link DenialLimit} per source
 * and window and counted beyond it; the count becomes one summary row (actor anonymous, no path) when the
 * window is over, checked every window and at shutdown. Signed-in people's go through {@link SignedInDenials},
 * limited per person.
 */
@Component
class DeniedRequestAuditor {

    static final AuditActor ANONYMOUS = new AuditActor("anonymous", "anonymous", null);
    private static final Logger log = LoggerFactory.getLogger(DeniedRequestAuditor.class);

    private final AuditLog audit;
    private final DenialLimit limit;
    private final SignedInDenials signedIn;
    private final Clock clock = Clock.systemUTC();

    DeniedRequestAuditor(AuditLog audit, SignedInDenials signedIn,
            @Value("${console.audit.anonymous-denials-per-source:20}") int perSource,
            @Value("${console.audit.anonymous-denials-in-all:100}") int inAll,
            @Value("${console.audit.anonymous-denials-window:1m}") Duration window) {
        this.audit = audit;
        this.signedIn = signedIn;
        this.limit = DenialLimit.anonymous(perSource, inAll, window);
    }

    @EventListener
    void onDenied(RequestDenied denied) {
        AuditActor actor = actor(denied);
        Map<String, String> details = Map.of("method", denied.method(), "reason", denied.reason());
        if (!actor.subject().equals(ANONYMOUS.subject())) {
            signedIn.record(actor, AuditAction.ACCESS_DENIED, null, denied.path(), details);
            return;
        }
        recordAnonymous(actor, AuditAction.ACCESS_DENIED, denied.path(), details, AuditOutcome.DENIED,
                denied.method() + " " + denied.path());
    }

    /**
     * Records an anonymous refusal (a denied request, a failed sign-in) one by one while its source is within
     * the limit, else counts it into the window's summary row.
     *
     * @param what the refusal in a few words, for the summary's "last" of its source
     */
    void recordAnonymous(AuditActor actor, AuditAction action, String resource, Map<String, String> details,
            AuditOutcome outcome, String what) {
        DenialLimit.Admission admission = limit.admit(actor.sourceIp(), what, clock.instant());
        admission.ended().ifPresent(this::recordSummary);
        if (!admission.record()) {
            if (admission.firstCounted()) {
                log.warn("more than {} anonymous denied requests from {} (or {} from all sources) within {}: the"
                        + " rest until {} are counted, and recorded as one summary row", limit.perSource(),
                        actor.sourceIp(), limit.inAll(), limit.window(), limit.windowEnd(clock.instant()));
            }
            return;
        }
        try {
            audit.recordIndependently(actor, action, null, resource, details, outcome);
        } catch (RuntimeException e) {
            log.error("could not audit the anonymous {} by {}: {}", what, actor.sourceIp(), e.toString());
        }
    }

    /** Writes the summary of a window that is over (each window; an idle console writes nothing). */
    @Scheduled(initialDelayString = "${console.audit.anonymous-denials-window:1m}",
            fixedDelayString = "${console.audit.anonymous-denials-window:1m}")
    void recordEndedWindow() {
        limit.ended(clock.instant()).ifPresent(this::recordSummary);
    }

    /** What the current window counted is not lost at an orderly stop. */
    @PreDestroy
    void recordCountedBeforeStopping() {
        limit.drain(clock.instant()).ifPresent(this::recordSummary);
    }

    private void recordSummary(DenialLimit.Summary summary) {
        Map<String, String> details = limit.details(summary);
        try {
            audit.recordIndependently(ANONYMOUS, AuditAction.ACCESS_DENIED, null, null, details, AuditOutcome.DENIED);
        } catch (RuntimeException e) {
            // The count must not vanish: the log keeps it when the history cannot.
            log.error("could not audit the summary of anonymous denied requests {}: {}", details, e.toString());
        }
    }

    private static AuditActor actor(RequestDenied denied) {
        if (denied.authentication() == null || denied.authentication() instanceof AnonymousAuthenticationToken
                || !denied.authentication().isAuthenticated()) {
            return new AuditActor(ANONYMOUS.subject(), ANONYMOUS.displayName(), denied.sourceIp());
        }
        return AuditActor.of(CurrentUser.of(denied.authentication()), denied.sourceIp());
    }
}
