package io.eksaccess.console.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AuthenticationMode;
import io.eksaccess.console.accessentry.ClusterAccessEntries;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.rbac.RbacIndex;
import io.eksaccess.console.system.Sentence;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The equivalence check on the demo cluster's RBAC and aws-auth, and deliberately non-equivalent cases. */
class EquivalenceCheckTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static List<HasMetadata> objects(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.lines().anyMatch(line -> line.startsWith("kind:"))) {
                objects.add(SERIALIZATION.unmarshal(doc, HasMetadata.class));
            }
        }
        return objects;
    }

    private static RbacIndex index(List<HasMetadata> objects) {
        return RbacIndex.build(of(objects, Role.class), of(objects, ClusterRole.class), of(objects, RoleBinding.class),
                of(objects, ClusterRoleBinding.class));
    }

    private static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static List<HasMetadata> demo() throws Exception {
        try (InputStream in = EquivalenceCheckTest.class.getResourceAsStream("/demo/demo-cluster.yaml")) {
            return objects(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static Map<String, String> demoAwsAuth(List<HasMetadata> objects) {
        return new LinkedHashMap<>(of(objects, ConfigMap.class).stream()
                .filter(cm -> cm.getMetadata().getName().equals("aws-auth")).findFirst().orElseThrow().getData());
    }

    private static EquivalenceCheck.Result check(AwsAuthConfig awsAuth, RbacIndex index) {
        MigrationPlan plan = MigrationPlanner.plan(awsAuth, List.of());
        return EquivalenceCheck.check(awsAuth, ClusterAccessEntries.NONE, plan, index);
    }

    @Test
    void demoStyleClusterWithoutMapAccountsAndBrokenEntryPasses() throws Exception {
        List<HasMetadata> objects = demo();
        Map<String, String> data = demoAwsAuth(objects);
        data.remove("mapAccounts");
        data.put("mapRoles", data.get("mapRoles").replaceAll("(?s)    - username: missing-arn.*", ""));
        EquivalenceCheck.Result result = check(AwsAuthParser.parse(data), index(objects));

        assertThat(result.differences()).extracting(Sentence::text).isEmpty();
        assertThat(result.equivalent()).isTrue();
        assertThat(result.principals()).extracting(EquivalenceCheck.PrincipalResult::arn).containsExactly(
                "arn:aws:iam::111122223333:role/NodeInstanceRole", "arn:aws:iam::111122223333:role/PlatformAdmins",
                "arn:aws:iam::111122223333:role/BreakGlass", "arn:aws:iam::111122223333:role/PaymentsDevelopers",
                "arn:aws:iam::111122223333:user/alice");
        // The two replacements EKS makes are listed, not hidden.
        assertThat(result.accepted()).extracting(Sentence::text).anySatisfy(a -> assertThat(a)
                .startsWith("arn:aws:iam::111122223333:role/BreakGlass (mapRoles[2]): no longer in system:masters"));
        assertThat(result.accepted()).extracting(Sentence::text).anySatisfy(a -> assertThat(a)
                .startsWith("arn:aws:iam::111122223333:role/NodeInstanceRole (mapRoles[0]): no longer in system:bootstrappers"));
        // The comparison did ask real questions: the payments developers' deployer rights in payments.
        EquivalenceCheck.PrincipalResult payments = result.principals().get(3);
        assertThat(payments.requestsCompared()).as("6 deployment verbs and 3 configmap verbs in payments").isEqualTo(9);
        assertThat(payments.after().user()).isEqualTo("payments:eks-access-console-probe");
    }

    @Test
    void demoClusterAsShippedIsNotEquivalentBecauseOfMapAccounts() throws Exception {
        List<HasMetadata> objects = demo();
        EquivalenceCheck.Result result = check(AwsAuthParser.parse(demoAwsAuth(objects)), index(objects));
        assertThat(result.equivalent()).isFalse();
        assertThat(result.differences()).extracting(Sentence::text).singleElement().satisfies(d -> assertThat(d)
                .startsWith("mapAccounts[0] (account 444455556666)").contains("loses all access"));
    }

    @Test
    void systemGroupBoundByRbacThatNoEntryCanCarryIsCaught() {
        AwsAuthConfig awsAuth = AwsAuthParser.parse(Map.of("mapRoles", """
                - rolearn: arn:aws:iam::111122223333:role/Monitor
                  username: monitor
                  groups: [system:monitoring]
                """));
        RbacIndex index = index(objects("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: metrics}
                rules:
                - {nonResourceURLs: ["/metrics"], verbs: [get]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: metrics}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: metrics}
                subjects:
                - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:monitoring}
                """));
        EquivalenceCheck.Result result = check(awsAuth, index);
        assertThat(result.equivalent()).isFalse();
        assertThat(result.differences()).extracting(Sentence::text).containsExactly("arn:aws:iam::111122223333:role/Monitor (mapRoles[0]):"
                + " loses all access: after the switch to API no access entry maps it (see unmigratable)");
        assertThat(result.principals().get(0).lost()).containsExactly("get /metrics");
    }

    @Test
    void nodeRoleLosingABootstrappersOnlyBindingIsCaughtAndDescribed() {
        AwsAuthConfig awsAuth = AwsAuthParser.parse(Map.of("mapRoles", """
                - rolearn: arn:aws:iam::111122223333:role/Nodes
                  username: system:node:{{EC2PrivateDNSName}}
                  groups: [system:bootstrappers, system:nodes]
                """));
        RbacIndex index = index(objects("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: csr-creator}
                rules:
                - {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: bootstrappers-csr}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: csr-creator}
                subjects:
                - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:bootstrappers}
                """));
        EquivalenceCheck.Result result = check(awsAuth, index);
        assertThat(result.equivalent()).isFalse();
        assertThat(result.differences()).extracting(Sentence::text).singleElement().satisfies(d -> assertThat(d)
                .startsWith("arn:aws:iam::111122223333:role/Nodes (mapRoles[0]): may no longer create"
                        + " certificatesigningrequests (certificates.k8s.io) cluster-wide"));
    }

    @Test
    void aNamespaceGrantBecomingClusterWideIsCaught() {
        AwsAuthConfig awsAuth = AwsAuthParser.parse(Map.of("mapUsers", """
                - userarn: arn:aws:iam::111122223333:user/bob
                  username: bob
                  groups: [devs]
                """));
        // Today devs may read pods in team-a only; bob's existing entry puts him in ops, which may read them everywhere.
        RbacIndex index = index(objects("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: pod-reader}
                rules:
                - {apiGroups: [""], resources: [pods], verbs: [get]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: devs, namespace: team-a}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
                subjects:
                - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: devs}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: ops}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
                subjects:
                - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: ops}
                """));
        List<AccessEntry> existing = List.of(new AccessEntry("arn:aws:iam::111122223333:user/bob", null, "bob",
                List.of("ops"), List.of()));
        MigrationPlan plan = MigrationPlanner.plan(awsAuth, existing);
        EquivalenceCheck.Result result = EquivalenceCheck.check(awsAuth,
                new ClusterAccessEntries("prod", AuthenticationMode.CONFIG_MAP, existing), plan, index);
        assertThat(result.differences()).extracting(Sentence::text).containsExactly(
                "arn:aws:iam::111122223333:user/bob (mapUsers[0]): loses group devs",
                "arn:aws:iam::111122223333:user/bob (mapUsers[0]): gains group ops",
                "arn:aws:iam::111122223333:user/bob (mapUsers[0]): may newly get pods cluster-wide; get pods in"
                        + " namespace any-other-namespace (2 of 3 requests compared)");
    }

    @Test
    void existingEntryThatAlreadyWinsInApiAndConfigMapIsEquivalent() {
        AwsAuthConfig awsAuth = AwsAuthParser.parse(Map.of("mapUsers", """
                - userarn: arn:aws:iam::111122223333:user/bob
                  username: bob
                  groups: [devs]
                """));
        List<AccessEntry> existing = List.of(new AccessEntry("arn:aws:iam::111122223333:user/bob", null, "robert",
                List.of("devs"), List.of()));
        ClusterAccessEntries current = new ClusterAccessEntries("prod", AuthenticationMode.API_AND_CONFIG_MAP, existing);
        MigrationPlan plan = MigrationPlanner.plan(awsAuth, existing);
        assertThat(plan.skipped()).hasSize(1);
        EquivalenceCheck.Result result = EquivalenceCheck.check(awsAuth, current, plan, index(List.of()));
        assertThat(result.differences()).extracting(Sentence::text).isEmpty();
        // In CONFIG_MAP, the same entry would change bob's username: the check says so.
        EquivalenceCheck.Result fromConfigMap = EquivalenceCheck.check(awsAuth,
                new ClusterAccessEntries("prod", AuthenticationMode.CONFIG_MAP, existing), plan, index(List.of()));
        assertThat(fromConfigMap.differences()).extracting(Sentence::text).containsExactly("arn:aws:iam::111122223333:user/bob (mapUsers[0]):"
                + " username changes from bob to robert (RBAC bound to the old name, audit logs and admission see the"
                + " new one)");
    }
}
