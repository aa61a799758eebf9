package io.eksaccess.console.request;

import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.SharedApiServer;
import java.util.Map;

/**
 * The world the request tests file against, on the API server shared by the classes running alongside
 * ({@link KubeApiServer#alongside}; its users hold {@code @ResourceLock(KubeApiServer.ALONGSIDE_LOCK)}):
 * aws-auth (replaced, the class owns it while it runs) maps one admin role into system:masters (so the
 * last-admin guard has something to keep), and a {@code readers} group may view everything.
 */
final class RequestTestCluster {

    private RequestTestCluster() {}

    /** The given shared API server, seeded; not to be closed (other classes use it after). */
    static KubeApiServer seed(KubeApiServer apiServer, String adminRole) {
        SharedApiServer.replaceAwsAuth(apiServer, Map.of("mapRoles", """
                - rolearn: %s
                  username: admin:{{SessionName}}
                  groups:
                    - system:masters
                """.formatted(adminRole)));
        apiServer.apply("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: readers-view}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
                subjects:
                - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: readers}
                """);
        return apiServer;
    }
}
