package io.eksaccess.console.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.system.LoopbackPorts;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.eksaccess.console.testsupport.TestInfra;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A port checked free can be taken before etcd or the API server binds it (CI saw the demo API
 * server exit on a restart under load): the demo cluster then starts on other ports.
 */
@RunsAlongside(seconds = 25)
class DemoClusterPortsTest {

    @Test
    void aPortTakenBeforeEtcdBindsItIsRetriedOnOtherPorts() throws Exception {
        Path binaries = TestInfra.binary("kube-apiserver").getParent();
        TestInfra.binary("etcd");
        Path dir = TestInfra.freshDir("demo-ports-").resolve("demo-cluster");
        List<Integer> handedOut = new ArrayList<>();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                DemoCluster cluster = new DemoCluster(() -> {
                    // The first start's etcd client port is one another process listens on.
                    int port = handedOut.isEmpty() ? taken.getLocalPort() : LoopbackPorts.next();
                    handedOut.add(port);
                    return port;
                })) {
            Path kubeconfig = cluster.start(binaries, dir);

            assertThat(handedOut).hasSize(6); // three ports on each of two starts
            assertThat(cluster.server()).endsWith(":" + handedOut.get(5));
            try (var client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig.toFile())).build()) {
                assertThat(client.configMaps().inNamespace("kube-system").withName("aws-auth").get()).isNotNull();
            }
            assertThat(Files.readString(dir.resolve("pids")).lines()).hasSize(2); // only this start's processes
        }
    }
}
