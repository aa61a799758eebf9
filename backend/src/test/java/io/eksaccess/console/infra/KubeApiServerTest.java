package io.eksaccess.console.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.testsupport.KubeApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's fabric8 client against a real kube-apiserver with etcd and RBAC. */
class KubeApiServerTest {

    private final KubeApiServer apiServer = KubeApiServer.get();

    @Test
    void createsAndReadsAConfigMap() {
        try (KubernetesClient client = apiServer.adminClient()) {
            client.configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder()
                            .withNewMetadata().withName("aws-auth-create-read").endMetadata()
                            .withData(Map.of("mapRoles", "- rolearn: arn:aws:iam::111122223333:role/admins\n"))
                            .build())
                    .create();

            ConfigMap read = client.configMaps().inNamespace("kube-system").withName("aws-auth-create-read").get();
            assertThat(read.getData()).containsEntry("mapRoles", "- rolearn: arn:aws:iam::111122223333:role/admins\n");
            assertThat(read.getMetadata().getResourceVersion()).isNotBlank();
        }
    }

    @Test
    void updateWithAStaleResourceVersionIsAConflict() {
        try (KubernetesClient client = apiServer.adminClient()) {
            ConfigMap created = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                            .withNewMetadata().withName("stale-update").endMetadata()
                            .withData(Map.of("k", "v1"))
                            .build())
                    .create();
            ConfigMap loadedEarlier = new ConfigMapBuilder(created).build();

            ConfigMap concurrent = new ConfigMapBuilder(created).addToData("k", "changed by someone else").build();
            client.configMaps().inNamespace("default").resource(concurrent).update();

            ConfigMap stale = new ConfigMapBuilder(loadedEarlier).addToData("k", "our change").build();
            assertThatThrownBy(() -> client.configMaps().inNamespace("default").resource(stale).update())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
            assertThat(client.configMaps().inNamespace("default").withName("stale-update").get().getData())
                    .containsEntry("k", "changed by someone else");
        }
    }

    @Test
    void subjectAccessReviewIsDeniedUntilARoleBindingGrantsIt() {
        String namespace = "sar-" + System.nanoTime();
        apiServer.apply("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: %s}
                """.formatted(namespace));
        List<String> groups = KubeApiServer.ALICE.groups();
        assertThat(apiServer.subjectAccessReview("alice", groups, "list", "", "configmaps", namespace).getAllowed())
                .isFalse();

        // A Role of our own: the built-in "view" is aggregated, and aggregation is the controller
        // manager's job, which this test cluster (API server only) does not run.
        apiServer.apply("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: configmap-reader, namespace: %1$s}
                rules:
                - {apiGroups: [""], resources: [configmaps], verbs: [get, list, watch]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: alice-reads-configmaps, namespace: %1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: configmap-reader}
                subjects:
                - {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}
                """.formatted(namespace));

        assertThat(apiServer.subjectAccessReview("alice", groups, "list", "", "configmaps", namespace).getAllowed())
                .isTrue();
        assertThat(apiServer.subjectAccessReview("alice", groups, "delete", "", "configmaps", namespace).getAllowed())
                .as("the role does not allow delete").isFalse();
        try (KubernetesClient alice = apiServer.clientFor(KubeApiServer.ALICE)) {
            assertThat(alice.configMaps().inNamespace(namespace).list().getItems()).isNotNull();
            assertThatThrownBy(() -> alice.configMaps().inNamespace("kube-system").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }
    }

    @Test
    void impersonatedUsersAndGroupsAreAuthorizedAsThemselves() {
        String namespace = "impersonation-" + System.nanoTime();
        apiServer.apply("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: %1$s}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: secret-reader, namespace: %1$s}
                rules:
                - {apiGroups: [""], resources: [secrets], verbs: [list]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: qa-reads-secrets, namespace: %1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
                subjects:
                - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: qa}
                """.formatted(namespace));
        try (KubernetesClient carolInQa = apiServer.clientAs("carol", "qa");
                KubernetesClient carolAlone = apiServer.clientAs("carol")) {
            assertThat(carolInQa.secrets().inNamespace(namespace).list().getItems()).isEmpty();
            assertThatThrownBy(() -> carolAlone.secrets().inNamespace(namespace).list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }
    }
}
