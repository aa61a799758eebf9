package io.eksaccess.console.report.findings;

import io.eksaccess.console.accessentry.AccessEntriesLookup;
import io.eksaccess.console.accessentry.EntryPrincipalDates;
import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditOutcome;
import io.eksaccess.console.awsauth.IamPrincipalLookup;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.ClusterSnapshot;
import io.eksaccess.console.cluster.cache.ClusterStatus;
import io.eksaccess.console.identity.ActingPerson;
import io.eksaccess.console.identity.ConsoleRole;
import io.eksaccess.console.identity.CurrentUser;
import io.eksaccess.console.system.ConsoleException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The findings of a registered cluster, now: the engine over the cluster cache's view (never the
 * API server), the aws-auth IAM checks, IRSA trust policies from IAM and the registry's EKS details,
 * joined with the acknowledgements in force. Admins acknowledge findings here (audited).
 */
@Component
public class ClusterFindings {

    /** An acknowledgement lasts at most this long; then the finding is open again and must be looked at. */
    static final Duration MAX_ACKNOWLEDGEMENT = Duration.ofDays(366);
    /** The longest reason an acknowledgement keeps (characters). */
    static final int MAX_REASON = 2000;

    /**
     * What the Findings tab shows. {@code hasData}: the cache has read the cluster at least once
     * (findings of a cluster never read would be an empty list that looks clean).
     */
    public record View(Cluster cluster, ClusterStatus status, boolean hasData, List<ClusterFinding> findings,
            List<String> notChecked) {}

    /** Why an acknowledgement was refused, in words for the person who asked. */
    private final ClusterRepository clusters;
    private final ClusterCaches caches;
    private final FindingsEngine engine;
    private final AcknowledgementRepository acknowledgements;
    private final AuditLog audit;
    private final Clock clock = Clock.systemUTC();

    private final AccessEntriesLookup accessEntries;

    ClusterFindings(ClusterRepository clusters, ClusterCaches caches, IamPrincipalLookup iam, TrustPolicies trustPolicies,
            AcknowledgementRepository acknowledgements, AuditLog audit, AccessEntriesLookup accessEntries,
            @Value("${console.findings.break-glass-principals:}") List<String> breakGlass,
            EntryPrincipalDates principalDates) {
        this.clusters = clusters;
        this.caches = caches;
        this.accessEntries = accessEntries;
        this.engine = new FindingsEngine(iam, trustPolicies,
                breakGlass.stream().map(String::trim).filter(arn -> !arn.isEmpty()).toList(), principalDates);
        this.acknowledgements = acknowledgements;
        this.audit = audit;
    }

    /**
     * The cluster's findings, most severe first, each with its acknowledgement in force (if any).
     * Empty for a cluster that is not registered or has never been read; from the last data read
     * when the cluster is stale.
     */
    public List<ClusterFinding> current(String cluster) {
        return view(cluster).map(View::findings).orElse(List.of());
    }

    /** Empty when no cluster has this name. */
    public Optional<View> view(String name) {
        return clusters.findByName(name).map(this::view);
    }

    private View view(Cluster cluster) {
        Optional<ClusterSnapshot> snapshot = caches.cache(cluster.name()).map(ClusterCache::snapshot);
        ClusterStatus status = snapshot.map(ClusterSnapshot::status).orElseGet(() -> caches.statusOf(cluster));
        if (snapshot.isEmpty() || status.lastSyncedAt() == null) {
            return new View(cluster, status, false, List.of(), List.of());
        }
        FindingsEngine.Evaluation evaluation = engine.evaluate(FindingsInput.of(snapshot.get(), cluster,
                accessEntries.synced(cluster)));
        Map<String, Acknowledgement> inForce = acknowledgements.inForce(cluster.id(), clock.instant()).stream()
                .collect(Collectors.toMap(a -> key(a.findingId(), a.resource()), Function.identity()));
        List<ClusterFinding> findings = evaluation.findings().stream()
                .map(f -> new ClusterFinding(f, inForce.get(key(f.id(), f.resource()))))
                .toList();
        return new View(cluster, status, true, findings, evaluation.notChecked());
    }

    /**
     * Accepts a current finding until {@code expiresAt}. Only admins may; the finding must be one
     * the cluster has now. Recorded in the audit log in the same step: if the audit cannot be
     * written, nothing is acknowledged.
     */
    @Transactional
    public Acknowledgement acknowledge(ActingPerson person, String clusterName, String findingId,
            String resource, String reason, Instant expiresAt) {
        CurrentUser user = person.user();
        if (!user.roles().contains(ConsoleRole.ADMIN)) {
            throw new AccessDeniedException("Only admins may acknowledge findings.");
        }
        Cluster cluster = clusters.findByName(clusterName)
                .orElseThrow(() -> ConsoleException.notFound("error.finding.no-cluster", clusterName));
        Instant now = clock.instant();
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw ConsoleException.invalid("error.finding.reason-required").onField("reason");
        }
        if (why.length() > MAX_REASON) {
            throw ConsoleException.invalid("error.finding.reason-too-long").onField("reason");
        }
        if (expiresAt == null || !expiresAt.isAfter(now)) {
            throw ConsoleException.invalid("error.finding.expiry-past").onField("expires");
        }
        if (expiresAt.isAfter(now.plus(MAX_ACKNOWLEDGEMENT))) {
            throw ConsoleException.invalid("error.finding.expiry-too-late").onField("expires");
        }
        boolean present = current(clusterName).stream()
                .anyMatch(f -> f.id().equals(findingId) && f.resource().equals(resource));
        if (!present) {
            throw ConsoleException.conflict("error.finding.not-current", findingId, resource, clusterName);
        }
        acknowledgements.insert(cluster.id(), findingId, resource, why, expiresAt, user.subject(), user.displayName(), now);
        audit.record(AuditActor.of(person), AuditAction.FINDING_ACKNOWLEDGED, clusterName,
                "findings/" + findingId + "/" + resource, Map.of("finding", findingId, "reason", why, "expiresAt", expiresAt.toString()),
                AuditOutcome.SUCCESS);
        return new Acknowledgement(findingId, resource, why, expiresAt, user.displayName(), now);
    }

    private static String key(String findingId, String resource) {
        return findingId + "\u0000" + resource;
    }
}
