package io.eksaccess.console.report;

import java.util.List;

/**
 * What an access report says, as stored (JSON, the exact text that is hashed) and downloaded.
 * Times are ISO-8601 UTC strings so the text is the same however it is read back.
 *
 * @param scope a cluster name, or {@link #ALL} for every enabled cluster
 * @param previous the report of the same scope this one is compared with (null for the first)
 * @param auditChainHead the newest audit row when the report was generated (null: empty history, or a
 *     report of format 1): whoever holds this report can later prove that rows up to it vanished or
 *     were rewritten, because verification must find this row with this hash
 */
public record ReportContent(
        int formatVersion,
        String scope,
        String trigger,
        String requestedBy,
        String generatedAt,
        PreviousReport previous,
        List<ClusterSection> clusters,
        Changes changes,
        ChainHead auditChainHead) {

    public static final String ALL = "*";
    /** 2 added {@code auditChainHead}. */
    public static final int FORMAT_VERSION = 2;

    public record PreviousReport(long id, String generatedAt, String sha256) {}

    /** An audit row by its sequence and hash. */
    public record ChainHead(long sequence, String hash) {}

    /**
     * One cluster as the console's cache saw it.
     *
     * @param state LIVE, STALE, ERROR, STARTING or UNAVAILABLE (no cache: disabled or not yet started)
     * @param dataAsOf when the data was last known current
     * @param findingsAvailable false while no findings engine is wired in; {@code findings} is then empty
     */
    public record ClusterSection(
            String name,
            String state,
            String dataAsOf,
            String problem,
            List<Principal> principals,
            List<Binding> bindings,
            boolean findingsAvailable,
            List<ReportedFinding> findings) {}

    /**
     * An IAM principal from aws-auth and what it may do.
     *
     * @param arn the ARN (or SSO pattern, or {@code arn:aws:iam::ACCOUNT:*} for a mapped account)
     * @param mappedBy the aws-auth entry, e.g. {@code mapRoles[0]}
     * @param groups as the API server sees them (system:authenticated included)
     */
    public record Principal(String arn, String mappedBy, String username, List<String> groups,
            List<Permission> permissions) {}

    /**
     * One rule a principal holds.
     *
     * @param namespace where (or {@link #CLUSTER_WIDE})
     * @param via the binding and role that grant it
     */
    public record Permission(String namespace, List<String> verbs, List<String> apiGroups, List<String> resources,
            List<String> resourceNames, List<String> nonResourceUrls, String via) {

        public static final String CLUSTER_WIDE = "*";

        /** The access itself, without where it comes from: what "gained" and "lost" compare. */
        public String summary() {
            StringBuilder text = new StringBuilder(String.join(",", verbs)).append(' ');
            if (!nonResourceUrls.isEmpty()) {
                text.append(String.join(",", nonResourceUrls));
            } else {
                text.append(String.join(",", resources));
                if (!apiGroups.isEmpty() && !(apiGroups.size() == 1 && apiGroups.get(0).isEmpty())) {
                    text.append(" (").append(String.join(",", apiGroups)).append(')');
                }
                if (!resourceNames.isEmpty()) {
                    text.append(" named ").append(String.join(",", resourceNames));
                }
            }
            text.append(CLUSTER_WIDE.equals(namespace) ? " cluster-wide" : " in " + namespace);
            return text.toString();
        }
    }

    /** A RoleBinding (namespace set) or ClusterRoleBinding and whom it binds, e.g. {@code Group:developers}. */
    public record Binding(String kind, String namespace, String name, String roleKind, String roleName,
            List<String> subjects) {}

    /**
     * What changed since the previous report of the same scope.
     *
     * @param compared false for the first report of a scope: no access to compare with, and the
     *     events cover the whole audit history up to the report
     */
    public record Changes(
            boolean compared,
            List<AccessChange> accessGained,
            List<AccessChange> accessLost,
            List<Event> requestsApplied,
            List<Event> breakGlass,
            List<Event> drift) {}

    public record AccessChange(String cluster, String principal, String what) {}

    /** An audit event in the report's period, as the audit history has it. */
    public record Event(long sequence, String occurredAt, String action, String actor, String cluster,
            String resource, String outcome) {}
}
