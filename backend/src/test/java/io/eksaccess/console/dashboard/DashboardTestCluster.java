package io.eksaccess.console.dashboard;

import io.eksaccess.console.testsupport.KubeApiServer;

/** The home and overview tests' cluster: a dedicated API server whose aws-auth maps one readers role. */
final class DashboardTestCluster {

    static final String ACCOUNT = "111122223333";

    private DashboardTestCluster() {}

    /** Started with {@link #awsAuth awsAuth("")}; the caller closes it. */
    static KubeApiServer start() {
        KubeApiServer apiServer = KubeApiServer.startDedicated();
        apiServer.apply(awsAuth(""));
        return apiServer;
    }

    /** aws-auth with the readers role first, then {@code more} (further mapRoles lines and keys). */
    static String awsAuth(String more) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: aws-auth, namespace: kube-system}
                data:
                  mapRoles: |
                    - rolearn: arn:aws:iam::%s:role/readers
                      username: reader:{{SessionName}}
                      groups:
                        - readers
                %s""".formatted(ACCOUNT, more);
    }
}
