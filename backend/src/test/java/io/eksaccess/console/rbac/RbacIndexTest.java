package io.eksaccess.console.rbac;

import static io.eksaccess.console.rbac.RbacFixtures.as;
import static io.eksaccess.console.rbac.RbacFixtures.clusterRole;
import static io.eksaccess.console.rbac.RbacFixtures.clusterRoleBinding;
import static io.eksaccess.console.rbac.RbacFixtures.role;
import static io.eksaccess.console.rbac.RbacFixtures.roleBinding;
import static io.eksaccess.console.rbac.RbacFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.rbac.AggregationRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RbacIndexTest {

    private static AccessRequest get(String resource, String namespace) {
        return AccessRequest.resource("get", "", resource, "", "", namespace);
    }

    /** TestAuthorizer case 0: a RoleBinding to a ClusterRole grants only in its namespace. */
    @Test
    void roleBindingToClusterRoleGrantsOnlyInItsNamespace() {
        RbacIndex index = RbacIndex.build(List.of(), List.of(clusterRole("admin", rule("*", "*", "*", "*"))),
                List.of(roleBinding("ns1", "admin", "ClusterRole", "admin", "User:admin", "Group:admins")), List.of());
        assertThat(index.canI(as("admin"), get("Pods", "ns1")).allowed()).isTrue();
        assertThat(index.canI(as("joe", "group1", "admins"), AccessRequest.resource("watch", "", "Foobar", "", "", "ns1"))
                .allowed()).isTrue();
        assertThat(index.canI(as("admin"), AccessRequest.resource("GET", "", "Pods", "", "", "ns2")).allowed()).isFalse();
        assertThat(index.canI(as("admin", "admins"), get("Nodes", "")).allowed()).isFalse();
        // cluster-scoped resources through a RoleBinding: asked in its namespace, the rule applies
        assertThat(index.canI(as("admin"), get("nodes", "ns1")).allowed()).isTrue();
        // non-resource URLs in a ClusterRole bound by a RoleBinding never apply (no namespace)
        assertThat(index.canI(as("admin"), AccessRequest.nonResource("get", "/healthz")).allowed()).isFalse();
        Decision decision = index.canI(as("joe", "admins"), get("pods", "ns1"));
        assertThat(decision.binding()).isEqualTo(new BindingRef("RoleBinding", "admin", "ns1", "ClusterRole", "admin"));
        assertThat(decision.subject()).isEqualTo(Subject.group("admins"));
    }

    @Test
    void systemMastersIsAllowedEverythingWithoutAnyBinding() {
        RbacIndex index = RbacIndex.build(List.of(), List.of(), List.of(), List.of());
        Decision decision = index.canI(as("anyone", "system:masters"), AccessRequest.nonResource("delete", "/anything"));
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.binding()).isNull();
        assertThat(index.canI(as("system:masters"), get("pods", "")).allowed()).isFalse(); // a user of that name is not
    }

    @Test
    void serviceAccountSubjectsDefaultToTheRoleBindingsNamespaceAndMatchNobodyInAClusterRoleBinding() {
        RbacIndex index = RbacIndex.build(List.of(role("ns1", "reader", rule("get", "''", "pods", ""))),
                List.of(clusterRole("reader", rule("get", "''", "pods", ""))),
                List.of(roleBinding("ns1", "rb", "Role", "reader", "ServiceAccount::sa")),
                List.of(clusterRoleBinding("crb", "reader", "ServiceAccount::orphan")));
        assertThat(index.canI(as("system:serviceaccount:ns1:sa"), get("pods", "ns1")).allowed()).isTrue();
        assertThat(index.canI(as("system:serviceaccount:ns2:sa"), get("pods", "ns1")).allowed()).isFalse();
        assertThat(index.canI(as("system:serviceaccount::orphan"), get("pods", "")).allowed()).isFalse();
        assertThat(index.whoCan(get("pods", "ns1")).subjects()).containsExactly(Subject.serviceAccount("ns1", "sa"));
        // the groups of service accounts are ordinary groups
        RbacIndex byGroup = RbacIndex.build(List.of(), List.of(clusterRole("reader", rule("get", "''", "pods", ""))),
                List.of(), List.of(clusterRoleBinding("crb", "reader", "Group:system:serviceaccounts:ns1")));
        assertThat(byGroup.canI(as("system:serviceaccount:ns1:x", "system:serviceaccounts:ns1"), get("pods", "ns9"))
                .allowed()).isTrue();
        assertThat(byGroup.canI(as("system:serviceaccount:ns1:x"), get("pods", "ns9")).allowed()).isFalse();
    }

    @Test
    void bindingsToMissingRolesGrantNothingAndAreRecorded() {
        RbacIndex index = RbacIndex.build(List.of(), List.of(),
                List.of(roleBinding("ns1", "rb", "Role", "gone", "User:u")),
                List.of(clusterRoleBinding("crb", "gone-too", "User:u")));
        assertThat(index.canI(as("u"), get("pods", "ns1")).allowed()).isFalse();
        assertThat(index.canI(as("u"), get("pods", "ns1")).reason()).contains("missing roles");
        assertThat(index.danglingBindings()).extracting(BindingRef::name).containsExactly("crb", "rb");
        assertThat(index.whoCan(get("pods", "ns1")).subjects()).isEmpty();
    }

    @Test
    void whoCanLeavesOutSystemMastersAndDeduplicates() {
        RbacIndex index = RbacIndex.build(List.of(),
                List.of(clusterRole("cluster-admin", rule("*", "*", "*", ""), rule("*", "", "", "*"))),
                List.of(roleBinding("ns1", "a", "ClusterRole", "cluster-admin", "User:alice", "Group:devs")),
                List.of(clusterRoleBinding("cluster-admin", "cluster-admin", "Group:system:masters"),
                        clusterRoleBinding("b", "cluster-admin", "User:alice")));
        WhoCanAnswer inNamespace = index.whoCan(get("pods", "ns1"));
        assertThat(inNamespace.subjects()).containsExactly(Subject.group("devs"), Subject.user("alice"));
        assertThat(inNamespace.bindings()).extracting(BindingRef::name).containsExactly("b", "a");
        assertThat(index.whoCan(AccessRequest.nonResource("get", "/metrics")).subjects())
                .containsExactly(Subject.user("alice"));
    }

    @Test
    void aUserNamedLikeAServiceAccountIsThatServiceAccount() {
        RbacIndex index = RbacIndex.build(List.of(), List.of(clusterRole("r", rule("get", "''", "pods", ""))),
                List.of(roleBinding("ns1", "unrelated", "ClusterRole", "missing", "User:system:serviceaccount:ns1:sa")),
                List.of(clusterRoleBinding("crb", "r", "ServiceAccount:ns1:sa")));
        assertThat(index.whoCan(get("pods", "")).subjects())
                .containsExactly(Subject.serviceAccount("ns1", "sa"), Subject.user("system:serviceaccount:ns1:sa"));
    }

    @Test
    void aggregationReplacesRulesWithTheSelectedRolesRulesDeduplicatedAndIsIdempotent() {
        ClusterRole aggregated = new ClusterRoleBuilder().withNewMetadata().withName("agg").endMetadata()
                .withAggregationRule(new AggregationRuleBuilder().withClusterRoleSelectors(
                        new LabelSelectorBuilder().withMatchLabels(Map.of("agg", "true")).build(),
                        new LabelSelectorBuilder().addNewMatchExpression().withKey("tier").withOperator("In")
                                .withValues("b").endMatchExpression().build()).build())
                .withRules(rule("delete", "''", "stale", "")) // the controller replaces what is there
                .build();
        ClusterRole a = labelled(clusterRole("a", rule("get", "''", "pods", "")), Map.of("agg", "true"));
        ClusterRole b = labelled(clusterRole("b", rule("get", "''", "pods", ""), rule("list", "''", "pods", "")),
                Map.of("tier", "b"));
        ClusterRole c = labelled(clusterRole("c", rule("get", "''", "secrets", "")), Map.of("agg", "false"));
        var rules = Aggregation.effectiveRules(List.of(aggregated, c, b, a));
        assertThat(rules.get("agg")).containsExactly(rule("get", "''", "pods", ""), rule("list", "''", "pods", ""));
        aggregated.setRules(rules.get("agg"));
        assertThat(Aggregation.effectiveRules(List.of(aggregated, a, b, c)).get("agg")).isEqualTo(rules.get("agg"));
    }

    @Test
    void aggregationFollowsChainsAndEmptySelectorsSelectEverything() {
        ClusterRole top = aggregating("top", Map.of("level", "mid"));
        ClusterRole mid = labelled(aggregating("mid", Map.of("level", "leaf")), Map.of("level", "mid"));
        ClusterRole leaf = labelled(clusterRole("leaf", rule("get", "''", "pods", "")), Map.of("level", "leaf"));
        assertThat(Aggregation.effectiveRules(List.of(top, mid, leaf)).get("top"))
                .containsExactly(rule("get", "''", "pods", ""));
        assertThat(Aggregation.matches(new LabelSelectorBuilder().build(), Map.of())).isTrue();
        assertThat(Aggregation.matches(new LabelSelectorBuilder().addNewMatchExpression().withKey("k")
                .withOperator("NotIn").withValues("v").endMatchExpression().build(), Map.of())).isTrue();
        assertThat(Aggregation.matches(new LabelSelectorBuilder().addNewMatchExpression().withKey("k")
                .withOperator("Bogus").endMatchExpression().build(), Map.of())).isNull();
        assertThat(Aggregation.matches(new LabelSelectorBuilder().addNewMatchExpression().withKey("k")
                .withOperator("Exists").withValues("v").endMatchExpression().build(), Map.of("k", "v"))).isNull();
        assertThat(Aggregation.matches(new LabelSelectorBuilder().addNewMatchExpression().withKey("k")
                .withOperator("DoesNotExist").endMatchExpression().build(), Map.of("k", "v"))).isFalse();
    }

    @Test
    void rulesForListsClusterWideThenPerNamespaceRules() {
        RbacIndex index = RbacIndex.build(List.of(role("ns1", "r", rule("get", "''", "pods", ""))),
                List.of(clusterRole("view", rule("list", "''", "pods", ""))),
                List.of(roleBinding("ns1", "rb", "Role", "r", "Group:devs")),
                List.of(clusterRoleBinding("crb", "view", "User:alice")));
        List<RuleGrant> grants = index.rulesFor(as("alice", "devs"));
        assertThat(grants).extracting(RuleGrant::namespace).containsExactly(null, "ns1");
        assertThat(grants.get(1).via()).isEqualTo(Subject.group("devs"));
        assertThat(index.bindingsOf("Role", "ns1", "r")).extracting(BindingRef::name).containsExactly("rb");
    }

    private static ClusterRole aggregating(String name, Map<String, String> labels) {
        return new ClusterRoleBuilder().withNewMetadata().withName(name).endMetadata()
                .withAggregationRule(new AggregationRuleBuilder().withClusterRoleSelectors(
                        new LabelSelectorBuilder().withMatchLabels(labels).build()).build()).build();
    }

    private static ClusterRole labelled(ClusterRole role, Map<String, String> labels) {
        role.getMetadata().setLabels(labels);
        return role;
    }

    /**
     * Issue #19: rules-for looks up the bindings that name the identity's user or groups instead of
     * visiting all of them; the grants (and their order) must equal a visit of every binding in
     * rules-for's order, on random worlds, for every subject and for users with several groups.
     */
    @Test
    void rulesForEqualsAVisitOfEveryBinding() {
        int compared = 0;
        for (int w = 0; w < 15; w++) {
            java.util.Random random = new java.util.Random(1900 + w);
            RbacWorld world = new RbacWorld("rf" + w, random);
            List<io.fabric8.kubernetes.api.model.rbac.Role> roles = world.objects.stream()
                    .filter(o -> o instanceof io.fabric8.kubernetes.api.model.rbac.Role)
                    .map(o -> (io.fabric8.kubernetes.api.model.rbac.Role) o).toList();
            List<ClusterRole> clusterRoles = world.objects.stream().filter(o -> o instanceof ClusterRole)
                    .map(o -> (ClusterRole) o).toList();
            List<io.fabric8.kubernetes.api.model.rbac.RoleBinding> roleBindings = world.objects.stream()
                    .filter(o -> o instanceof io.fabric8.kubernetes.api.model.rbac.RoleBinding)
                    .map(o -> (io.fabric8.kubernetes.api.model.rbac.RoleBinding) o).toList();
            List<io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding> clusterRoleBindings = world.objects.stream()
                    .filter(o -> o instanceof io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding)
                    .map(o -> (io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding) o).toList();
            RbacIndex index = RbacIndex.build(roles, clusterRoles, roleBindings, clusterRoleBindings);
            List<Identity> identities = new java.util.ArrayList<>();
            index.subjects().forEach(subject -> identities.add(Identity.of(subject)));
            for (int i = 0; i < 30; i++) {
                List<String> groups = new java.util.ArrayList<>();
                for (int g = random.nextInt(4); g > 0; g--) {
                    groups.add(world.groups.get(random.nextInt(world.groups.size())));
                }
                identities.add(new Identity(i % 5 == 0 ? "" : world.users.get(random.nextInt(world.users.size())), groups));
            }
            for (Identity identity : identities) {
                if (identity.groups().contains(Subject.MASTERS)) {
                    continue; // the superuser's two added grants are checked elsewhere
                }
                assertThat(index.rulesFor(identity)).as("world %d, %s", w, identity)
                        .isEqualTo(everyBinding(index, roles, roleBindings, clusterRoleBindings, identity));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(500);
    }

    /** rules-for as a visit of every binding: ClusterRoleBindings by name, then RoleBindings by namespace and name. */
    private static List<RuleGrant> everyBinding(RbacIndex index, List<io.fabric8.kubernetes.api.model.rbac.Role> roles,
            List<io.fabric8.kubernetes.api.model.rbac.RoleBinding> roleBindings,
            List<io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding> clusterRoleBindings, Identity identity) {
        List<RuleGrant> grants = new java.util.ArrayList<>();
        clusterRoleBindings.stream().sorted(java.util.Comparator.comparing(b -> b.getMetadata().getName())).forEach(b ->
                grant(index, roles, BindingRef.CLUSTER_ROLE_BINDING, b.getMetadata().getName(), null, b.getRoleRef(),
                        b.getSubjects(), identity, grants));
        roleBindings.stream().sorted(java.util.Comparator.comparing((io.fabric8.kubernetes.api.model.rbac.RoleBinding b) ->
                b.getMetadata().getNamespace()).thenComparing(b -> b.getMetadata().getName())).forEach(b ->
                grant(index, roles, BindingRef.ROLE_BINDING, b.getMetadata().getName(), b.getMetadata().getNamespace(),
                        b.getRoleRef(), b.getSubjects(), identity, grants));
        return grants;
    }

    private static void grant(RbacIndex index, List<io.fabric8.kubernetes.api.model.rbac.Role> roles, String kind,
            String name, String namespace, io.fabric8.kubernetes.api.model.rbac.RoleRef roleRef,
            List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects, Identity identity, List<RuleGrant> into) {
        Subject via = null;
        for (io.fabric8.kubernetes.api.model.rbac.Subject s : subjects == null ? List.<io.fabric8.kubernetes.api.model.rbac.Subject>of() : subjects) {
            String subjectNamespace = s.getNamespace() == null || s.getNamespace().isEmpty() ? namespace : s.getNamespace();
            Subject subject = Subject.SERVICE_ACCOUNT.equals(s.getKind()) ? new Subject(s.getKind(), s.getName(), subjectNamespace)
                    : new Subject(s.getKind() == null ? "" : s.getKind(), s.getName() == null ? "" : s.getName(), null);
            if (subject.appliesTo(identity)) {
                via = subject;
                break;
            }
        }
        List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules = switch (roleRef.getKind()) {
            case "ClusterRole" -> index.clusterRoleRules(roleRef.getName());
            case "Role" -> namespace == null ? null : roles.stream()
                    .filter(r -> r.getMetadata().getNamespace().equals(namespace) && r.getMetadata().getName().equals(roleRef.getName()))
                    .map(r -> r.getRules() == null ? List.<io.fabric8.kubernetes.api.model.rbac.PolicyRule>of() : r.getRules())
                    .findFirst().orElse(null);
            default -> null;
        };
        if (via != null && rules != null) {
            BindingRef ref = new BindingRef(kind, name, namespace, roleRef.getKind(), roleRef.getName());
            for (io.fabric8.kubernetes.api.model.rbac.PolicyRule rule : rules) {
                into.add(new RuleGrant(namespace, ref, via, rule));
            }
        }
    }
}
