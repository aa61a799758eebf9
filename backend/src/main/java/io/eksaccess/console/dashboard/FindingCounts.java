package io.eksaccess.console.dashboard;

import io.eksaccess.console.awsauth.Severity;
import io.eksaccess.console.report.findings.ClusterFinding;
import io.eksaccess.console.report.findings.ClusterFindings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Unacknowledged critical and high findings per cluster, for the admins' home. Evaluating the
 * findings engine walks the cluster's whole cached view (and IAM), so the answer is kept for a
 * minute: the home page refreshes every 30 s for every admin, and findings move slowly. One request
 * at a time re-evaluates an expired answer; the others meanwhile get the last one (or, before the
 * first, wait for it): in the load run, 50 admins finding the minute over at once each evaluated
 * a 20,000-object cluster, and the dashboard and overview stalled past wrk's 10 s timeout.
 */
@Component
class FindingCounts {

    static final Duration KEEP = Duration.ofMinutes(1);

    /** Open (not acknowledged) findings by severity, and the most severe ones (critical and high). */
    public record Counts(int critical, int high, List<ClusterFinding> top, int medium, int info) {

        public int severe() {
            return critical + high;
        }
    }

    private record Kept(Counts counts, Instant until) {}

    private final Function<String, List<ClusterFinding>> evaluate;
    private final Duration keep;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> evaluating = new ConcurrentHashMap<>();
    private final Clock clock;

    // The keep time is a property only so that a test need not sit out the minute.
    @Autowired
    FindingCounts(ClusterFindings findings, @Value("${console.dashboard.finding-counts-keep:1m}") Duration keep) {
        this(findings::current, Clock.systemUTC(), keep);
    }

    FindingCounts(Function<String, List<ClusterFinding>> evaluate, Clock clock) {
        this(evaluate, clock, KEEP);
    }

    FindingCounts(Function<String, List<ClusterFinding>> evaluate, Clock clock, Duration keep) {
        this.evaluate = evaluate;
        this.clock = clock;
        this.keep = keep;
    }

    Counts of(String cluster) {
        Kept known = kept.get(cluster);
        if (known != null && clock.instant().isBefore(known.until())) {
            return known.counts();
        }
        ReentrantLock lock = evaluating.computeIfAbsent(cluster, c -> new ReentrantLock());
        if (known != null && !lock.tryLock()) {
            return known.counts(); // another request is evaluating: the last answer, at most a minute more
        }
        if (known == null) {
            lock.lock();
        }
        try {
            Kept now = kept.get(cluster);
            if (now != null && clock.instant().isBefore(now.until())) {
                return now.counts(); // evaluated while this request waited
            }
            Counts counts = count(evaluate.apply(cluster));
            kept.put(cluster, new Kept(counts, clock.instant().plus(keep)));
            return counts;
        } finally {
            lock.unlock();
        }
    }

    static Counts count(List<ClusterFinding> all) {
        List<ClusterFinding> open = all.stream().filter(f -> !f.acknowledged()).toList();
        int critical = (int) open.stream().filter(f -> f.severity() == Severity.CRITICAL).count();
        int high = (int) open.stream().filter(f -> f.severity() == Severity.HIGH).count();
        int medium = (int) open.stream().filter(f -> f.severity() == Severity.MEDIUM).count();
        int info = (int) open.stream().filter(f -> f.severity() == Severity.INFO).count();
        List<ClusterFinding> top = open.stream()
                .filter(f -> f.severity() == Severity.CRITICAL || f.severity() == Severity.HIGH)
                .limit(3)
                .toList();
        return new Counts(critical, high, top, medium, info);
    }
}
