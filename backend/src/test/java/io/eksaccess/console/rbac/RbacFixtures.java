package io.eksaccess.console.rbac;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.ArrayList;
import java.util.List;

/** Builders in the style of Kubernetes' rbac_test.go (newRule, newClusterRole, "User:admin" subjects). */
final class RbacFixtures {

    private RbacFixtures() {}

    /** newRule(verbs, apiGroups, resources, nonResourceURLs): comma-separated lists, "" for none, '' for the empty string. */
    static PolicyRule rule(String verbs, String groups, String resources, String urls) {
        return new PolicyRuleBuilder().withVerbs(split(verbs)).withApiGroups(split(groups))
                .withResources(split(resources)).withNonResourceURLs(split(urls)).build();
    }

    static PolicyRule named(PolicyRule rule, String... names) {
        return new PolicyRuleBuilder(rule).withResourceNames(names).build();
    }

    static ClusterRole clusterRole(String name, PolicyRule... rules) {
        return new ClusterRoleBuilder().withNewMetadata().withName(name).endMetadata().withRules(rules).build();
    }

    static Role role(String namespace, String name, PolicyRule... rules) {
        return new RoleBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withRules(rules).build();
    }

    static ClusterRoleBinding clusterRoleBinding(String name, String role, String... subjects) {
        return new ClusterRoleBindingBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role).withSubjects(subjects(subjects)).build();
    }

    static RoleBinding roleBinding(String namespace, String name, String roleKind, String role, String... subjects) {
        return new RoleBindingBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", roleKind, role).withSubjects(subjects(subjects)).build();
    }

    /** "User:alice", "Group:devs", "ServiceAccount:ns:name" or "ServiceAccount::name" (no namespace). */
    static List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects(String... specs) {
        List<io.fabric8.kubernetes.api.model.rbac.Subject> result = new ArrayList<>();
        for (String spec : specs) {
            String[] parts = spec.split(":", 2);
            if (parts[0].equals("ServiceAccount")) {
                String[] sa = parts[1].split(":", 2);
                result.add(new SubjectBuilder().withKind("ServiceAccount").withNamespace(sa[0].isEmpty() ? null : sa[0])
                        .withName(sa[1]).build());
            } else {
                result.add(new SubjectBuilder().withApiGroup("rbac.authorization.k8s.io").withKind(parts[0])
                        .withName(parts[1]).build());
            }
        }
        return result;
    }

    static Identity as(String user, String... groups) {
        return new Identity(user, List.of(groups));
    }

    /** Comma-separated; '' stands for the empty string (the core API group). */
    private static List<String> split(String csv) {
        return csv.isEmpty() ? List.of()
                : java.util.Arrays.stream(csv.split(",", -1)).map(v -> v.equals("''") ? "" : v).toList();
    }
}
