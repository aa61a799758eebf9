package io.eksaccess.console.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.cluster.ClusterRegistry;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Requests, approval policies, intents and drift state are stored by cluster name: a rename carries
 * them over, so the renamed cluster's grants still end there and its policy still holds; a cluster
 * added later under the old name starts with none of them. A removal ends the requests still waiting.
 */
@ConsoleIntegrationTest
class RenamedClusterTest {

    static final String ARN = "arn:aws:iam::111122223333:role/renamed-grant";

    @Autowired
    ClusterRegistry registry;

    @Autowired
    ClusterRepository clusters;

    @Autowired
    ApprovalPolicies policies;

    @Autowired
    RequestRepository requests;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aRenamedClusterKeepsItsGrantsPolicyIntentsAndDriftStateAndTheOldNameKeepsNone() {
        clusters.insertManual("rename-old", "https://127.0.0.1:9", "none", "/nonexistent/kubeconfig");
        clusters.setEnabled("rename-old", false); // no cache is started for it
        jdbc.sql("INSERT INTO approval_policies (cluster, approvals_needed) VALUES ('rename-old', 3)").update();
        // A policy a cluster removed earlier left under the new name is not the renamed cluster's.
        jdbc.sql("INSERT INTO approval_policies (cluster, approvals_needed) VALUES ('rename-new', 5)").update();
        long grant = jdbc.sql("""
                        INSERT INTO access_requests (cluster, requester_subject, requester_name, change, justification,
                                                     duration_hours, state, approvals_needed, expires_at, applied_at,
                                                     grant_ends_at, inverse_change)
                        VALUES ('rename-old', 'someone', 'Someone', CAST(:change AS jsonb), 'eight hours', 8,
                                'APPLIED', 1, now() + interval '1 day', now(), now() + interval '8 hours',
                                CAST(:inverse AS jsonb)) RETURNING id""")
                .param("change", "{\"kind\":\"MAP_ROLE\",\"arn\":\"" + ARN + "\",\"username\":\"r\",\"groups\":[\"g\"]}")
                .param("inverse", "{\"kind\":\"UNMAP_ROLE\",\"arn\":\"" + ARN + "\"}")
                .query(Long.class).single();
        jdbc.sql("""
                        INSERT INTO aws_auth_baselines (cluster, data, hash, source)
                        VALUES ('rename-old', '{}'::jsonb, 'h-old', 'OBSERVED'), ('rename-new', '{}'::jsonb, 'h-stale', 'OBSERVED')""")
                .update();
        jdbc.sql("""
                        INSERT INTO drift_events (cluster, before_hash, after_hash, before_data, after_data, diff)
                        VALUES ('rename-old', 'a', 'b', '{}'::jsonb, '{}'::jsonb, '')""").update();

        registry.rename(AuditActor.system("test"), "rename-old", "rename-new");

        AccessRequest moved = requests.find(grant).orElseThrow();
        assertThat(moved.cluster()).as("the grant's end is revoked on the cluster it was given on").isEqualTo("rename-new");
        assertThat(requests.grantsEndingBy(moved.grantEndsAt()).stream().map(AccessRequest::id)).contains(grant);
        assertThat(policies.of("rename-new").approvalsNeeded()).as("the renamed cluster's own policy").isEqualTo(3);
        assertThat(jdbc.sql("SELECT hash FROM aws_auth_baselines WHERE cluster = 'rename-new'").query(String.class)
                .single()).isEqualTo("h-old");
        assertThat(jdbc.sql("SELECT count(*) FROM drift_events WHERE cluster = 'rename-new'").query(Long.class).single())
                .isEqualTo(1);

        // A different cluster registered under the old name inherits nothing.
        clusters.insertManual("rename-old", "https://127.0.0.1:9", "none", "/nonexistent/kubeconfig");
        clusters.setEnabled("rename-old", false);
        assertThat(policies.of("rename-old").approvalsNeeded()).as("the default policy").isEqualTo(1);
        for (String table : new String[] {"access_requests", "approval_policies", "aws_auth_baselines", "drift_events"}) {
            assertThat(jdbc.sql("SELECT count(*) FROM " + table + " WHERE cluster = 'rename-old'").query(Long.class)
                    .single()).as(table).isZero();
        }
    }

    /** Requests still waiting for a removed cluster end with it, so a cluster added later under its name gets none. */
    @Test
    void removingAClusterCancelsTheRequestsStillWaitingForItAndKeepsItsGrants() {
        clusters.insertManual("remove-me", "https://127.0.0.1:9", "none", "/nonexistent/kubeconfig");
        clusters.setEnabled("remove-me", false);
        long pending = insert("remove-me", "PENDING");
        long approved = insert("remove-me", "APPROVED");
        long applied = insert("remove-me", "APPLIED");

        registry.remove(AuditActor.system("test"), "remove-me");

        for (long id : new long[] {pending, approved}) {
            AccessRequest ended = requests.find(id).orElseThrow();
            assertThat(ended.state()).as("#" + id).isEqualTo(RequestState.CANCELLED);
            assertThat(ended.outcomeMessage()).contains("cluster remove-me was removed");
            assertThat(jdbc.sql("""
                            SELECT actor_subject FROM audit_events
                             WHERE action = 'REQUEST_CANCELLED' AND details->>'requestId' = :id""")
                    .param("id", Long.toString(id)).query(String.class).single()).isEqualTo("system:registry");
        }
        assertThat(requests.find(applied).orElseThrow().state()).as("its access is still on the cluster")
                .isEqualTo(RequestState.APPLIED);
        clusters.insertManual("remove-me", "https://127.0.0.1:9", "none", "/nonexistent/kubeconfig");
        clusters.setEnabled("remove-me", false);
        assertThat(requests.openFor("remove-me")).as("nothing waits for the new cluster of that name").isEmpty();
    }

