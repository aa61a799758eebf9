package io.eksaccess.console.dashboard;

import io.eksaccess.console.apply.DriftEvents;
import io.eksaccess.console.audit.AuditChainVerificationJob;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.ClusterStatus;
import io.eksaccess.console.cluster.cache.SyncState;
import io.eksaccess.console.identity.ConsoleRole;
import io.eksaccess.console.report.ReportOverview;
import io.eksaccess.console.request.AccessRequest;
import io.eksaccess.console.request.AccessRequests;
import io.eksaccess.console.request.Person;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The four sections of the home page, one per console role. Each is read with a fixed number of
 * queries, whatever the number of rows (DashboardQueryCountTest): lists come from one query each,
 * cluster states from the in-memory caches, findings from {@link FindingCounts}' short memo.
 */
@Component
class HomeSections {

    /** A pending request this close to its time-to-live gets a warning: it expires unless reviewed. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(1);

    enum Section {
        REVIEWS, REQUESTS, AUDIT, CLUSTERS;

        /**
         * Whether this person sees the section by console role. Reviews are not decided here: an
         * approval policy may name one of their OIDC groups ({@link #reviews} answers that).
         */
        boolean shownTo(Person person) {
            return switch (this) {
                case REVIEWS -> true;
                case REQUESTS -> person.is(ConsoleRole.REQUESTER);
                case AUDIT -> person.is(ConsoleRole.AUDITOR);
                case CLUSTERS -> person.is(ConsoleRole.ADMIN);
            };
        }
    }

    /** A request waiting for this approver; {@code expiresSoon} when its time-to-live ends within a day. */
    public record Waiting(AccessRequest request, Duration age, boolean expiresSoon) {}

    public record Reviews(List<Waiting> waiting, long expiringSoon) {}

    public record Audit(ReportOverview.Latest latestReport, Instant nextReport, boolean periodicReportsOff,
            AuditChainVerificationJob.LastVerification lastVerification, long breakGlassSince, long driftSince) {}

    /** A cluster that needs an admin: not live, open drift, or unacknowledged critical/high findings. */
    public record Attention(Cluster cluster, ClusterStatus status, int openDrift, FindingCounts.Counts findings) {

        public boolean notLive() {
            return status.state() != SyncState.LIVE;
        }

        /** Since when the data is not current (the last sync), or null when it never was. */
        public Duration notLiveFor() {
            return status.lastSyncedAt() == null ? null : Duration.between(status.lastSyncedAt(), status.checkedAt());
        }
    }

    public record Clusters(int registered, List<Attention> attention, List<AccessRequest> failedApplies,
            List<AccessRequest> unrevokedGrants) {}

    private final AccessRequests requests;
    private final ClusterRepository clusters;
    private final ClusterCaches caches;
    private final DriftEvents drift;
    private final FindingCounts findings;
    private final ReportOverview reports;
    private final AuditChainVerificationJob verification;
    private final Clock clock = Clock.systemUTC();

    HomeSections(AccessRequests requests, ClusterRepository clusters, ClusterCaches caches, DriftEvents drift,
            FindingCounts findings, ReportOverview reports, AuditChainVerificationJob verification) {
        this.requests = requests;
        this.clusters = clusters;
        this.caches = caches;
        this.drift = drift;
        this.findings = findings;
        this.reports = reports;
        this.verification = verification;
    }

    /**
     * What waits for this approver (by role or through a policy group), from their queue as
     * {@link io.eksaccess.console.request.ReviewQueues} read it; empty for someone who approves nowhere.
     */
    Optional<Reviews> reviews(Optional<List<AccessRequest>> reviewQueue) {
        Instant now = clock.instant();
        return reviewQueue.map(queue -> {
            List<Waiting> waiting = queue.stream()
                    .map(r -> new Waiting(r, Duration.between(r.createdAt(), now),
                            r.expiresAt() != null && r.expiresAt().isBefore(now.plus(EXPIRY_WARNING))))
                    .toList();
            return new Reviews(waiting, waiting.stream().filter(Waiting::expiresSoon).count());
        });
    }

    AccessRequests.RequesterView requests(Person person) {
        return requests.requesterView(person);
    }

    Audit audit() {
        ReportOverview.Latest latest = reports.latest().orElse(null);
        Instant since = latest == null ? null : latest.generatedAt();
        Instant next = reports.nextScheduled().orElse(null);
        return new Audit(latest, next, next == null, verification.last().orElse(null),
                requests.breakGlassSince(since), drift.detectedSince(since));
    }

    Clusters clusters() {
        List<Cluster> all = clusters.findAll();
        Map<String, Integer> openDrift = drift.openCounts();
        List<Attention> attention = new ArrayList<>();
        for (Cluster cluster : all) {
            ClusterStatus status = caches.statusOf(cluster);
            FindingCounts.Counts counts = findings.of(cluster.name());
            Attention row = new Attention(cluster, status, openDrift.getOrDefault(cluster.name(), 0), counts);
            if (row.notLive() || row.openDrift() > 0 || counts.severe() > 0) {
                attention.add(row);
            }
        }
        return new Clusters(all.size(), attention, requests.failedApplies(), requests.unrevokedGrants());
    }
}
