package io.eksaccess.console.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.AggregationRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A random, valid RBAC world for the differential test: namespaces, Roles, ClusterRoles (some
 * aggregated, some picked by aggregation), RoleBindings (to Roles, ClusterRoles and missing roles)
 * and ClusterRoleBindings, whose subjects are users, groups (incl. system:authenticated and the
 * ServiceAccount groups) and ServiceAccounts (with and without a namespace). Rules mix wildcards
 * with look-alikes that are not wildcards. All names carry the world's prefix.
 */
final class RbacWorld {

    static final List<String> RULE_VERBS = List.of("get", "list", "watch", "create", "update", "delete", "*", "get*", "impersonate");
    static final List<String> RULE_GROUPS = List.of("", "", "apps", "*", "app*", "x.example.com");
    static final List<String> RULE_RESOURCES = List.of("pods", "pods", "pods/log", "pods/status", "*/status", "*/log",
            "pods/*", "*", "deployments", "secrets", "nodes", "configmaps", "*/*", "deployments/scale");
    static final List<String> RULE_URLS = List.of("/healthz", "/healthz*", "/api*", "/apis/*", "*", "/metrics", "/logs/*",
            "/x", "/version/");
    static final String AGG_LABEL = "eks-access-console.test/agg";

    final String prefix;
    final List<String> namespaces;
    final List<String> users;
    final List<String> groups;
    final List<HasMetadata> objects = new ArrayList<>();
    private final Random random;

    RbacWorld(String prefix, Random random) {
        this.prefix = prefix;
        this.random = random;
        this.namespaces = List.of(prefix + "-a", prefix + "-b", prefix + "-c");
        this.users = List.of(prefix + "-u0", prefix + "-u1", prefix + "-u2", prefix + "-u3", prefix + "-u4");
        this.groups = List.of(prefix + "-g0", prefix + "-g1", prefix + "-g2");
        generate();
    }

