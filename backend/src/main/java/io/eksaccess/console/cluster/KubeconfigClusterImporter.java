package io.eksaccess.console.cluster;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Registers every context of the configured kubeconfig files as a cluster once the console is up.
 * A missing or unreadable file is logged and skipped: the console runs without clusters.
 */
@Component
class KubeconfigClusterImporter {

    private static final Logger log = LoggerFactory.getLogger(KubeconfigClusterImporter.class);

    private final ClusterRepository clusters;
    private final List<Path> files;

    KubeconfigClusterImporter(ClusterRepository clusters, ClusterProperties properties) {
        this.clusters = clusters;
        this.files = properties.kubeconfig().isEmpty()
                ? defaultKubeconfigFiles()
                : properties.kubeconfig();
    }

    @EventListener(ApplicationReadyEvent.class)
    @org.springframework.core.annotation.Order(0) // before the caches start (ClusterCaches, order 100)
    void importContexts() {
        for (Path file : files) {
            if (!Files.isReadable(file)) {
                log.info("kubeconfig {} not found; no clusters imported from it", file);
                continue;
            }
            try {
                for (KubeContext context : contextsIn(file)) {
                    boolean changed = clusters.upsertFromKubeconfig(
                            context.clusterName(), context.server(), context.name(), file.toAbsolutePath().toString());
                    log.info("kubeconfig context={} cluster={} decision={}", context.name(), context.clusterName(),
                            changed ? "registered-or-updated" : "unchanged");
                }
            } catch (IOException | RuntimeException e) {
                log.warn("kubeconfig {} could not be read ({}); its contexts were not imported", file, withoutContent(e));
            }
        }
    }

    record KubeContext(String name, String clusterName, String server) {}

    /** Where a kubeconfig is broken, without quoting it: the quoted lines may hold tokens. */
    static String withoutContent(Exception e) {
        if (e instanceof org.yaml.snakeyaml.error.MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            return "not valid YAML at line " + (yaml.getProblemMark().getLine() + 1) + ", column "
                    + (yaml.getProblemMark().getColumn() + 1);
        }
        return e instanceof IOException ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** The contexts of one kubeconfig file, with the API server URL of each context's cluster. */
    @SuppressWarnings("unchecked")
    static List<KubeContext> contextsIn(Path file) throws IOException {
        Map<String, Object> config;
        try (Reader reader = Files.newBufferedReader(file)) {
            config = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        }
        if (config == null) {
            return List.of();
        }
        Map<String, String> servers = new java.util.HashMap<>();
        for (Map<String, Object> entry : (List<Map<String, Object>>) config.getOrDefault("clusters", List.of())) {
            Map<String, Object> cluster = (Map<String, Object>) entry.getOrDefault("cluster", Map.of());
            servers.put(String.valueOf(entry.get("name")), (String) cluster.get("server"));
        }
        List<KubeContext> contexts = new ArrayList<>();
        for (Map<String, Object> entry : (List<Map<String, Object>>) config.getOrDefault("contexts", List.of())) {
            String name = String.valueOf(entry.get("name"));
            Map<String, Object> context = (Map<String, Object>) entry.getOrDefault("context", Map.of());
            contexts.add(new KubeContext(name, clusterNameFor(name), servers.get(String.valueOf(context.get("cluster")))));
        }
        return contexts;
    }

    /** A URL-safe name: EKS contexts are often ARNs, whose last segment is the cluster's name. */
    static String clusterNameFor(String contextName) {
        String name = contextName.startsWith("arn:") && contextName.contains("/")
                ? contextName.substring(contextName.lastIndexOf('/') + 1)
                : contextName;
        return name.replaceAll("[^A-Za-z0-9._-]", "-");
    }

    private static List<Path> defaultKubeconfigFiles() {
        String env = System.getenv("KUBECONFIG");
        if (env != null && !env.isBlank()) {
            return java.util.Arrays.stream(env.split(java.io.File.pathSeparator))
                    .filter(part -> !part.isBlank())
                    .map(Path::of)
                    .toList();
        }
        return List.of(Path.of(System.getProperty("user.home"), ".kube", "config"));
    }
}
