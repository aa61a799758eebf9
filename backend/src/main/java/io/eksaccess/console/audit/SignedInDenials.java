package io.eksaccess.console.audit;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The refusals of signed-in people (a 403 of the web layer, a refused transition of a request), recorded
 * with outcome DENIED one by one up to {@link DenialLimit} per person and window and counted beyond it:
 * a script looping on a refused URL would otherwise grow the hash-chained history without bound. Nothing
 * is dropped: when the window is over each counted person gets one summary row in their own name (the
 * busiest {@value DenialLimit#LISTED_SOURCES}; the rest share one row), checked every window and at shutdown.
 * Each row is written in a transaction of its own ({@link AuditLog#recordIndependently}).
 */
@Component
public class SignedInDenials {

    private static final Logger log = LoggerFactory.getLogger(SignedInDenials.class);
    private static final AuditActor OTHERS = AuditActor.system("denial-limit");

    private final AuditLog audit;
    private final DenialLimit limit;
    private final Clock clock = Clock.systemUTC();

    SignedInDenials(AuditLog audit,
            @Value("${console.audit.signed-in-denials-per-person:20}") int perPerson,
            @Value("${console.audit.signed-in-denials-in-all:200}") int inAll,
            @Value("${console.audit.signed-in-denials-window:1m}") Duration window) {
        this.audit = audit;
        this.limit = DenialLimit.signedIn(perPerson, inAll, window);
    }

    /**
     * Records this refusal of a signed-in person, or counts it when the person (or everyone) is over the
     * limit. A failure to record is logged at ERROR, never thrown: the refusal stands either way.
     */
    public void record(AuditActor actor, AuditAction action, String cluster, String resource,
            Map<String, String> details) {
        String what = action.name() + (resource == null ? "" : " " + resource);
        DenialLimit.Admission admission = limit.admit(actor.subject(), actor.displayName(), what, clock.instant());
        admission.ended().ifPresent(this::recordSummary);
        if (!admission.record()) {
            if (admission.firstCounted()) {
                log.warn("more than {} denied requests by {} (or {} by everyone) within {}: the rest until {} are"
                        + " counted, and recorded as one summary row per person", limit.perSource(), actor.subject(),
                        limit.inAll(), limit.window(), limit.windowEnd(clock.instant()));
            }
            return;
        }
        try {
            audit.recordIndependently(actor, action, cluster, resource, details, AuditOutcome.DENIED);
        } catch (RuntimeException e) {
            log.error("could not audit the denied {} by {}: {}", what, actor.subject(), e.toString());
        }
    }

    /** Writes the summary of a window that is over (each window; an idle console writes nothing). */
    @Scheduled(initialDelayString = "${console.audit.signed-in-denials-window:1m}",
            fixedDelayString = "${console.audit.signed-in-denials-window:1m}")
    void recordEndedWindow() {
        limit.ended(clock.instant()).ifPresent(this::recordSummary);
    }

    /** What the current window counted is not lost at an orderly stop. */
    @PreDestroy
    void recordCountedBeforeStopping() {
        limit.drain(clock.instant()).ifPresent(this::recordSummary);
    }

    private void recordSummary(DenialLimit.Summary summary) {
        long listed = 0;
        for (DenialLimit.Listed person : summary.listed()) {
            listed += person.count();
            Map<String, String> details = details(summary, person.count());
            details.put("last", person.last());
            write(new AuditActor(person.key(), person.label(), null), details);
        }
        if (summary.counted() > listed) {
            Map<String, String> details = details(summary, summary.counted() - listed);
            details.put("people", Integer.toString(summary.sources() - summary.listed().size()));
            write(OTHERS, details);
        }
    }

    private Map<String, String> details(DenialLimit.Summary summary, long counted) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("reason", "denials beyond the limit, counted instead of recorded one by one");
        details.put("counted", Long.toString(counted));
        details.put("from", summary.from().toString());
        details.put("until", summary.until().toString());
        details.put("limit", limit.limitInWords());
        return details;
    }

    private void write(AuditActor actor, Map<String, String> details) {
        try {
            audit.recordIndependently(actor, AuditAction.ACCESS_DENIED, null, null, details, AuditOutcome.DENIED);
        } catch (RuntimeException e) {
            // The count must not vanish: the log keeps it when the history cannot.
            log.error("could not audit the summary of {}'s denied requests {}: {}", actor.subject(), details,
                    e.toString());
        }
    }
}
