package io.eksaccess.console.demo;

import io.eksaccess.console.cluster.ClusterRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Points the registered cluster {@code demo} at this start's demo API server. The kubeconfig import
 * only updates a context it already knows by file, so a {@code demo} row left by an earlier start
 * (another file, port or token) would otherwise keep pointing at an API server that is gone. Runs
 * once every bean exists (the database is migrated), before the scheduled cache reconcile can start
 * and before the kubeconfig import and the caches (application ready).
 */
@Component
class DemoRegistration implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(DemoRegistration.class);

    private final ObjectProvider<DemoCluster> demo;
    private final ClusterRepository clusters;

    DemoRegistration(ObjectProvider<DemoCluster> demo, ClusterRepository clusters) {
        this.demo = demo;
        this.clusters = clusters;
    }

    @Override
    public void afterSingletonsInstantiated() {
        DemoCluster cluster = demo.getIfAvailable();
        if (cluster == null) {
            return;
        }
        boolean changed = clusters.repointKubeconfig(DemoClusterStarter.CLUSTER_NAME, cluster.server(),
                DemoClusterStarter.CLUSTER_NAME, cluster.kubeconfig().toAbsolutePath().toString());
        log.info("cluster={} server={} decision={}", DemoClusterStarter.CLUSTER_NAME, cluster.server(),
                changed ? "repointed (registered by an earlier start)" : "not-registered-yet-or-current");
    }
}
