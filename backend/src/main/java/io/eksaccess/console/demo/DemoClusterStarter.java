package io.eksaccess.console.demo;

import java.nio.file.Path;
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
        environment.getPropertySources().addFirst(new MapPropertySource("demo-cluster",
                Map.of("console.clusters.kubeconfig", kubeconfig.toString())));
        application.addInitializers((ConfigurableApplicationContext context) -> {
            var beans = (DefaultListableBeanFactory) context.getBeanFactory();
            beans.registerSingleton("demoCluster", cluster);
            // Registered before every other bean, so destroyed after them (the caches stop first).
            beans.registerDisposableBean("demoCluster", cluster::close);
        });
    }

    private static String defaultBinaries() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        String override = System.getenv("EKS_CONSOLE_TESTBIN");
        return (override != null && !override.isBlank() ? Path.of(override) : cache.resolve("eks-access-console").resolve("testbin"))
                .resolve("bin").toString();
    }
}
