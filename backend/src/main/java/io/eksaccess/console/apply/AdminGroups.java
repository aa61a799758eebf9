package io.eksaccess.console.apply;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The groups whose members are cluster admins: {@code system:masters} and groups bound to {@code cluster-admin}. */
final class AdminGroups {

    static final String CLUSTER_ADMIN = "cluster-admin";

    private AdminGroups() {}

    static Set<String> of(List<ClusterRoleBinding> bindings) {
        Set<String> groups = new TreeSet<>();
        groups.add(LockoutCheck.MASTERS);
        for (ClusterRoleBinding binding : bindings) {
            if (binding.getRoleRef() == null || !"ClusterRole".equals(binding.getRoleRef().getKind())
                    || !CLUSTER_ADMIN.equals(binding.getRoleRef().getName()) || binding.getSubjects() == null) {
                continue;
            }
            binding.getSubjects().stream().filter(s -> "Group".equals(s.getKind()) && s.getName() != null)
                    .forEach(s -> groups.add(s.getName()));
        }
        return groups;
    }
}
