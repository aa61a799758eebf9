package io.eksaccess.console.testsupport;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The run's one API server ({@link KubeApiServer#get}) for a test class that neither stops nor
 * restarts it (those start their own: {@link KubeApiServer#startDedicated}). A cluster has one
 * aws-auth, so a class that needs its own contents replaces it as its console starts: the classes
 * using this server run one after another in the serial lane (never {@link RunsAlongside}), and a
 * class whose console writes aws-auth closes that console after it ({@code @DirtiesContext}). Everything else a class creates carries names of its own, and its
 * assertions name what they look for rather than counting the whole cluster.
 */
public final class SharedApiServer {

    private SharedApiServer() {}

    /** The shared API server with aws-auth replaced by {@code data}. */
    public static KubeApiServer withAwsAuth(Map<String, String> data) {
        KubeApiServer apiServer = KubeApiServer.get();
        replaceAwsAuth(apiServer, data);
        return apiServer;
    }

    /**
     * The shared API server with a class's world applied: a multi-document YAML of namespaces, RBAC and
     * aws-auth. aws-auth is deleted first, so it holds exactly the world's keys (a server-side apply
     * would keep keys another class left). Names in the world are the class's own, or the same
     * objects as another class's (then applying again changes nothing).
     */
    public static KubeApiServer withWorld(String yaml) {
        KubeApiServer apiServer = KubeApiServer.get();
        replaceAwsAuth(apiServer, null);
        apiServer.apply(yaml);
        return apiServer;
    }

    /**
     * Deletes what {@link #withWorld} applied, but namespaces (without a controller manager a deleted
     * namespace stays terminating and could not be made again) and aws-auth (the next class replaces it).
     */
    public static void removeWorld(KubeApiServer apiServer, String yaml) {
        try (KubernetesClient client = apiServer.adminClient()) {
            for (HasMetadata object : client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
                boolean awsAuth = "ConfigMap".equals(object.getKind()) && "aws-auth".equals(object.getMetadata().getName());
                if (!"Namespace".equals(object.getKind()) && !awsAuth) {
                    client.resource(object).delete();
                }
            }
        }
    }

    /**
     * Replaces aws-auth with exactly {@code data} (or deletes it when null): delete and create, so
     * no key another class left (a server-side apply would keep them) survives.
     */
    public static void replaceAwsAuth(KubeApiServer apiServer, Map<String, String> data) {
        try (KubernetesClient client = apiServer.adminClient()) {
            var resource = client.configMaps().inNamespace("kube-system").withName("aws-auth");
            resource.withTimeout(30, TimeUnit.SECONDS).delete();
            if (data != null) {
                client.configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder()
                        .withNewMetadata().withName("aws-auth").withNamespace("kube-system").endMetadata()
                        .withData(data).build()).create();
            }
        }
    }
}
