package io.eksaccess.console.apply;

import io.eksaccess.console.testsupport.KubeApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Map;

/** A dedicated API server per test class (others write the shared one's aws-auth) and a kubeconfig for it. */
final class ApplyTestCluster {

    static final String ACCOUNT = "111122223333";
    static final String ADMINS = "arn:aws:iam::" + ACCOUNT + ":role/admins";
    static final String DEVS = "arn:aws:iam::" + ACCOUNT + ":role/devs";
    static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/alice";

    static final String MAP_ROLES = """
            - rolearn: arn:aws:iam::111122223333:role/admins
              username: admin:{{SessionName}}
              groups:
                - system:masters
            # developers, read-mostly
            - rolearn: arn:aws:iam::111122223333:role/devs
              username: dev:{{SessionName}}
              groups: [developers]
            """;
    static final String MAP_USERS = """
            - userarn: arn:aws:iam::111122223333:user/alice
              username: alice
              groups: [developers]
            """;

    private ApplyTestCluster() {}

    static Path kubeconfig(KubeApiServer apiServer, String context) {
        return apiServer.kubeconfigFor(context);
    }

    /** Replaces aws-auth with the fixture (or deletes it when {@code data} is null). */
    static void reset(KubeApiServer apiServer, Map<String, String> data) {
        try (KubernetesClient client = apiServer.adminClient()) {
            var resource = client.configMaps().inNamespace("kube-system").withName("aws-auth");
            resource.withTimeout(30, java.util.concurrent.TimeUnit.SECONDS).delete();
            if (data != null) {
                client.configMaps().inNamespace("kube-system").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                        .withNewMetadata().withName("aws-auth").withNamespace("kube-system").endMetadata()
                        .withData(data).build()).create();
            }
        }
    }

    static Map<String, String> fixture() {
        return Map.of("mapRoles", MAP_ROLES, "mapUsers", MAP_USERS);
    }

    static ConfigMap awsAuth(KubeApiServer apiServer) {
        try (KubernetesClient client = apiServer.adminClient()) {
            return client.configMaps().inNamespace("kube-system").withName("aws-auth").get();
        }
    }
}
