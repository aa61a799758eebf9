package io.eksaccess.console.request;

import io.eksaccess.console.testsupport.KubeApiServer;

/**
 * The world the request tests file against: a dedicated API server whose aws-auth maps one admin
 * role into system:masters (so the last-admin guard has something to keep) and a {@code readers}
 * group that may view everything.
 */
final class RequestTestCluster {

    private RequestTestCluster() {}

    /** Started and seeded; the caller closes it. */
    static KubeApiServer start(String adminRole) {
        KubeApiServer apiServer = KubeApiServer.startDedicated();
        apiServer.apply("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: aws-auth, namespace: kube-system}
                data:
                  mapRoles: |
                    - rolearn: %s
                      username: admin:{{SessionName}}
                      groups:
                        - system:masters
                """.formatted(adminRole));
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
