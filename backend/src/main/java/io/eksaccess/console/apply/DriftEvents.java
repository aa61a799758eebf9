package io.eksaccess.console.apply;

import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditOutcome;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Reading drift events (the cluster page calls {@code @driftEvents.open(name)}) and adopting them. */
@Component("driftEvents")
public class DriftEvents {

    private static final Logger log = LoggerFactory.getLogger(DriftEvents.class);

    private final JdbcClient jdbc;
    private final AwsAuthBaselines baselines;
    private final AccessEntryBaselines accessEntryBaselines;
    private final AuditLog audit;

    DriftEvents(JdbcClient jdbc, AwsAuthBaselines baselines, AccessEntryBaselines accessEntryBaselines, AuditLog audit) {
        this.jdbc = jdbc;
        this.baselines = baselines;
        this.accessEntryBaselines = accessEntryBaselines;
        this.audit = audit;
    }

    /** The drift not yet adopted, newest first. */
    public List<DriftEvent> open(String cluster) {
        return jdbc.sql("SELECT * FROM drift_events WHERE cluster = :cluster AND state = 'OPEN' ORDER BY id DESC LIMIT 20")
                .param("cluster", cluster).query((rs, row) -> event(rs)).list();
    }

    /** How many drift events are open per cluster (clusters without any are absent), in one query. */
    public Map<String, Integer> openCounts() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        jdbc.sql("SELECT cluster, count(*) FROM drift_events WHERE state = 'OPEN' GROUP BY cluster")
                .query((rs, n) -> counts.put(rs.getString(1), rs.getInt(2))).list();
        return counts;
    }

    /** Drift detected after that instant (null: ever), adopted or not. */
    public long detectedSince(java.time.Instant since) {
        return jdbc.sql("SELECT count(*) FROM drift_events WHERE detected_at > :since")
                .param("since", Timestamp.from(since == null ? java.time.Instant.EPOCH : since))
                .query(Long.class).single();
    }

    public Optional<DriftEvent> find(long id) {
        return jdbc.sql("SELECT * FROM drift_events WHERE id = :id").param("id", id).query((rs, row) -> event(rs)).optional();
    }

    /**
     * Accepts the drift as intended: it is closed, audited, and its content becomes the baseline
     * (unless aws-auth has moved on since, in which case the newer baseline stays).
     *
     * @return false when there is no such open drift on that cluster
     */
    @Transactional
    public boolean adopt(String cluster, long id, AuditActor actor) {
        var row = jdbc.sql("""
                        UPDATE drift_events SET state = 'ADOPTED', adopted_by = :by, adopted_at = now()
                        WHERE id = :id AND cluster = :cluster AND state = 'OPEN'
                        RETURNING after_hash, after_data, resource_version, resource""")
                .param("by", actor.subject())
                .param("id", id)
                .param("cluster", cluster)
                .query((rs, n) -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)})
                .optional();
        if (row.isEmpty()) {
            return false;
        }
        String afterHash = (String) row.get()[0];
        boolean accessEntries = AccessEntryDriftDetector.RESOURCE.equals(row.get()[3]);
        if (accessEntries) {
            accessEntryBaselines.adopted(cluster, afterHash);
        } else {
            baselines.lockedBaseline(cluster).filter(b -> b.hash().equals(afterHash)).ifPresent(b ->
                    baselines.set(cluster, AwsAuthBaselines.data((String) row.get()[1]), (String) row.get()[2],
                            AwsAuthBaselines.Source.ADOPTED));
        }
        String resource = accessEntries ? AccessEntryDriftDetector.RESOURCE : AwsAuthApplier.RESOURCE;
        audit.record(actor, AuditAction.DRIFT_ADOPTED, cluster, resource,
                Map.of("driftId", Long.toString(id), "afterHash", afterHash), AuditOutcome.SUCCESS);
        log.info("cluster={} resource={} drift={} decision=adopted", cluster, resource, id);
        return true;
    }

    private static DriftEvent event(ResultSet rs) throws SQLException {
        String cluster = rs.getString("cluster");
        Timestamp adopted = rs.getTimestamp("adopted_at");
        String resource = rs.getString("resource");
        List<DriftEvent.RevertLink> reverts = AccessEntryDriftDetector.RESOURCE.equals(resource)
                ? AccessEntryRevertLinks.of(cluster, AccessEntryState.parse(rs.getString("before_data")),
                        AccessEntryState.parse(rs.getString("after_data")))
                : RevertLinks.of(cluster, AwsAuthBaselines.data(rs.getString("before_data")),
                        AwsAuthBaselines.data(rs.getString("after_data")));
        return new DriftEvent(rs.getLong("id"), cluster, rs.getTimestamp("detected_at").toInstant(),
                rs.getString("resource_version"), Arrays.asList(rs.getString("diff").split("\n", -1)),
                reverts, rs.getString("state"), rs.getString("adopted_by"), adopted == null ? null : adopted.toInstant(),
                resource);
    }
}
