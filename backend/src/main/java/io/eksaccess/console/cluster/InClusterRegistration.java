package io.eksaccess.console.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Registers the cluster the console runs in, when it runs in one: the pod's environment names the
 * API server and a service account token is mounted. {@code console.clusters.in-cluster} is
 * {@code auto} (default), {@code on} or {@code off}.
 */
@Component
class InClusterRegistration {

    private static final Logger log = LoggerFactory.getLogger(InClusterRegistration.class);
    static final Path TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private final ClusterRepository clusters;
    private final String mode;
    private final String name;

    InClusterRegistration(
            ClusterRepository clusters,
            @Value("${console.clusters.in-cluster:auto}") String mode,
            @Value("${console.clusters.in-cluster-name:in-cluster}") String name) {
        this.clusters = clusters;
        this.mode = mode;
        this.name = name;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(0)
    void register() {
        if ("off".equals(mode)) {
            return;
        }
        Optional<String> server = apiServer(System.getenv(), TOKEN);
        if (server.isEmpty()) {
            if ("on".equals(mode)) {
                log.warn("console.clusters.in-cluster=on, but this process does not run in a cluster"
                        + " (no KUBERNETES_SERVICE_HOST or no service account token at {})", TOKEN);
            }
            return;
        }
        boolean added = clusters.insertInCluster(name, server.get());
        log.info("in-cluster cluster={} server={} decision={}", name, server.get(), added ? "registered" : "known");
    }

    /** The API server's URL when the environment and the token say we run in a pod. */
    static Optional<String> apiServer(Map<String, String> env, Path token) {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
        if (host == null || host.isBlank() || !Files.isReadable(token)) {
            return Optional.empty();
        }
        String bracketed = host.contains(":") ? "[" + host + "]" : host; // IPv6 service address
        return Optional.of("https://" + bracketed + ":" + port);
    }
}
