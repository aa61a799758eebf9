package io.eksaccess.console.request;

import io.eksaccess.console.cluster.ClusterRegistry;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Requests and approval policies name their cluster; a rename carries them over in its own transaction,
 * so a grant on the renamed cluster still ends, a pending request still applies there, and its policy
 * still holds (not the default, and not for a cluster added later under the old name).
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
}
