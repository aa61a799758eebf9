package io.eksaccess.console.dashboard;

import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.SharedApiServer;

/**
 * The home and overview tests' cluster: an API server of theirs, not the shared one, since their empty
 * states assert what the whole cluster holds (no findings, no admin but system:masters), and whose
 * aws-auth maps one readers role. The two classes take turns on it; each leaves it as it found it.
 */
final class DashboardTestCluster {

    static final String ACCOUNT = "111122223333";

    private static KubeApiServer apiServer;

    private DashboardTestCluster() {}

    /**
     * The API server (started at first use, stopped with the JVM) with aws-auth replaced by
     * {@link #awsAuth awsAuth("")}.
     */
    static synchronized KubeApiServer start() {
        if (apiServer == null) {
            apiServer = KubeApiServer.startDedicated();
        }
        SharedApiServer.replaceAwsAuth(apiServer, null);
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
