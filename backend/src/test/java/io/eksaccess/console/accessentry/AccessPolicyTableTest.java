package io.eksaccess.console.accessentry;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy table: Admin/Edit/View are the upstream roles' rules, as a real API server holds them. */
class AccessPolicyTableTest {

    private static final String P = AccessPolicyTable.ARN_PREFIX;

    @Test
    void adminEditViewAreTheBootstrapAggregateRolesOfTheRealApiServer() {
        try (KubernetesClient client = KubeApiServer.get().adminClient()) {
            assertThat(client.getKubernetesVersion().getGitVersion()).startsWith(AccessPolicyTable.KUBERNETES_VERSION);
            assertThat(AccessPolicyTable.AGGREGATE_TO_ADMIN).isEqualTo(rules(client, "system:aggregate-to-admin"));
            assertThat(AccessPolicyTable.AGGREGATE_TO_EDIT).isEqualTo(rules(client, "system:aggregate-to-edit"));
            assertThat(AccessPolicyTable.AGGREGATE_TO_VIEW).isEqualTo(rules(client, "system:aggregate-to-view"));
        }
        assertThat(AccessPolicyTable.rules(P + "AmazonEKSAdminPolicy")).hasSize(AccessPolicyTable.AGGREGATE_TO_ADMIN.size()
                + AccessPolicyTable.AGGREGATE_TO_EDIT.size() + AccessPolicyTable.AGGREGATE_TO_VIEW.size());
    }

    private static List<PolicyRule> rules(KubernetesClient client, String name) {
        return client.rbac().clusterRoles().withName(name).get().getRules();
    }

    @Test
    void eachPolicyAllowsWhatTheFactsSay() {
        AccessRequest getSecret = AccessRequest.resource("get", "", "secrets", "", "s", "ns");
        AccessRequest exec = AccessRequest.resource("create", "", "pods", "exec", "p", "ns");
        AccessRequest bindRole = AccessRequest.resource("create", "rbac.authorization.k8s.io", "rolebindings", "", "", "ns");
        AccessRequest listCrd = AccessRequest.resource("list", "x.example.com", "widgets", "", "", "ns");
        AccessRequest deleteNode = AccessRequest.resource("delete", "", "nodes", "", "n", "");
        AccessRequest impersonateSa = AccessRequest.resource("impersonate", "", "serviceaccounts", "", "sa", "ns");
        AccessRequest listPods = AccessRequest.resource("list", "", "pods", "", "", "ns");
        List<AccessRequest> all = List.of(getSecret, exec, bindRole, listCrd, deleteNode, impersonateSa, listPods);
        assertThat(allowed("AmazonEKSClusterAdminPolicy", all)).containsExactlyElementsOf(all);
        assertThat(allowed("AmazonEKSAdminPolicy", all)).containsExactly(getSecret, exec, bindRole, impersonateSa, listPods);
        assertThat(allowed("AmazonEKSEditPolicy", all)).containsExactly(getSecret, exec, impersonateSa, listPods);
        assertThat(allowed("AmazonEKSViewPolicy", all)).containsExactly(listPods);
        assertThat(allowed("AmazonEKSAdminViewPolicy", all)).containsExactly(getSecret, listCrd, listPods);
        assertThat(allowed("AmazonEKSSecretReaderPolicy", all)).containsExactly(getSecret);
        assertThat(AccessPolicyTable.modelledPolicyNames()).allMatch(name -> AccessPolicyTable.modelled(P + name));
        assertThat(AccessPolicyTable.modelled("arn:aws:iam::aws:policy/AmazonEKSViewPolicy")).isFalse();
    }

    private static List<AccessRequest> allowed(String policy, List<AccessRequest> requests) {
        AssociatedAccessPolicy associated = new AssociatedAccessPolicy(P + policy, AccessScope.cluster());
        return requests.stream().filter(request -> AccessPolicyTable.allows(associated, request)).toList();
    }
}
