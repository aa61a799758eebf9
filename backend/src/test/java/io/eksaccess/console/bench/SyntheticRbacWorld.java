package io.eksaccess.console.bench;

import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.Identity;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
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
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A large, seeded RBAC world shaped like a busy multi-tenant cluster, for benchmarks: a tenth of
 * the roles are ClusterRoles, the rest Roles spread over the namespaces; a tenth of the bindings
 * are ClusterRoleBindings, the rest RoleBindings (a third of them to ClusterRoles). Rules use the
 * common verbs, API groups and resources, with some wildcards, subresources and resourceNames.
 */
public final class SyntheticRbacWorld {

    static final List<String> VERBS = List.of("get", "list", "watch", "create", "update", "patch", "delete");
    static final List<String[]> RESOURCES = List.of(new String[] {"", "pods"}, new String[] {"", "pods/log"},
            new String[] {"", "pods/exec"}, new String[] {"", "services"}, new String[] {"", "configmaps"},
            new String[] {"", "secrets"}, new String[] {"", "serviceaccounts"}, new String[] {"", "events"},
            new String[] {"apps", "deployments"}, new String[] {"apps", "deployments/scale"},
            new String[] {"apps", "statefulsets"}, new String[] {"apps", "daemonsets"},
            new String[] {"batch", "jobs"}, new String[] {"batch", "cronjobs"},
            new String[] {"networking.k8s.io", "ingresses"}, new String[] {"networking.k8s.io", "networkpolicies"},
            new String[] {"rbac.authorization.k8s.io", "roles"}, new String[] {"rbac.authorization.k8s.io", "rolebindings"},
            new String[] {"autoscaling", "horizontalpodautoscalers"}, new String[] {"policy", "poddisruptionbudgets"});
    static final List<String[]> CLUSTER_RESOURCES = List.of(new String[] {"", "nodes"}, new String[] {"", "namespaces"},
            new String[] {"", "persistentvolumes"}, new String[] {"storage.k8s.io", "storageclasses"},
            new String[] {"rbac.authorization.k8s.io", "clusterroles"});

    public final List<Namespace> namespaces = new ArrayList<>();
    public final List<Role> roles = new ArrayList<>();
    public final List<ClusterRole> clusterRoles = new ArrayList<>();
    public final List<RoleBinding> roleBindings = new ArrayList<>();
    public final List<ClusterRoleBinding> clusterRoleBindings = new ArrayList<>();
    public final List<String> users = new ArrayList<>();
    public final List<String> groups = new ArrayList<>();
    private final Random random;

