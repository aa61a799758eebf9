package io.eksaccess.console.cluster.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterClientFactory;
import io.eksaccess.console.cluster.ClusterSource;
import io.eksaccess.console.testsupport.Kubeconfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The connection check runs on every reconcile, and once on the main thread at start-up: it asks
 * once. The client's own retries (ten, backing off to seconds apart) held start-up and shutdown
 * about 20 s for every cluster that did not answer.
 */
class ClusterConnectionCheckTest {

    @Test
    void aClusterThatDropsEveryConnectionIsAskedForItsVersionOncePerCheck() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger versionRequests = new AtomicInteger();
            Thread acceptor = new Thread(() -> dropEveryConnection(server, versionRequests), "drops-connections");
            acceptor.setDaemon(true);
            acceptor.start();
            Path kubeconfig = Kubeconfig.write(new Kubeconfig.Context("drops", "http://127.0.0.1:" + server.getLocalPort(), "t"));
            Cluster cluster = new Cluster(1, "drops", ClusterSource.KUBECONFIG, null, "drops", kubeconfig.toString(), null,
                    null, null, null, null, null, null, null, null, List.of(), true, Instant.now(), Instant.now());

            try (ClusterCache cache = ClusterCache.start("drops", new ClusterClientFactory().clientFor(cluster),
                    Clock.systemUTC())) {
                cache.checkConnection();

                // The HTTP transport itself sends a GET again once when the connection drops before an
                // answer; the old check made 11 attempts of its own (22 requests).
                assertThat(versionRequests.get()).as("GET /version requests of one check").isBetween(1, 2);
                assertThat(cache.status().state()).isEqualTo(SyncState.ERROR);
                assertThat(cache.status().reason()).isNotBlank();
            }
        }
    }

    /** Reads each request line and closes the connection without an answer. */
    private static void dropEveryConnection(ServerSocket server, AtomicInteger versionRequests) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                String requestLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                if (requestLine != null && requestLine.startsWith("GET /version")) {
                    versionRequests.incrementAndGet();
                }
            } catch (IOException e) {
                return; // the server socket was closed: the test is over
            }
        }
    }
}
