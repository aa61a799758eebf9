package io.eksaccess.console.request;

import io.eksaccess.console.system.ScheduledJobs;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The request lifecycle's clock, on one replica per window: unreviewed requests expire, grants
 * that are about to end are announced, ended grants are revoked, and applies a dead replica left
 * in APPLYING are finished (also right after start-up: the first run has no delay).
 */
@Component
class RequestExpiryJob {

    private static final Logger log = LoggerFactory.getLogger(RequestExpiryJob.class);

    private final AccessRequests requests;
    private final ScheduledJobs jobs;
    private final Duration window;
    private final Duration warnBefore;
    private final Duration applyingStaleAfter;
    private final Clock clock = Clock.systemUTC();

    RequestExpiryJob(AccessRequests requests, ScheduledJobs jobs,
            @Value("${console.requests.expiry-interval:1m}") Duration window,
            @Value("${console.requests.warn-before-grant-end:24h}") Duration warnBefore,
            @Value("${console.requests.applying-stale-after:5m}") Duration applyingStaleAfter) {
        this.requests = requests;
        this.jobs = jobs;
        this.window = window;
        this.warnBefore = warnBefore;
        this.applyingStaleAfter = applyingStaleAfter;
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${console.requests.expiry-check:15s}")
    void runOncePerWindow() {
        try {
            jobs.runOncePerWindow("request-expiry", window, this::runNow);
        } catch (RuntimeException e) {
            log.warn("request expiry failed, will retry: {}", e.toString());
        }
    }

    /** One pass of every time-driven transition; safe to run again (each transition is conditional). */
    void runNow() {
        int expired = requests.expireUnreviewed();
        int warned = requests.warnExpiring(warnBefore);
        int revoked = requests.revokeEnded();
        int recovered = requests.recoverApplying(clock.instant().minus(applyingStaleAfter));
        if (expired + warned + revoked + recovered > 0) {
            log.info("requests expired={} warned={} revoked={} recovered={}", expired, warned, revoked, recovered);
        }
    }
}
