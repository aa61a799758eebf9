package io.eksaccess.console.demo;

import io.eksaccess.console.system.LoopbackPorts;
import io.eksaccess.console.system.OwnerOnlyFiles;
import io.eksaccess.console.system.StartupConfigurationException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, local Kubernetes API server (etcd + kube-apiserver from the test binaries that
 * {@code .ci/testbin/build} makes) seeded with sample namespaces, RBAC, service accounts and an
 * {@code aws-auth} with deliberate findings, so a newcomer sees every page with real data.
 * Its directory holds a cluster-admin token, the kubeconfig with it, the service-account signing
 * key and the API server's serving key: it is 0700 and its files 0600 ({@link OwnerOnlyFiles}).
 */
final class DemoCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoCluster.class);
    private static final String PIDS = "pids";

    private static final int PORT_ATTEMPTS = 3;

    private final IntSupplier ports;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private Path kubeconfig;
    private String server;

    DemoCluster() {
        this(LoopbackPorts::next);
    }

    /** With the ports to listen on from {@code ports}: a test gives one that is taken. */
    DemoCluster(IntSupplier ports) {
        this.ports = ports;
    }

    /**
     * Starts etcd and the API server under {@code dir}, seeds them the first time, and returns once
     * ready. The directory is kept across restarts, so the cluster remembers what the console applied
     * to it; the port and token are new on every start.
     */
    Path start(Path binaries, Path dir) {
        Path etcd = binaries.resolve("etcd");
        Path apiServer = binaries.resolve("kube-apiserver");
        if (!Files.isExecutable(etcd) || !Files.isExecutable(apiServer)) {
            throw new StartupConfigurationException(
                    "--demo-cluster needs etcd and kube-apiserver, which are not built yet (looked in " + binaries + ").",
                    "Run .ci/demo (builds just these two, about 6 minutes the first time, then starts the console with"
                            + " the demo cluster), or start without --demo-cluster.",
                    null);
        }
        try {
            OwnerOnlyFiles.directory(dir);
            stopLeftovers(dir);
            OwnerOnlyFiles.restrictTree(dir); // a directory made by an earlier version had 0644 secrets
            OwnerOnlyFiles.directory(dir.resolve("certs"));
            String token = UUID.randomUUID().toString();
            OwnerOnlyFiles.write(dir.resolve("tokens.csv"), token + ",demo-admin,demo-admin,\"system:masters\"\n");
            if (!Files.exists(dir.resolve("sa.key"))) {
                var generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                var keys = generator.generateKeyPair();
                OwnerOnlyFiles.write(dir.resolve("sa.key"), "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    launch(etcd, apiServer, dir, token);
                    seed();
                    break;
                } catch (PortTaken e) {
                    // Checked free, then taken by another process before etcd or the API server bound it.
                    log.warn("Demo cluster start {}: {}; trying other ports", attempt, e.getMessage());
                    close();
                    if (attempt == PORT_ATTEMPTS) {
                        throw new IOException(e.getMessage() + " on " + PORT_ATTEMPTS + " tries (logs in " + dir + ")");
                    }
                }
            }
            // The API server wrote its self-signed serving key and certificate under certs/ meanwhile.
            OwnerOnlyFiles.restrictTree(dir.resolve("certs"));
            return kubeconfig;
        } catch (IOException | NoSuchAlgorithmException e) {
            close();
            throw new StartupConfigurationException("--demo-cluster could not start in " + dir + ": " + e.getMessage(),
                    "Check that console.data-dir is writable, or start without --demo-cluster.", e);
        }
    }

    /** The kubeconfig written by {@link #start}, with this start's port and token. */
    Path kubeconfig() {
        return kubeconfig;
    }

    /** The API server URL of this start. */
    String server() {
        return server;
    }

    /**
     * Stops an etcd or API server that a console killed without its shutdown hook left running on
     * this directory: they would hold the etcd data. Only processes listed in our pid file whose
     * executable is etcd or kube-apiserver are stopped.
     */
    private static void stopLeftovers(Path dir) throws IOException {
        Path pids = dir.resolve(PIDS);
        if (!Files.exists(pids)) {
            return;
        }
        for (String line : Files.readAllLines(pids)) {
            if (line.isBlank()) {
                continue;
            }
            ProcessHandle.of(Long.parseLong(line.strip()))
                    .filter(process -> process.info().command()
                            .map(command -> command.endsWith("/etcd") || command.endsWith("/kube-apiserver"))
                            .orElse(false))
                    .ifPresent(process -> {
                        log.warn("Stopping {} (pid {}) left running by an earlier demo cluster in {}",
                                process.info().command().orElse("?"), process.pid(), dir);
                        process.destroy();
                        try {
                            process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (Exception notYet) {
                            process.destroyForcibly();
                        }
                    });
        }
        Files.delete(pids);
    }

    /** Starts etcd and the API server on new ports and writes this start's pid file and kubeconfig. */
    private void launch(Path etcd, Path apiServer, Path dir, String token) throws IOException {
        int etcdPort = ports.getAsInt();
        int peerPort = ports.getAsInt();
        int port = ports.getAsInt();
        String etcdUrl = "http://127.0.0.1:" + etcdPort;
        launch(dir, "etcd", List.of(etcd.toString(), "--name=demo", "--data-dir=" + dir.resolve("etcd"),
                "--listen-client-urls=" + etcdUrl, "--advertise-client-urls=" + etcdUrl,
                "--listen-peer-urls=http://127.0.0.1:" + peerPort,
                "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPort,
                "--initial-cluster=demo=http://127.0.0.1:" + peerPort));
        launch(dir, "kube-apiserver", List.of(apiServer.toString(), "--etcd-servers=" + etcdUrl,
                "--bind-address=127.0.0.1", "--secure-port=" + port, "--cert-dir=" + dir.resolve("certs"),
                "--authorization-mode=RBAC", "--token-auth-file=" + dir.resolve("tokens.csv"),
                "--service-account-issuer=https://kubernetes.default.svc",
                "--service-account-key-file=" + dir.resolve("sa.key"),
                "--service-account-signing-key-file=" + dir.resolve("sa.key"),
                "--service-cluster-ip-range=10.0.0.0/24", "--disable-admission-plugins=ServiceAccount"));
        OwnerOnlyFiles.write(dir.resolve(PIDS), String.join("\n",
                processes.stream().map(p -> Long.toString(p.pid())).toList()) + "\n");
        server = "https://127.0.0.1:" + port;
        kubeconfig = dir.resolve("kubeconfig");
        OwnerOnlyFiles.write(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: demo, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: demo-admin, user: {token: "%s"}}]
                contexts: [{name: demo, context: {cluster: demo, user: demo-admin}}]
                current-context: demo
                """.formatted(server, token));
    }

    private void seed() throws IOException {
        Config config = Config.fromKubeconfig(kubeconfig.toFile());
        awaitReady(config);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
                InputStream yaml = DemoCluster.class.getResourceAsStream("/demo/demo-cluster.yaml")) {
            // Seeded once: on a restart the cluster keeps what the console has applied since.
            if (client.configMaps().inNamespace("kube-system").withName("aws-auth").get() != null) {
                log.info("Demo cluster is up (seeded on an earlier start); kubeconfig {}", kubeconfig);
                return;
            }
            client.load(yaml).forceConflicts().serverSideApply();
        }
        log.info("Demo cluster is up and seeded; kubeconfig {}", kubeconfig);
    }

    /**
     * Polls until the API server serves kube-system. Without the client's own retries: they back off
     * for up to 100 s inside one call, long after etcd or the API server has exited.
     */
    private void awaitReady(Config config) throws IOException {
        Config once = new ConfigBuilder(config).withRequestRetryBackoffLimit(0).build();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(once).build()) {
            while (true) {
                try {
                    if (client.namespaces().withName("kube-system").get() != null) {
                        return;
                    }
                } catch (RuntimeException notReady) {
                    // the API server is still starting
                }
                PortTaken.check(processes, logs);
                for (int i = 0; i < processes.size(); i++) {
                    if (!processes.get(i).isAlive()) {
                        throw new IOException(logs.get(i).getFileName().toString().replace(".log", "") + " exited with code "
                                + processes.get(i).exitValue() + " as it started (its log: " + logs.get(i) + ")");
                    }
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IOException("the demo API server did not become ready in 90 seconds (logs in "
                            + kubeconfig.getParent() + ")");
                }
                sleep();
            }
        }
    }

    private void launch(Path dir, String name, List<String> command) throws IOException {
        // Logs may echo flags and paths; created 0600 before the process appends to them.
        Path logFile = OwnerOnlyFiles.touch(dir.resolve(name + ".log"));
        logs.add(logFile);
        processes.add(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(logFile.toFile()).start());
    }

    /** Stops the API server, then etcd, waiting for each so that neither outlives the console. */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        logs.clear();
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