    private void generate() {
        namespaces.forEach(ns -> objects.add(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()));
        List<String> clusterRoles = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String name = prefix + "-cr" + i;
            clusterRoles.add(name);
            List<PolicyRule> rules = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int r = 0; r < count; r++) {
                rules.add(random.nextInt(4) == 0 ? nonResourceRule() : resourceRule());
            }
            ClusterRoleBuilder role = new ClusterRoleBuilder().withNewMetadata().withName(name)
                    .withLabels(random.nextBoolean() ? Map.of(AGG_LABEL, pick(List.of("x", "y", "z"))) : Map.of())
                    .endMetadata().withRules(rules);
            objects.add(role.build());
        }
        // Aggregated roles: by label, by expression, and one that picks an aggregated role (a chain).
        objects.add(aggregated(prefix + "-agg-x", new LabelSelectorBuilder().withMatchLabels(Map.of(AGG_LABEL, "x")).build(),
                Map.of(AGG_LABEL, "z")));
        objects.add(aggregated(prefix + "-agg-xy", new LabelSelectorBuilder().addNewMatchExpression().withKey(AGG_LABEL)
                .withOperator("In").withValues("x", "y").endMatchExpression().build(), Map.of()));
        objects.add(aggregated(prefix + "-agg-z", new LabelSelectorBuilder().withMatchLabels(Map.of(AGG_LABEL, "z")).build(),
                Map.of()));
        clusterRoles.addAll(List.of(prefix + "-agg-x", prefix + "-agg-xy", prefix + "-agg-z", prefix + "-missing",
                "system:discovery", "system:public-info-viewer"));
        for (String ns : namespaces) {
            List<String> roles = List.of("r0", "r1", "missing-role");
            for (String role : roles.subList(0, 2)) {
                List<PolicyRule> rules = new ArrayList<>();
                int count = 1 + random.nextInt(3);
                for (int r = 0; r < count; r++) {
                    rules.add(resourceRule());
                }
                objects.add(new RoleBuilder().withNewMetadata().withNamespace(ns).withName(role).endMetadata()
                        .withRules(rules).build());
            }
            for (int b = 0; b < 4; b++) {
                boolean toRole = random.nextInt(3) == 0;
                objects.add(new RoleBindingBuilder().withNewMetadata().withNamespace(ns).withName("rb" + b).endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", toRole ? "Role" : "ClusterRole",
                                toRole ? pick(roles) : pick(clusterRoles))
                        .withSubjects(subjects(ns)).build());
            }
        }
        for (int b = 0; b < 6; b++) {
            objects.add(new ClusterRoleBindingBuilder().withNewMetadata().withName(prefix + "-crb" + b).endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", pick(clusterRoles))
                    .withSubjects(subjects(null)).build());
        }
    }

    /** Every rule written into the world (for questions aimed near them). */
    List<PolicyRule> rules() {
        List<PolicyRule> rules = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof io.fabric8.kubernetes.api.model.rbac.Role role) {
                rules.addAll(role.getRules());
            } else if (object instanceof io.fabric8.kubernetes.api.model.rbac.ClusterRole role && role.getRules() != null) {
                rules.addAll(role.getRules());
            }
        }
        return rules;
    }

    /** Every subject written into the world's bindings. */
    List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects() {
        List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof io.fabric8.kubernetes.api.model.rbac.RoleBinding binding) {
                subjects.addAll(binding.getSubjects());
            } else if (object instanceof io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding binding) {
                subjects.addAll(binding.getSubjects());
            }
        }
        return subjects;
    }

    private HasMetadata aggregated(String name, LabelSelector selector, Map<String, String> labels) {
        return new ClusterRoleBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withAggregationRule(new AggregationRuleBuilder().withClusterRoleSelectors(selector).build()).build();
    }

    private PolicyRule resourceRule() {
        PolicyRuleBuilder rule = new PolicyRuleBuilder().withVerbs(some(RULE_VERBS, 3)).withApiGroups(some(RULE_GROUPS, 2))
                .withResources(some(RULE_RESOURCES, 3));
        if (random.nextInt(4) == 0) {
            rule.withResourceNames(some(List.of("a", "b", "c"), 2));
        }
        return rule.build();
    }

    private PolicyRule nonResourceRule() {
        return new PolicyRuleBuilder().withVerbs(some(List.of("get", "post", "*", "head"), 2))
                .withNonResourceURLs(some(RULE_URLS, 3)).build();
    }

    /** Subjects of a binding; bindingNamespace null for a ClusterRoleBinding (ServiceAccounts need one there). */
    private List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects(String bindingNamespace) {
        List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            switch (random.nextInt(6)) {
                case 0, 1 -> subjects.add(rbacSubject("User", pick(users)));
                case 2 -> subjects.add(rbacSubject("Group", pick(groups)));
                case 3 -> subjects.add(rbacSubject("Group", pick(List.of("system:authenticated", "system:serviceaccounts",
                        "system:serviceaccounts:" + pick(namespaces), "system:unauthenticated"))));
                default -> {
                    String namespace = bindingNamespace != null && random.nextBoolean() ? null : pick(namespaces);
                    subjects.add(new SubjectBuilder().withKind("ServiceAccount").withNamespace(namespace)
                            .withName(pick(List.of("sa0", "sa1"))).build());
                }
            }
        }
        if (random.nextInt(10) == 0) {
            // a User named like a ServiceAccount is that ServiceAccount to the authorizer
            subjects.add(rbacSubject("User", "system:serviceaccount:" + pick(namespaces) + ":sa0"));
        }
        return subjects;
    }

    private static io.fabric8.kubernetes.api.model.rbac.Subject rbacSubject(String kind, String name) {
        return new SubjectBuilder().withApiGroup("rbac.authorization.k8s.io").withKind(kind).withName(name).build();
    }

    private List<String> some(List<String> pool, int max) {
        Set<String> chosen = new LinkedHashSet<>();
        int count = 1 + random.nextInt(max);
        for (int i = 0; i < count; i++) {
            chosen.add(pick(pool));
        }
        return List.copyOf(chosen);
    }

    private String pick(List<String> pool) {
        return pool.get(random.nextInt(pool.size()));
    }
}
