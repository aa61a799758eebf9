package io.eksaccess.console.apply;

import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditOutcome;
import io.eksaccess.console.notification.NotificationEvent;
import io.eksaccess.console.notification.NotificationType;
import io.eksaccess.console.notification.Notifications;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Compares the aws-auth a cluster's watch shows with the baseline: the first observation becomes
 * the baseline; the console's own announced writes move it; anything else is drift, recorded with
 * its diff, audited and notified, and then becomes the baseline (so it is reported once).
 */
@Component
class DriftDetector {

    static final AuditActor ACTOR = AuditActor.system("drift-detector");
    private static final Logger log = LoggerFactory.getLogger(DriftDetector.class);

    private final AwsAuthBaselines baselines;
    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Notifications notifications;

    DriftDetector(AwsAuthBaselines baselines, JdbcClient jdbc, AuditLog audit, Notifications notifications) {
        this.baselines = baselines;
        this.jdbc = jdbc;
        this.audit = audit;
        this.notifications = notifications;
    }

    /** @return the drift events recorded (usually none) */
    @Transactional
    public int check(String cluster, Map<String, String> observed, String resourceVersion) {
        String hash = AwsAuthApplier.hash(observed);
        Optional<AwsAuthBaselines.Baseline> found = baselines.lockedBaseline(cluster);
        if (found.isEmpty()) {
            if (baselines.insertFirst(cluster, observed, resourceVersion)) {
                log.info("cluster={} configmap={} decision=baseline (first observation)", cluster, AwsAuthApplier.RESOURCE);
            }
            return 0;
        }
        AwsAuthBaselines.Baseline baseline = found.get();
        if (baseline.hash().equals(hash)) {
            return 0;
        }
        List<AwsAuthBaselines.ExpectedWrite> expected = baselines.expectedWrites(cluster);
        Optional<AwsAuthBaselines.ExpectedWrite> ours = expected.stream().filter(w -> w.afterHash().equals(hash))
                .reduce((first, second) -> second);
        int recorded = 0;
        if (ours.isPresent()) {
            // Our write; but if it was planned on content neither the baseline nor another write of
            // ours, someone changed aws-auth in between, and that change is drift.
            Set<String> known = expected.stream().map(AwsAuthBaselines.ExpectedWrite::afterHash).collect(Collectors.toSet());
            known.add(baseline.hash());
            if (!known.contains(ours.get().beforeHash())) {
                record(cluster, baseline.data(), ours.get().before(), null);
                recorded++;
            }
            baselines.set(cluster, observed, resourceVersion, AwsAuthBaselines.Source.APPLIED);
            baselines.forgetExpectedUpTo(cluster, ours.get().id());
            log.info("cluster={} configmap={} decision=own-write (not drift)", cluster, AwsAuthApplier.RESOURCE);
            return recorded;
        }
        record(cluster, baseline.data(), observed, resourceVersion);
        baselines.set(cluster, observed, resourceVersion, AwsAuthBaselines.Source.DRIFT);
        return 1;
    }

    private void record(String cluster, Map<String, String> before, Map<String, String> after, String resourceVersion) {
        List<String> diff = ChangePlanner.diff(before, after);
        long id = jdbc.sql("""
                        INSERT INTO drift_events (cluster, resource_version, before_hash, after_hash, before_data, after_data,
                                                  diff)
                        VALUES (:cluster, :rv, :beforeHash, :afterHash, CAST(:before AS jsonb), CAST(:after AS jsonb), :diff)
                        RETURNING id""")
                .param("cluster", cluster)
                .param("rv", resourceVersion)
                .param("beforeHash", AwsAuthApplier.hash(before))
                .param("afterHash", AwsAuthApplier.hash(after))
                .param("before", AwsAuthBaselines.json(before))
                .param("after", AwsAuthBaselines.json(after))
                .param("diff", String.join("\n", diff))
                .query(Long.class).single();
        audit.record(ACTOR, AuditAction.DRIFT_DETECTED, cluster, AwsAuthApplier.RESOURCE, Map.of(
                "driftId", Long.toString(id),
                "beforeHash", AwsAuthApplier.hash(before),
                "afterHash", AwsAuthApplier.hash(after),
                "diff", String.join("\n", diff)), AuditOutcome.SUCCESS);
        notifications.publish(new NotificationEvent(NotificationType.DRIFT_DETECTED, cluster, null,
                "aws-auth on " + cluster + " was changed outside the console", "/clusters/" + cluster,
                Map.of("driftId", Long.toString(id), "diff", String.join("\n", diff)), Instant.now()));
        log.info("cluster={} configmap={} drift={} decision=drift", cluster, AwsAuthApplier.RESOURCE, id);
    }
}
