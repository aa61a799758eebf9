package io.eksaccess.console.cluster.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import org.junit.jupiter.api.Test;

class ConnectionProblemTest {

    @Test
    void anUnresolvableHostInsideAConnectFailureIsReportedAsDns() {
        ConnectException connect = new ConnectException();
        connect.initCause(new UnresolvedAddressException());
        assertThat(ConnectionProblem.describe(new KubernetesClientException("list failed", connect)))
                .startsWith("The API server's host name does not resolve (DNS).");
    }

    @Test
    void refusedConnectionsAndForbiddenAnswersSayWhatToDo() {
        assertThat(ConnectionProblem.describe(new ConnectException("Connection refused")))
                .startsWith("Nothing answers at the API server's address");
        KubernetesClientException forbidden = new KubernetesClientException(new StatusBuilder()
                .withCode(403).withMessage("pods is forbidden: User \"alice\" cannot list resource \"pods\"").build());
        assertThat(ConnectionProblem.describe(forbidden))
                .contains("lacks permission (403): pods is forbidden")
                .contains("ClusterRole");
        assertThat(ConnectionProblem.describe(new KubernetesClientException(new StatusBuilder().withCode(401).build())))
                .contains("rejected the console's credentials (401)");
    }
}
