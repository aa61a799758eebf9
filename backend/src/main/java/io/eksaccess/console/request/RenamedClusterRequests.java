package io.eksaccess.console.request;

import io.eksaccess.console.cluster.ClusterRegistry;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Requests and approval policies name their cluster; a rename carries them over in its own transaction,
 * so a grant on the renamed cluster still ends, a pending request still applies there, and its policy
 * still holds (not the default, and not for a cluster added later under the old name). A removal moves
 * them to the name the cluster is retired as, after {@link AccessRequests} closed what still waited on it:
 * kept for the history, never listed, undone, retried or held to a policy on a cluster added later under
 * the name.
 */
@Component
class RenamedClusterRequests {

    private final JdbcClient jdbc;

    RenamedClusterRequests(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void onRenamed(ClusterRegistry.Renamed renamed) {
        jdbc.sql("UPDATE access_requests SET cluster = :to WHERE cluster = :from")
                .param("from", renamed.from()).param("to", renamed.to()).update();
        // A policy left under the new name by a cluster removed earlier is not this cluster's.
        jdbc.sql("DELETE FROM approval_policies WHERE cluster = :to").param("to", renamed.to()).update();
        jdbc.sql("UPDATE approval_policies SET cluster = :to WHERE cluster = :from")
                .param("from", renamed.from()).param("to", renamed.to()).update();
    }

    @EventListener
    @Order(Ordered.LOWEST_PRECEDENCE)
    void onRemoved(ClusterRegistry.Removed removed) {
        for (String table : new String[] {"access_requests", "approval_policies"}) {
            jdbc.sql("UPDATE " + table + " SET cluster = :to WHERE cluster = :from")
                    .param("from", removed.cluster()).param("to", removed.retiredAs()).update();
        }
    }
}
