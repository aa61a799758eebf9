package io.eksaccess.console.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditOutcome;
import io.eksaccess.console.audit.AuditQuery;
import io.eksaccess.console.audit.AuditQuery.Family;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.ClusterSnapshot;
import io.eksaccess.console.cluster.cache.ClusterStatus;
import io.eksaccess.console.cluster.cache.SyncState;
import io.eksaccess.console.report.ReportContent.Changes;
import io.eksaccess.console.report.ReportContent.ClusterSection;
import io.eksaccess.console.report.ReportContent.PreviousReport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Makes one access report: reads each cluster from the cache (never the API server), compares
 * with the previous report of the same scope, collects the audit events of the period, stores
 * the JSON text with its SHA-256 (together with the audit chain's head at that moment) and records
 * REPORT_GENERATED.
 */
@Component
class ReportGenerator {

    /** Told of each step, so the page can show how far generation is. */
    interface Progress {
        void step(int done, int total, String what);
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterRepository clusters;
    private final ClusterCaches caches;
    private final ObjectProvider<ReportFindings> findings;
    private final ReportRepository reports;
    private final AuditLog audit;
    private final AuditQuery auditQuery;
    private final Clock clock = Clock.systemUTC();

    ReportGenerator(ClusterRepository clusters, ClusterCaches caches, ObjectProvider<ReportFindings> findings,
            ReportRepository reports, AuditLog audit, AuditQuery auditQuery) {
        this.clusters = clusters;
        this.caches = caches;
        this.findings = findings;
        this.reports = reports;
        this.audit = audit;
        this.auditQuery = auditQuery;
    }

    /** @throws IllegalArgumentException when the scope names no registered cluster */
    long generate(String scope, ReportTrigger trigger, AuditActor actor, Progress progress) {
        List<String> names = ReportContent.ALL.equals(scope)
                ? clusters.findEnabled().stream().map(Cluster::name).sorted().toList()
                : List.of(clusters.findByName(scope).map(Cluster::name)
                        .orElseThrow(() -> new IllegalArgumentException("There is no cluster called " + scope + ".")));
        int total = names.size() + 2;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<ClusterSection> sections = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            progress.step(i, total, names.get(i));
            sections.add(section(names.get(i)));
        }
        progress.step(names.size(), total, "compare");
        Optional<ReportRepository.StoredReport> previous = reports.latest(scope);
        String cluster = ReportContent.ALL.equals(scope) ? null : scope;
        Changes changes = previous.map(p -> changes(read(p.content()).clusters(), sections, p.generatedAt(), now, cluster))
                .orElseGet(() -> firstChanges(now, cluster));
        ReportContent content = new ReportContent(ReportContent.FORMAT_VERSION, scope, trigger.name(),
                actor.displayName(), now.toString(),
                previous.map(p -> new PreviousReport(p.id(), p.generatedAt().toString(), p.sha256())).orElse(null),
                sections, changes, auditQuery.head().map(h -> new ReportContent.ChainHead(h.sequence(), h.hash()))
                        .orElse(null));
        progress.step(names.size() + 1, total, "store");
        String text = write(content);
        String sha256 = sha256(text);
        long id = reports.insert(scope, trigger.name(), actor.displayName(), now,
                previous.map(ReportRepository.StoredReport::id).orElse(null), text, sha256);
        audit.record(actor, AuditAction.REPORT_GENERATED, cluster, "reports/" + id,
                Map.of("scope", scope, "trigger", trigger.name(), "sha256", sha256,
                        "principals", Integer.toString(sections.stream().mapToInt(s -> s.principals().size()).sum())),
                AuditOutcome.SUCCESS);
        return id;
    }

    private Changes changes(List<ClusterSection> before, List<ClusterSection> after, Instant from, Instant to,
            String cluster) {
        ReportDiff.Result diff = ReportDiff.between(before, after);
        return new Changes(true, diff.gained(), diff.lost(),
                events(Family.REQUESTS_APPLIED, from, to, cluster),
                events(Family.BREAK_GLASS, from, to, cluster),
                events(Family.DRIFT, from, to, cluster));
    }

    /**
     * The first report of a scope has no earlier inventory to compare access with, but what was
     * applied, broken glass or drifted before it still matters: all of the audit history up to now.
     */
    private Changes firstChanges(Instant to, String cluster) {
        return new Changes(false, List.of(), List.of(),
                events(Family.REQUESTS_APPLIED, Instant.EPOCH, to, cluster),
                events(Family.BREAK_GLASS, Instant.EPOCH, to, cluster),
                events(Family.DRIFT, Instant.EPOCH, to, cluster));
    }

    /** The audit feature's history of one family, in the shape reports store. */
    private List<ReportContent.Event> events(Family family, Instant from, Instant to, String cluster) {
        return auditQuery.history(family, from, to, cluster).stream()
                .map(e -> new ReportContent.Event(e.sequence(), e.occurredAt().toString(), e.action(), e.actorName(),
                        e.cluster(), e.resource(), e.outcome()))
                .toList();
    }

    private ClusterSection section(String name) {
        ReportFindings engine = findings.getIfAvailable();
        List<ReportedFinding> open = engine == null ? List.of() : engine.current(name);
        Optional<ClusterCache> cache = caches.cache(name);
        if (cache.isEmpty()) {
            return new ClusterSection(name, "UNAVAILABLE", null,
                    "The console is not reading this cluster (it is disabled or not connected yet).",
                    List.of(), List.of(), engine != null, open);
        }
        ClusterSnapshot snapshot = cache.get().snapshot();
        ClusterStatus status = snapshot.status();
        String asOf = status.lastSyncedAt() == null ? null : status.lastSyncedAt().toString();
        if (status.state() == SyncState.STARTING || status.state() == SyncState.ERROR) {
            return new ClusterSection(name, status.state().name(), asOf, status.reason(), List.of(), List.of(),
                    engine != null, open);
        }
        return new ClusterSection(name, status.state().name(), asOf, status.reason(),
                AccessInventory.principals(snapshot), AccessInventory.bindings(snapshot), engine != null, open);
    }

    static ReportContent read(String json) {
        try {
            return JSON.readValue(json, ReportContent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored report is not valid JSON", e);
        }
    }

    static String write(ReportContent content) {
        try {
            return JSON.writeValueAsString(content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
