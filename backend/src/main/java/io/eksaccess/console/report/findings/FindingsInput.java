package io.eksaccess.console.report.findings;

import io.eksaccess.console.accessentry.SyncedAccessEntries;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.cache.ClusterSnapshot;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the findings engine looks at for one cluster. Absent parts are not checked (and the
 * evaluation says so) rather than reported clean.
 *
 * @param secrets Secret metadata, if available: the live cache deliberately holds no Secrets, an
 *     offline dump may
 * @param awsAuth the aws-auth ConfigMap's data, if there is one
 * @param eks what EKS DescribeCluster said, for clusters discovered through EKS
 * @param accessEntries the access entries the last sync from EKS left in the cache (API_AND_CONFIG_MAP
 *     and API clusters), if read
 */
public record FindingsInput(
        List<Role> roles,
        List<ClusterRole> clusterRoles,
        List<RoleBinding> roleBindings,
        List<ClusterRoleBinding> clusterRoleBindings,
        List<Namespace> namespaces,
        List<ServiceAccount> serviceAccounts,
        List<Pod> pods,
        Optional<List<Secret>> secrets,
        Optional<Map<String, String>> awsAuth,
        Optional<EksSettings> eks,
        Optional<SyncedAccessEntries> accessEntries) {

    /** Without access entries (clusters not read through EKS, dumps). */
    public FindingsInput(List<Role> roles, List<ClusterRole> clusterRoles, List<RoleBinding> roleBindings,
            List<ClusterRoleBinding> clusterRoleBindings, List<Namespace> namespaces, List<ServiceAccount> serviceAccounts,
            List<Pod> pods, Optional<List<Secret>> secrets, Optional<Map<String, String>> awsAuth,
            Optional<EksSettings> eks) {
        this(roles, clusterRoles, roleBindings, clusterRoleBindings, namespaces, serviceAccounts, pods, secrets, awsAuth,
                eks, Optional.empty());
    }

    /**
     * DescribeCluster's answer as the registry stored it.
     *
     * @param authenticationMode CONFIG_MAP, API_AND_CONFIG_MAP or API (null: not known)
     * @param bootstrapCreatorAdmin accessConfig.bootstrapClusterCreatorAdminPermissions (null: not known)
     */
    public record EksSettings(String clusterName, String authenticationMode, Boolean bootstrapCreatorAdmin,
            Boolean endpointPublicAccess, List<String> publicAccessCidrs) {

        public static Optional<EksSettings> of(Cluster cluster) {
            if (cluster.eksAuthenticationMode() == null && cluster.eksBootstrapCreatorAdmin() == null
                    && cluster.endpointPublicAccess() == null) {
                return Optional.empty();
            }
            return Optional.of(new EksSettings(cluster.name(), cluster.eksAuthenticationMode(),
                    cluster.eksBootstrapCreatorAdmin(), cluster.endpointPublicAccess(),
                    cluster.publicAccessCidrs() == null ? List.of() : cluster.publicAccessCidrs()));
        }
    }

    public FindingsInput {
        roles = List.copyOf(roles);
        clusterRoles = List.copyOf(clusterRoles);
        roleBindings = List.copyOf(roleBindings);
        clusterRoleBindings = List.copyOf(clusterRoleBindings);
        namespaces = List.copyOf(namespaces);
        serviceAccounts = List.copyOf(serviceAccounts);
        pods = List.copyOf(pods);
    }

    /** A live cluster: the cache's view (no Secrets), the registry's EKS details and the synced access entries. */
    public static FindingsInput of(ClusterSnapshot snapshot, Cluster cluster, Optional<SyncedAccessEntries> accessEntries) {
        return new FindingsInput(snapshot.roles(), snapshot.clusterRoles(), snapshot.roleBindings(),
                snapshot.clusterRoleBindings(), snapshot.namespaces(), snapshot.serviceAccounts(), snapshot.pods(),
                Optional.empty(), snapshot.awsAuth().map(FindingsInput::dataOf), EksSettings.of(cluster), accessEntries);
    }

    public static Map<String, String> dataOf(ConfigMap configMap) {
        return configMap.getData() == null ? Map.of() : configMap.getData();
    }
}
