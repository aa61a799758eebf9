package io.eksaccess.console.cluster.cache;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Optional;

/**
 * What the cache held at one moment, read from the informers' stores (never from the API server),
 * together with the status that says how current it is. Downstream engines take this.
 */
public record ClusterSnapshot(
        ClusterStatus status,
        Optional<ConfigMap> awsAuth,
        List<Namespace> namespaces,
        List<ServiceAccount> serviceAccounts,
        List<Pod> pods,
        List<Role> roles,
        List<ClusterRole> clusterRoles,
        List<RoleBinding> roleBindings,
        List<ClusterRoleBinding> clusterRoleBindings) {}
