package io.eksaccess.console.testsupport;

import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A real etcd and kube-apiserver (RBAC authorization on), started once per test run from the
 * binaries {@code .ci/testbin/build} makes, and stopped when the JVM exits.
 *
 * <p>Credentials come from a static token file: {@link #ADMIN} is in {@code system:masters};
 * {@link #ALICE} and {@link #BOB} are ordinary users with no rights until a test binds some.
 * Any other user or group is reached by impersonation ({@link #clientAs}).
 */
public final class KubeApiServer {

    public record User(String name, String token, List<String> groups) {}

    public static final User ADMIN = new User("test-admin", token(), List.of("system:masters"));
    public static final User ALICE = new User("alice", token(), List.of("developers"));
    public static final User BOB = new User("bob", token(), List.of("operators"));

    private static final StartedOnce SHARED = new StartedOnce();
    private static final StartedOnce ALONGSIDE = new StartedOnce();

    /**
     * The {@code @ResourceLock} of {@link #alongside}: its users replace aws-auth and built-in roles,
     * so they never run at the same time as each other.
     */
    public static final String ALONGSIDE_LOCK = "kube-apiserver-alongside";

    private final String url;
    private final Path kubeconfig;
    private final TestProcess etcd;
    private final List<String> apiServerCommand;
    private final Path dir;
    private TestProcess apiServer;
    private KubernetesClient reviewClient;

    private KubeApiServer(String url, Path kubeconfig, TestProcess etcd, TestProcess apiServer,
            List<String> apiServerCommand, Path dir) {
        this.url = url;
        this.kubeconfig = kubeconfig;
        this.etcd = etcd;
        this.apiServer = apiServer;
        this.apiServerCommand = apiServerCommand;
        this.dir = dir;
    }

    /**
     * An API server of the caller's own (with its own etcd), for tests that stop and restart it.
     * The caller closes it.
     */
    public static KubeApiServer startDedicated() {
        return start();
    }

    /** Stops the API server process (etcd keeps running, so the data survives). */
    public synchronized void stopApiServer() {
        apiServer.close();
    }

    /** Starts the API server again on the same port and waits until it is ready. */
    public synchronized void restartApiServer() {
        apiServer = TestProcess.start("kube-apiserver", apiServerCommand, dir);
        apiServer.awaitHttp(url + "/readyz", status -> status == 200, Duration.ofSeconds(120));
    }

    /** Stops a dedicated API server and its etcd. */
    public synchronized void close() {
        if (reviewClient != null) {
            reviewClient.close();
        }
        apiServer.close();
        etcd.close();
    }

    /** The shared API server; if it failed to start, every later caller gets the same failure at once. */
    public static KubeApiServer get() {
        return SHARED.get();
    }

    /**
     * The API server of the classes that run alongside the serial lane ({@link RunsAlongside}): a
     * second shared one, because the first ({@link #get}) is reset class by class in the serial lane
     * while these classes run. Its users hold {@code @ResourceLock(ALONGSIDE_LOCK)}.
     */
    public static KubeApiServer alongside() {
        return ALONGSIDE.get();
    }

    /** One API server started on first use and kept for the run, or the failure of its start for every caller. */
    private static final class StartedOnce {
        private KubeApiServer server;
        private RuntimeException failure;

        synchronized KubeApiServer get() {
            if (failure != null) {
                throw failure;
            }
            if (server == null) {
                try {
                    server = start();
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
            }
            return server;
        }
    }

    /** https://127.0.0.1:PORT; its serving certificate is self-signed. */
    public String url() {
        return url;
    }

    /** A kubeconfig file with one context, {@code test-apiserver}, for the admin user. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /**
     * A fresh kubeconfig file whose one context, named as the console should register the cluster,
     * reaches this API server as its admin.
     */
    public Path kubeconfigFor(String context) {
        return Kubeconfig.write(context(context));
    }

    /** A kubeconfig context of this name for this server as the admin (see {@link Kubeconfig#write}). */
    public Kubeconfig.Context context(String name) {
        return context(name, ADMIN);
    }

    /** A kubeconfig context of this name for this server as that user. */
    public Kubeconfig.Context context(String name, User user) {
        return new Kubeconfig.Context(name, url, user.token());
    }

    public KubernetesClient adminClient() {
        return clientFor(ADMIN.token());
    }

    public KubernetesClient clientFor(User user) {
        return clientFor(user.token());
    }

    /** The admin's client impersonating any user and groups (the API server checks RBAC as them). */
    public KubernetesClient clientAs(String user, String... groups) {
        Config config = baseConfig(ADMIN.token()).build();
        config.setImpersonateUsername(user);
        config.setImpersonateGroups(groups);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** Creates or updates every object of a (multi-document) YAML with server-side apply. */
    public void apply(String yaml) {
        try (KubernetesClient client = adminClient()) {
            client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                    .forceConflicts()
                    .serverSideApply();
        }
    }

    /** Asks the API server's own authorizer whether the user (with groups) may do it. */
    public SubjectAccessReviewStatus subjectAccessReview(
            String user, List<String> groups, String verb, String group, String resource, String namespace) {
        SubjectAccessReview review = new SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser(user)
                .withGroups(groups)
                .withNewResourceAttributes()
                .withVerb(verb)
                .withGroup(group)
                .withResource(resource)
                .withNamespace(namespace)
                .endResourceAttributes()
                .endSpec()
                .build();
        try (KubernetesClient client = adminClient()) {
            return client.authorization().v1().subjectAccessReview().create(review).getStatus();
        }
    }

    /**
     * A SubjectAccessReview with any resource attributes (subresource, name, …), on one shared
     * admin client so that many reviews (and threads) do not each build a client.
     */
    public SubjectAccessReviewStatus subjectAccessReview(String user, List<String> groups, ResourceAttributes attributes) {
        return review(new SubjectAccessReviewBuilder().withNewSpec().withUser(user).withGroups(groups)
                .withResourceAttributes(attributes).endSpec().build());
    }

    /** A SubjectAccessReview for a non-resource URL (never namespaced). */
    public SubjectAccessReviewStatus subjectAccessReview(String user, List<String> groups,
            NonResourceAttributes attributes) {
        return review(new SubjectAccessReviewBuilder().withNewSpec().withUser(user).withGroups(groups)
                .withNonResourceAttributes(attributes).endSpec().build());
    }

    private SubjectAccessReviewStatus review(SubjectAccessReview review) {
        KubernetesClient client;
        synchronized (this) {
            if (reviewClient == null) {
                reviewClient = adminClient();
            }
            client = reviewClient;
        }
        return client.authorization().v1().subjectAccessReview().create(review).getStatus();
    }

    private KubernetesClient clientFor(String token) {
        return new KubernetesClientBuilder().withConfig(baseConfig(token).build()).build();
    }

    private ConfigBuilder baseConfig(String token) {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url)
                .withTrustCerts(true)
                .withOauthToken(token)
                .withRequestTimeout(30_000)
                .withConnectionTimeout(10_000);
    }

    private static KubeApiServer start() {
        Path etcdBinary = TestInfra.binary("etcd");
        Path apiServerBinary = TestInfra.binary("kube-apiserver");
        Path dir = TestInfra.freshDir("kube-");
        Instant began = Instant.now();

        int etcdClient = FreePorts.next();
        int etcdPeer = FreePorts.next();
        String etcdUrl = "http://127.0.0.1:" + etcdClient;
        TestProcess etcd = TestProcess.start("etcd", List.of(
                etcdBinary.toString(),
                "--name=test",
                "--data-dir=" + dir.resolve("etcd"),
                "--listen-client-urls=" + etcdUrl,
                "--advertise-client-urls=" + etcdUrl,
                "--listen-peer-urls=http://127.0.0.1:" + etcdPeer,
                "--initial-advertise-peer-urls=http://127.0.0.1:" + etcdPeer,
                "--initial-cluster=test=http://127.0.0.1:" + etcdPeer,
                "--unsafe-no-fsync=true"), dir);
        try {
            etcd.awaitHttp(etcdUrl + "/health", status -> status == 200, Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            etcd.close();
            throw e;
        }

        int port = FreePorts.next();
        String url = "https://127.0.0.1:" + port;
        writeCredentials(dir);
        List<String> apiServerCommand = List.of(
                apiServerBinary.toString(),
                "--etcd-servers=" + etcdUrl,
                "--bind-address=127.0.0.1",
                "--secure-port=" + port,
                "--cert-dir=" + dir.resolve("certs"),
                "--authorization-mode=RBAC",
                "--token-auth-file=" + dir.resolve("tokens.csv"),
                "--service-account-issuer=https://kubernetes.default.svc",
                "--service-account-key-file=" + dir.resolve("sa.pub"),
                "--service-account-signing-key-file=" + dir.resolve("sa.key"),
                "--service-cluster-ip-range=10.0.0.0/24",
                "--disable-admission-plugins=ServiceAccount",
                "--allow-privileged=true");
        TestProcess apiServer = TestProcess.start("kube-apiserver", apiServerCommand, dir);
        try {
            apiServer.awaitHttp(url + "/readyz", status -> status == 200, Duration.ofSeconds(120));
        } catch (RuntimeException e) {
            apiServer.close();
            etcd.close();
            throw e;
        }

        Path kubeconfig = dir.resolve("kubeconfig");
        Kubeconfig.write(kubeconfig, "test-apiserver",
                List.of(new Kubeconfig.Context("test-apiserver", url, ADMIN.token())));
        KubeApiServer server = new KubeApiServer(url, kubeconfig, etcd, apiServer, apiServerCommand, dir);
        server.awaitNamespace("kube-system");
        server.awaitNamespace("default");
        System.out.printf("test kube-apiserver ready at %s in %d ms%n", url, Duration.between(began, Instant.now()).toMillis());
        return server;
    }

    private void awaitNamespace(String name) {
        Instant deadline = Instant.now().plusSeconds(30);
        try (KubernetesClient client = adminClient()) {
            while (client.namespaces().withName(name).get() == null) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("namespace " + name + " never appeared in the test API server");
                }
                TestProcess.sleep(100);
            }
        }
    }

    private static void writeCredentials(Path dir) {
        StringBuilder tokens = new StringBuilder();
        for (User user : List.of(ADMIN, ALICE, BOB)) {
            tokens.append(user.token()).append(',').append(user.name()).append(',').append(user.name())
                    .append(",\"").append(String.join(",", user.groups())).append("\"\n");
        }
        try {
            Files.writeString(dir.resolve("tokens.csv"), tokens);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            Files.writeString(dir.resolve("sa.key"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            Files.writeString(dir.resolve("sa.pub"), pem("PUBLIC KEY", keys.getPublic().getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String token() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
