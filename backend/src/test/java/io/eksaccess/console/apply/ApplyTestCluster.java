package io.eksaccess.console.apply;

import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.SharedApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Map;

/** The apply tests' aws-auth fixture on the shared API server (each class replaces aws-auth as it starts) and a kubeconfig. */
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
        SharedApiServer.replaceAwsAuth(apiServer, data);
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
