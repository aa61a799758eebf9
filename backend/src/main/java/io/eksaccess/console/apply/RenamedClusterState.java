package io.eksaccess.console.apply;

import io.eksaccess.console.cluster.ClusterRegistry;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Intents, drift baselines, expected writes and drift events name their cluster; a rename carries them
 * over in its own transaction, so recovery finishes an intent on the renamed cluster and its drift
 * history stays on its page. A removal moves them to the name the cluster is retired as: kept for the
 * history, while a cluster registered later under the name starts clean (an intent left pending then
 * finishes as "no such cluster" instead of applying to the newcomer).
 */
@Component
class RenamedClusterState {

    private static final String[] TABLES = {
        "apply_intents", "aws_auth_baselines", "aws_auth_expected_writes", "drift_events", "access_entry_baselines"
    };

    /** One row per cluster: a row left under the new name by a cluster removed earlier is not this cluster's. */
    private static final String[] ONE_PER_CLUSTER = {"aws_auth_baselines", "access_entry_baselines"};

    private final JdbcClient jdbc;

    RenamedClusterState(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void onRenamed(ClusterRegistry.Renamed renamed) {
        for (String table : ONE_PER_CLUSTER) {
            jdbc.sql("DELETE FROM " + table + " WHERE cluster = :to").param("to", renamed.to()).update();
        }
        for (String table : TABLES) {
            jdbc.sql("UPDATE " + table + " SET cluster = :to WHERE cluster = :from")
                    .param("from", renamed.from()).param("to", renamed.to()).update();
        }
    }

    @EventListener
    void onRemoved(ClusterRegistry.Removed removed) {
        for (String table : TABLES) {
            jdbc.sql("UPDATE " + table + " SET cluster = :to WHERE cluster = :from")
                    .param("from", removed.cluster()).param("to", removed.retiredAs()).update();
        }
    }
}
