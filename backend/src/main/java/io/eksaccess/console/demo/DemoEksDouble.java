package io.eksaccess.console.demo;

import io.eksaccess.console.system.LoopbackPorts;
import io.eksaccess.console.system.OwnerOnlyFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;

/**
 * The EKS access-entry double beside the demo API server: moto (the AWS API emulator) with the
 * console's extension for accessConfig and the access-entry operations ({@code demo/moto/*.py}, copied
 * from the test resources by the build), run with Python on loopback, and seeded with an EKS cluster
 * {@code demo} in API_AND_CONFIG_MAP mode whose entries give the Access entries tab, who-can's IAM
 * principals and findings EKS-004..006 something to show. moto keeps everything in memory: it is
 * seeded afresh on every start. When it cannot start (no Python, no moto), {@link #problem()} says
 * why and how to fix it, and the demo runs without access entries.
 */
final class DemoEksDouble implements AutoCloseable {

    static final String EKS_CLUSTER = "demo";
    static final Region REGION = Region.EU_WEST_1;
    /** moto's default account, the double's own; the principals below are the demo aws-auth's account. */
    static final String ACCOUNT = "123456789012";
    static final String PRINCIPALS_ACCOUNT = "111122223333";
    static final String BREAK_GLASS = "arn:aws:iam::" + PRINCIPALS_ACCOUNT + ":role/BreakGlass";
    static final String VIEWER = "arn:aws:iam::" + PRINCIPALS_ACCOUNT + ":role/teams/PaymentsViewer";
    static final String PAYMENTS_DEVELOPERS = "arn:aws:iam::" + PRINCIPALS_ACCOUNT + ":role/PaymentsDevelopers";
    static final String POLICY = "arn:aws:eks::aws:cluster-access-policy/";

    private static final Logger log = LoggerFactory.getLogger(DemoEksDouble.class);
    private static final List<String> SCRIPTS = List.of("moto_server.py", "eks_access_entries.py");
    static final String INSTALL = "python3 -m pip install 'moto[server]==5.2.5'";

    private final Process process;
    private final URI endpoint;
    private final String problem;

    private DemoEksDouble(Process process, URI endpoint, String problem) {
        this.process = process;
        this.endpoint = endpoint;
        this.problem = problem;
    }

    /** Starts and seeds the double in {@code dir}; never throws: a failure is {@link #problem()}. */
    static DemoEksDouble start(String python, Path dir) {
        Process process = null;
        try {
            OwnerOnlyFiles.directory(dir);
            for (String script : SCRIPTS) {
                try (InputStream in = DemoEksDouble.class.getResourceAsStream("/demo/moto/" + script)) {
                    if (in == null) {
                        return failed("demo/moto/" + script + " is missing from the console jar; rebuild it with mvn package.");
                    }
                    Files.copy(in, dir.resolve(script), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            int port = LoopbackPorts.next();
            Path logFile = OwnerOnlyFiles.touch(dir.resolve("eks-double.log"));
            process = new ProcessBuilder(python, dir.resolve(SCRIPTS.get(0)).toString(), "-H", "127.0.0.1", "-p",
                    Integer.toString(port)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(logFile.toFile()).start();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            awaitUp(process, endpoint, logFile);
            seed(endpoint);
            log.info("Demo EKS access-entry double is up on {} (cluster {}, {})", endpoint, EKS_CLUSTER, REGION);
            return new DemoEksDouble(process, endpoint, null);
        } catch (IOException | RuntimeException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return failed(why.length() > 300 ? why.substring(0, 300) + "…" : why);
        }
    }

    /** A double that was not started on purpose, with the reason. */
    static DemoEksDouble notStarted(String why) {
        log.warn("The demo's EKS access-entry double was not started: {}", why);
        return new DemoEksDouble(null, null, why);
    }

    private static DemoEksDouble failed(String why) {
        log.warn("The demo's EKS access-entry double did not start, so the demo runs without access entries: {}."
                + " Install Python 3 and moto ({}), or run .ci/demo, which does.", why, INSTALL);
        return new DemoEksDouble(null, null, why);
    }

    private static void awaitUp(Process process, URI endpoint, Path logFile) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("Python exited with status " + process.exitValue() + ": " + lastLine(logFile));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
                connection.setConnectTimeout(1000);
                connection.setReadTimeout(2000);
                if (connection.getResponseCode() < 500) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("moto did not answer within a minute (log: " + logFile + ")");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for moto");
            }
        }
    }

    /** The last non-blank line of the double's log (Python's error, e.g. "No module named 'moto'"). */
    private static String lastLine(Path logFile) throws IOException {
        List<String> lines = Files.readAllLines(logFile).stream().filter(line -> !line.isBlank()).toList();
        return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1).strip();
    }

    /**
     * A break-glass admin (cluster admin policy: EKS-004, and, as the earliest admin entry of a cluster
     * created with bootstrapClusterCreatorAdminPermissions, EKS-006), a viewer scoped to two namespaces,
     * and an entry for a role aws-auth maps too, which the entry overrides (EKS-005).
     */
    private static void seed(URI endpoint) {
        try (EksClient eks = EksClient.builder().endpointOverride(endpoint).region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("demo", "demo"))).build()) {
            eks.createCluster(c -> c.name(EKS_CLUSTER).roleArn("arn:aws:iam::" + ACCOUNT + ":role/eks-cluster")
                    .resourcesVpcConfig(vpc -> vpc.subnetIds("subnet-demo"))
                    .accessConfig(access -> access.authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)
                            .bootstrapClusterCreatorAdminPermissions(true)));
            eks.createAccessEntry(e -> e.clusterName(EKS_CLUSTER).principalArn(BREAK_GLASS).username("breakglass"));
            eks.associateAccessPolicy(a -> a.clusterName(EKS_CLUSTER).principalArn(BREAK_GLASS)
                    .policyArn(POLICY + "AmazonEKSClusterAdminPolicy").accessScope(s -> s.type("cluster")));
            eks.createAccessEntry(e -> e.clusterName(EKS_CLUSTER).principalArn(VIEWER));
            eks.associateAccessPolicy(a -> a.clusterName(EKS_CLUSTER).principalArn(VIEWER)
                    .policyArn(POLICY + "AmazonEKSViewPolicy")
                    .accessScope(s -> s.type("namespace").namespaces("payments", "checkout")));
            eks.createAccessEntry(e -> e.clusterName(EKS_CLUSTER).principalArn(PAYMENTS_DEVELOPERS)
                    .username("payments:{{SessionName}}").kubernetesGroups("payments-devs", "payments-deployers"));
        }
    }

    /** The double's URL, or null when it did not start. */
    URI endpoint() {
        return endpoint;
    }

    /** Why the double did not start (null when it runs). */
    String problem() {
        return problem;
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
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

}