    /**
     * A cluster removed and a new one registered under its name: the newcomer starts clean. The removed
     * cluster's scheduled grant end is closed at the removal (nothing revoked, said so), so it never fires
     * on the newcomer; its failed request can no longer be retried there; its policy, intents, baselines and
     * drift events are kept for the history under the name it was retired as, and none is the newcomer's.
     */
    @Test
    void aClusterAddedUnderARemovedNameStartsCleanAndTheRemovedOnesGrantEndsAreClosedNotRevoked() {
        String name = "reuse-name";
        clusters.insertManual(name, "https://127.0.0.1:9", "none", "/nonexistent/kubeconfig");
        clusters.setEnabled(name, false);
        jdbc.sql("INSERT INTO approval_policies (cluster, approvals_needed) VALUES (:c, 3)").param("c", name).update();
        long grant = insert(name, "APPLIED");
        jdbc.sql("UPDATE access_requests SET duration_hours = 8, grant_ends_at = now() + interval '8 hours' WHERE id = :id")
                .param("id", grant).update();
        long permanent = insert(name, "APPLIED");
        long failed = insert(name, "FAILED");
        jdbc.sql("INSERT INTO aws_auth_baselines (cluster, data, hash, source) VALUES (:c, '{}'::jsonb, 'h-old', 'OBSERVED')")
                .param("c", name).update();
        jdbc.sql("""
                        INSERT INTO drift_events (cluster, before_hash, after_hash, before_data, after_data, diff)
                        VALUES (:c, 'a', 'b', '{}'::jsonb, '{}'::jsonb, '')""").param("c", name).update();
        jdbc.sql("""
                        INSERT INTO apply_intents (cluster, change, request_id, actor_subject, state, status)
                        VALUES (:c, '{"kind":"UNMAP_ROLE","arn":"x"}'::jsonb, :id, 'someone', 'DONE', 'APPLIED')""")
                .param("c", name).param("id", permanent).update();

        registry.remove(AuditActor.system("test"), name);

        AccessRequest closed = requests.find(grant).orElseThrow();
        assertThat(closed.state()).as("its end is closed, not left to fire later").isEqualTo(RequestState.REVOKED);
        assertThat(closed.revokeMessage()).startsWith("cluster removed; nothing revoked").contains(name);
        assertThat(jdbc.sql("""
                        SELECT details->>'reason' FROM audit_events
                         WHERE action = 'REQUEST_REVOKED' AND details->>'requestId' = :id AND actor_subject = 'system:registry'""")
                .param("id", Long.toString(grant)).query(String.class).single()).isEqualTo("cluster removed; nothing revoked");
        assertThat(requests.find(failed).orElseThrow().state()).as("no retry onto a newcomer").isEqualTo(RequestState.CANCELLED);

        clusters.insertManual(name, "https://127.0.0.1:9", "none", "/nonexistent/kubeconfig");
        clusters.setEnabled(name, false);
        assertThat(policies.of(name).approvalsNeeded()).as("the default policy").isEqualTo(1);
        assertThat(requests.grantsEndingBy(java.time.Instant.now().plus(java.time.Duration.ofDays(2))).stream()
                .map(AccessRequest::id)).doesNotContain(grant);
        assertThat(requests.lastAppliedOn(name, 10)).as("nothing of the removed cluster to undo here").isEmpty();
        for (String table : new String[] {"access_requests", "approval_policies", "aws_auth_baselines", "drift_events",
                "apply_intents"}) {
            assertThat(jdbc.sql("SELECT count(*) FROM " + table + " WHERE cluster = :c").param("c", name)
                    .query(Long.class).single()).as(table + " of the new cluster").isZero();
            assertThat(jdbc.sql("SELECT count(*) FROM " + table + " WHERE cluster LIKE :c").param("c", name + " (removed %)")
                    .query(Long.class).single()).as(table + " kept for the history").isPositive();
        }
        assertThat(requests.find(permanent).orElseThrow().cluster()).startsWith(name + " (removed ");
    }

    long insert(String cluster, String state) {
        return jdbc.sql("""
                        INSERT INTO access_requests (cluster, requester_subject, requester_name, change, justification,
                                                     state, approvals_needed, expires_at, applied_at, inverse_change)
                        VALUES (:cluster, 'someone', 'Someone', CAST(:change AS jsonb), 'needed', :state, 1,
                                now() + interval '1 day', CASE WHEN :state = 'APPLIED' THEN now() END,
                                CASE WHEN :state = 'APPLIED' THEN CAST(:inverse AS jsonb) END) RETURNING id""")
                .param("cluster", cluster).param("state", state)
                .param("change", "{\"kind\":\"MAP_ROLE\",\"arn\":\"" + ARN + "\",\"username\":\"r\",\"groups\":[\"g\"]}")
                .param("inverse", "{\"kind\":\"UNMAP_ROLE\",\"arn\":\"" + ARN + "\"}")
                .query(Long.class).single();
    }
}