    /**
     * @param prefix prefix of every name (so several worlds can share one API server)
     * @param roleCount Roles plus ClusterRoles
     * @param bindingCount RoleBindings plus ClusterRoleBindings
     * @param namespaceCount namespaces the Roles and RoleBindings are spread over
     */
    public SyntheticRbacWorld(String prefix, int roleCount, int bindingCount, int namespaceCount, long seed) {
        this.random = new Random(seed);
        for (int i = 0; i < namespaceCount; i++) {
            namespaces.add(new NamespaceBuilder().withNewMetadata().withName(prefix + "-ns" + i).endMetadata().build());
        }
        for (int i = 0; i < Math.max(10, bindingCount / 4); i++) {
            users.add(prefix + "-user" + i);
        }
        for (int i = 0; i < Math.max(5, bindingCount / 40); i++) {
            groups.add(prefix + "-team" + i);
        }
        int clusterRoleCount = Math.max(1, roleCount / 10);
        for (int i = 0; i < clusterRoleCount; i++) {
            clusterRoles.add(new ClusterRoleBuilder().withNewMetadata().withName(prefix + "-cr" + i).endMetadata()
                    .withRules(rules(true)).build());
        }
        for (int i = 0; i < roleCount - clusterRoleCount; i++) {
            String namespace = namespace(i);
            roles.add(new RoleBuilder().withNewMetadata().withName(prefix + "-role" + i).withNamespace(namespace)
                    .endMetadata().withRules(rules(false)).build());
        }
        int clusterBindingCount = Math.max(1, bindingCount / 10);
        for (int i = 0; i < clusterBindingCount; i++) {
            clusterRoleBindings.add(new ClusterRoleBindingBuilder().withNewMetadata().withName(prefix + "-crb" + i)
                    .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole",
                            pick(clusterRoles).getMetadata().getName())
                    .withSubjects(subjects(namespace(random.nextInt(namespaceCount)), true)).build());
        }
        for (int i = 0; i < bindingCount - clusterBindingCount; i++) {
            Role role = pick(roles);
            boolean toClusterRole = random.nextInt(3) == 0;
            String namespace = toClusterRole ? namespace(random.nextInt(namespaceCount)) : role.getMetadata().getNamespace();
            roleBindings.add(new RoleBindingBuilder().withNewMetadata().withName(prefix + "-rb" + i)
                    .withNamespace(namespace).endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", toClusterRole ? "ClusterRole" : "Role",
                            toClusterRole ? pick(clusterRoles).getMetadata().getName() : role.getMetadata().getName())
                    .withSubjects(subjects(namespace, false)).build());
        }
    }

    /** Everything, namespaces first, as it would be applied to an API server. */
    public List<HasMetadata> objects() {
        List<HasMetadata> all = new ArrayList<>(namespaces);
        all.addAll(clusterRoles);
        all.addAll(roles);
        all.addAll(clusterRoleBindings);
        all.addAll(roleBindings);
        return all;
    }

    /** A who-can / can-i question that the world's rules make interesting (namespaced or not). */
    public AccessRequest question(Random questions) {
        if (questions.nextInt(10) == 0) {
            String[] resource = CLUSTER_RESOURCES.get(questions.nextInt(CLUSTER_RESOURCES.size()));
            return AccessRequest.resource(VERBS.get(questions.nextInt(3)), resource[0], resource[1], "", "", "");
        }
        String[] resource = RESOURCES.get(questions.nextInt(RESOURCES.size()));
        String[] parts = resource[1].split("/", 2);
        return AccessRequest.resource(VERBS.get(questions.nextInt(VERBS.size())), resource[0], parts[0],
                parts.length > 1 ? parts[1] : "", questions.nextInt(4) == 0 ? "app-" + questions.nextInt(20) : "",
                namespace(questions.nextInt(namespaces.size())));
    }

    /** Someone who might be asked about: a user with a few of the world's groups. */
    public Identity identity(Random questions) {
        List<String> memberOf = new ArrayList<>();
        for (int i = questions.nextInt(4); i > 0; i--) {
            memberOf.add(groups.get(questions.nextInt(groups.size())));
        }
        memberOf.add("system:authenticated");
        return new Identity(users.get(questions.nextInt(users.size())), memberOf);
    }

    private String namespace(int i) {
        return namespaces.get(i % namespaces.size()).getMetadata().getName();
    }

    private List<PolicyRule> rules(boolean clusterRole) {
        List<PolicyRule> rules = new ArrayList<>();
        int count = 1 + random.nextInt(5);
        for (int r = 0; r < count; r++) {
            PolicyRuleBuilder rule = new PolicyRuleBuilder();
            if (clusterRole && random.nextInt(8) == 0) {
                String[] resource = CLUSTER_RESOURCES.get(random.nextInt(CLUSTER_RESOURCES.size()));
                rules.add(rule.withApiGroups(resource[0]).withResources(resource[1]).withVerbs("get", "list", "watch").build());
                continue;
            }
            String[] resource = RESOURCES.get(random.nextInt(RESOURCES.size()));
            int shape = random.nextInt(40);
            if (shape == 0) {
                rule.withApiGroups("*").withResources("*").withVerbs("get", "list", "watch");
            } else if (shape == 1) {
                rule.withApiGroups(resource[0]).withResources("*").withVerbs("*");
            } else {
                rule.withApiGroups(resource[0]).withResources(resource[1]);
                if (random.nextInt(6) == 0) {
                    rule.withVerbs("*");
                } else {
                    List<String> verbs = new ArrayList<>(VERBS.subList(0, 1 + random.nextInt(VERBS.size())));
                    rule.withVerbs(verbs);
                }
                if (random.nextInt(10) == 0) {
                    rule.withResourceNames("app-" + random.nextInt(20));
                }
            }
            rules.add(rule.build());
        }
        if (clusterRole && random.nextInt(20) == 0) {
            rules.add(new PolicyRuleBuilder().withNonResourceURLs("/metrics", "/healthz*").withVerbs("get").build());
        }
        return rules;
    }

    private List<Subject> subjects(String namespace, boolean clusterWide) {
        List<Subject> subjects = new ArrayList<>();
        for (int s = 1 + random.nextInt(3); s > 0; s--) {
            int kind = random.nextInt(10);
            if (kind < 5) {
                subjects.add(new SubjectBuilder().withKind("User").withApiGroup("rbac.authorization.k8s.io")
                        .withName(pick(users)).build());
            } else if (kind < 8) {
                subjects.add(new SubjectBuilder().withKind("Group").withApiGroup("rbac.authorization.k8s.io")
                        .withName(pick(groups)).build());
            } else {
                subjects.add(new SubjectBuilder().withKind("ServiceAccount").withName("sa" + random.nextInt(20))
                        .withNamespace(clusterWide || random.nextBoolean() ? namespace : null).build());
            }
        }
        return subjects;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
