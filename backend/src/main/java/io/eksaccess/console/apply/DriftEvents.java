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
    private final AuditLog audit;

    DriftEvents(JdbcClient jdbc, AwsAuthBaselines baselines, AuditLog audit) {
        this.jdbc = jdbc;
        this.baselines = baselines;
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
                        RETURNING after_hash, after_data, resource_version""")
                .param("by", actor.subject())
                .param("id", id)
                .param("cluster", cluster)
                .query((rs, n) -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3)})
                .optional();
        if (row.isEmpty()) {
            return false;
        }
        String afterHash = (String) row.get()[0];
        baselines.lockedBaseline(cluster).filter(b -> b.hash().equals(afterHash)).ifPresent(b ->
                baselines.set(cluster, AwsAuthBaselines.data((String) row.get()[1]), (String) row.get()[2],
                        AwsAuthBaselines.Source.ADOPTED));
        audit.record(actor, AuditAction.DRIFT_ADOPTED, cluster, AwsAuthApplier.RESOURCE,
                Map.of("driftId", Long.toString(id), "afterHash", afterHash), AuditOutcome.SUCCESS);
        log.info("cluster={} configmap={} drift={} decision=adopted", cluster, AwsAuthApplier.RESOURCE, id);
        return true;
    }

    private static DriftEvent event(ResultSet rs) throws SQLException {
        String cluster = rs.getString("cluster");
        Timestamp adopted = rs.getTimestamp("adopted_at");
        return new DriftEvent(rs.getLong("id"), cluster, rs.getTimestamp("detected_at").toInstant(),
                rs.getString("resource_version"), Arrays.asList(rs.getString("diff").split("\n", -1)),
                RevertLinks.of(cluster, AwsAuthBaselines.data(rs.getString("before_data")),
                        AwsAuthBaselines.data(rs.getString("after_data"))),
                rs.getString("state"), rs.getString("adopted_by"), adopted == null ? null : adopted.toInstant());
    }
}
