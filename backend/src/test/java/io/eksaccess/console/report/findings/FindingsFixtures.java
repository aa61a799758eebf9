package io.eksaccess.console.report.findings;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A cluster written as multi-document YAML, as a test reads best. */
final class FindingsFixtures {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private FindingsFixtures() {}

    static FindingsInput cluster(String yaml) {
        return cluster(yaml, Optional.empty());
    }

    static FindingsInput cluster(String yaml, Optional<FindingsInput.EksSettings> eks) {
        List<Role> roles = new ArrayList<>();
        List<ClusterRole> clusterRoles = new ArrayList<>();
        List<RoleBinding> roleBindings = new ArrayList<>();
        List<ClusterRoleBinding> clusterRoleBindings = new ArrayList<>();
        List<Namespace> namespaces = new ArrayList<>();
        List<ServiceAccount> accounts = new ArrayList<>();
        List<Pod> pods = new ArrayList<>();
        List<Secret> secrets = new ArrayList<>();
        Map<String, String> awsAuth = null;
        boolean anySecrets = yaml.contains("kind: Secret");
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.isBlank()) {
                continue;
            }
            HasMetadata object = SERIALIZATION.unmarshal(document);
            if (object instanceof Role r) {
                roles.add(r);
            } else if (object instanceof ClusterRole r) {
                clusterRoles.add(r);
            } else if (object instanceof RoleBinding b) {
                roleBindings.add(b);
            } else if (object instanceof ClusterRoleBinding b) {
                clusterRoleBindings.add(b);
            } else if (object instanceof Namespace n) {
                namespaces.add(n);
            } else if (object instanceof ServiceAccount a) {
                accounts.add(a);
            } else if (object instanceof Pod p) {
                pods.add(p);
            } else if (object instanceof Secret s) {
                secrets.add(s);
            } else if (object instanceof ConfigMap c) {
                awsAuth = FindingsInput.dataOf(c);
            } else {
                throw new IllegalArgumentException("unexpected " + object.getKind());
            }
        }
        return new FindingsInput(roles, clusterRoles, roleBindings, clusterRoleBindings, namespaces, accounts, pods,
                anySecrets ? Optional.of(secrets) : Optional.empty(), Optional.ofNullable(awsAuth), eks);
    }
}
