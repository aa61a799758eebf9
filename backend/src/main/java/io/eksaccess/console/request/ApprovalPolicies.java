package io.eksaccess.console.request;

import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditOutcome;
import io.eksaccess.console.identity.ConsoleRole;
import io.eksaccess.console.system.ConsoleException;
import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The approval policy of each cluster; a cluster without one gets {@link ApprovalPolicy#defaults}. */
@Component
public class ApprovalPolicies {

    private final JdbcClient jdbc;
    private final AuditLog audit;

    ApprovalPolicies(JdbcClient jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    public ApprovalPolicy of(String cluster) {
        return jdbc.sql("""
                        SELECT cluster, approvals_needed, approver_roles, approver_groups, max_grant_hours,
                               allow_masters, request_ttl_hours, auto_apply
                          FROM approval_policies WHERE cluster = :c
                        """)
                .param("c", cluster)
                .query((rs, n) -> new ApprovalPolicy(rs.getString(1), rs.getInt(2), roles(rs.getArray(3)),
                        strings(rs.getArray(4)), rs.getInt(5), rs.getBoolean(6), rs.getInt(7), rs.getBoolean(8)))
                .optional()
                .orElseGet(() -> ApprovalPolicy.defaults(cluster));
    }

    /**
     * Every stored policy by cluster, in one query: for lists that would otherwise ask {@link #of} once
     * per row (a cluster missing here has {@link ApprovalPolicy#defaults}).
     */
    public Map<String, ApprovalPolicy> all() {
        Map<String, ApprovalPolicy> byCluster = new java.util.HashMap<>();
        jdbc.sql("""
                        SELECT cluster, approvals_needed, approver_roles, approver_groups, max_grant_hours,
                               allow_masters, request_ttl_hours, auto_apply
                          FROM approval_policies
                        """)
                .query((rs, n) -> new ApprovalPolicy(rs.getString(1), rs.getInt(2), roles(rs.getArray(3)),
                        strings(rs.getArray(4)), rs.getInt(5), rs.getBoolean(6), rs.getInt(7), rs.getBoolean(8)))
                .list()
                .forEach(policy -> byCluster.put(policy.cluster(), policy));
        return byCluster;
    }

    @Transactional
    public void save(ApprovalPolicy policy, Person admin) {
        if (policy.approvalsNeeded() < 1 || policy.approvalsNeeded() > 10) {
            throw ConsoleException.invalid("error.policy.approvals-needed").onField("approvalsNeeded");
        }
        if (policy.maxGrantHours() < 1 || policy.maxGrantHours() > ApprovalPolicy.MAX_HOURS) {
            throw ConsoleException.invalid("error.policy.max-grant").onField("maxGrantHours");
        }
        if (policy.requestTtlHours() < 1 || policy.requestTtlHours() > ApprovalPolicy.MAX_HOURS) {
            throw ConsoleException.invalid("error.policy.request-ttl").onField("requestTtlHours");
        }
        if (policy.approverRoles().isEmpty() && policy.approverGroups().isEmpty()) {
            throw ConsoleException.invalid("error.policy.no-approvers");
        }
        PolicyRules.check(policy);
        jdbc.sql("""
                        INSERT INTO approval_policies (cluster, approvals_needed, approver_roles, approver_groups,
                                                       max_grant_hours, allow_masters, request_ttl_hours, auto_apply,
                                                       updated_at, updated_by)
                        VALUES (:c, :n, :roles, :groups, :max, :masters, :ttl, :auto, now(), :by)
                        ON CONFLICT (cluster) DO UPDATE SET
                            approvals_needed = EXCLUDED.approvals_needed, approver_roles = EXCLUDED.approver_roles,
                            approver_groups = EXCLUDED.approver_groups, max_grant_hours = EXCLUDED.max_grant_hours,
                            allow_masters = EXCLUDED.allow_masters, request_ttl_hours = EXCLUDED.request_ttl_hours,
                            auto_apply = EXCLUDED.auto_apply, updated_at = now(), updated_by = EXCLUDED.updated_by
                        """)
                .param("c", policy.cluster())
                .param("n", policy.approvalsNeeded())
                .param("roles", policy.approverRoles().stream().map(Enum::name).toArray(String[]::new))
                .param("groups", policy.approverGroups().toArray(String[]::new))
                .param("max", policy.maxGrantHours())
                .param("masters", policy.allowMasters())
                .param("ttl", policy.requestTtlHours())
                .param("auto", policy.autoApply())
                .param("by", admin.subject())
                .update();
        // Requests still waiting need the new number when it is higher (a lower one keeps what they were filed with).
        jdbc.sql("""
                        UPDATE access_requests SET approvals_needed = :n, updated_at = now()
                         WHERE cluster = :c AND state = 'PENDING' AND approvals_needed < :n""")
                .param("c", policy.cluster()).param("n", policy.approvalsNeeded()).update();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("approvalsNeeded", Integer.toString(policy.approvalsNeeded()));
        details.put("approvers", policy.approversInWords());
        details.put("maxGrantHours", Integer.toString(policy.maxGrantHours()));
        details.put("allowMasters", Boolean.toString(policy.allowMasters()));
        details.put("requestTtlHours", Integer.toString(policy.requestTtlHours()));
        details.put("autoApply", Boolean.toString(policy.autoApply()));
        audit.record(admin.actor(), AuditAction.APPROVAL_POLICY_CHANGED, policy.cluster(),
                "policies/" + policy.cluster(), details, AuditOutcome.SUCCESS);
    }

    private static Set<ConsoleRole> roles(Array array) throws SQLException {
        Set<ConsoleRole> roles = EnumSet.noneOf(ConsoleRole.class);
        for (String name : strings(array)) {
            roles.add(ConsoleRole.valueOf(name));
        }
        return roles;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
