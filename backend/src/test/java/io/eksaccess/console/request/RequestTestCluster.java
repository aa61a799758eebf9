package io.eksaccess.console.request;

import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.SharedApiServer;
import java.util.Map;

/**
 * The world the request tests file against, on the shared API server: aws-auth (replaced, the class
 * owns it while it runs) maps one admin role into system:masters (so the last-admin guard has
 * something to keep), and a {@code readers} group may view everything.
 */
final class RequestTestCluster {

    private RequestTestCluster() {}

    /** The shared API server, seeded; not to be closed (other classes use it after). */
    static KubeApiServer start(String adminRole) {
        KubeApiServer apiServer = SharedApiServer.withAwsAuth(Map.of("mapRoles", """
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
