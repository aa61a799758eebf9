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
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Unacknowledged critical and high findings per cluster, for the admins' home. Evaluating the
 * findings engine walks the cluster's whole cached view (and IAM), so the answer is kept for a
 * minute: the home page refreshes every 30 s for every admin, and findings move slowly.
 */
@Component
class FindingCounts {

    /** Open (not acknowledged) findings by severity, and the most severe ones (critical and high). */
    public record Counts(int critical, int high, List<ClusterFinding> top, int medium, int info) {

        public int severe() {
            return critical + high;
        }
    }

    private record Kept(Counts counts, Instant until) {}

    private final ClusterFindings findings;
    private final Duration keep;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    // A property only so that a test need not sit out the minute.
    FindingCounts(ClusterFindings findings, @Value("${console.dashboard.finding-counts-keep:1m}") Duration keep) {
        this.findings = findings;
        this.keep = keep;
    }

    Counts of(String cluster) {
        Instant now = clock.instant();
        Kept known = kept.get(cluster);
        if (known != null && now.isBefore(known.until())) {
            return known.counts();
        }
        Counts counts = count(findings.current(cluster));
        kept.put(cluster, new Kept(counts, now.plus(keep)));
        return counts;
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
