package io.eksaccess.console.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code --demo-cluster} (or {@code console.demo-cluster=true}): before the console starts, start
 * the demo cluster in {@code <console.data-dir>/demo-cluster} and point
 * {@code console.clusters.kubeconfig} at it, so it is registered as cluster {@code demo} like any
 * kubeconfig context; {@link DemoRegistration} re-points {@code demo} at this start's API server.
 * Beside it, the EKS access-entry double ({@link DemoEksDouble}), which the console's EKS endpoint
 * points at, so {@code demo} also shows access entries.
 * Stopped with the application context, or when the JVM exits.
 */
public class DemoClusterStarter implements EnvironmentPostProcessor {

    static final String CLUSTER_NAME = "demo";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String flag = environment.getProperty("demo-cluster", environment.getProperty("console.demo-cluster", "false"));
        if (!(flag.isEmpty() || flag.equals("true"))) {
            return;
        }
        Path dataDir = Path.of(environment.getProperty("console.data-dir", "./data")).toAbsolutePath().normalize();
        String binaries = environment.getProperty("console.demo-cluster-binaries", defaultBinaries());
        DemoCluster cluster = new DemoCluster();
        Path kubeconfig = cluster.start(Path.of(binaries), dataDir.resolve("demo-cluster"));
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "stop-demo-cluster"));
        Map<String, Object> properties = new HashMap<>(Map.of("console.clusters.kubeconfig", kubeconfig.toString()));
        DemoEksDouble eks = startEksDouble(environment, dataDir, properties);
        Runtime.getRuntime().addShutdownHook(new Thread(eks::close, "stop-demo-eks-double"));
        environment.getPropertySources().addFirst(new MapPropertySource("demo-cluster", properties));
        application.addInitializers((ConfigurableApplicationContext context) -> {
            var beans = (DefaultListableBeanFactory) context.getBeanFactory();
            beans.registerSingleton("demoCluster", cluster);
            // Registered before every other bean, so destroyed after them (the caches stop first).
            beans.registerDisposableBean("demoCluster", cluster::close);
            beans.registerSingleton("demoEksDouble", eks);
            beans.registerDisposableBean("demoEksDouble", eks::close);
        });
    }

    /**
     * The EKS access-entry double, and the console pointed at it: the EKS endpoint (unless one is
     * configured already; then the double is not started, as the console would not read it) and, when
     * the SDK's default chain has no credentials at all, dummy ones the double accepts.
     */
    private static DemoEksDouble startEksDouble(ConfigurableEnvironment environment, Path dataDir,
            Map<String, Object> properties) {
        String configured = environment.getProperty("console.clusters.eks.endpoint-override");
        if (configured != null && !configured.isBlank()) {
            return DemoEksDouble.notStarted("console.clusters.eks.endpoint-override is set (" + configured
                    + "), so the console would not read the demo's double; unset it to see the demo's access entries");
        }
        String python = environment.getProperty("console.demo-cluster-python",
                System.getenv().getOrDefault("EKS_CONSOLE_PYTHON", "python3"));
        DemoEksDouble eks = DemoEksDouble.start(python, dataDir.resolve("demo-cluster").resolve("eks-double"));
        if (eks.endpoint() != null) {
            properties.put("console.clusters.eks.endpoint-override", eks.endpoint().toString());
            if (!hasAwsCredentials()) {
                // The double accepts any credentials; these only sign requests to it on loopback.
                System.setProperty("aws.accessKeyId", "demo");
                System.setProperty("aws.secretAccessKey", "demo");
            }
        }
        return eks;
    }

    /** Whether the SDK's default chain would find credentials without asking the network (env, properties, files). */
    private static boolean hasAwsCredentials() {
        for (String variable : List.of("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return true;
            }
        }
        Path aws = Path.of(System.getProperty("user.home"), ".aws");
        return System.getProperty("aws.accessKeyId") != null || Files.exists(aws.resolve("credentials"))
                || Files.exists(aws.resolve("config"));
    }

    private static String defaultBinaries() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        String override = System.getenv("EKS_CONSOLE_TESTBIN");
        return (override != null && !override.isBlank() ? Path.of(override) : cache.resolve("eks-access-console").resolve("testbin"))
                .resolve("bin").toString();
    }
}
