package io.eksaccess.console.demo;

import io.eksaccess.console.cluster.ClusterRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Points the registered cluster {@code demo} at this start's demo API server (and at its EKS double:
 * {@link #describeEks}). The kubeconfig import only updates a context it already knows by file, so a
 * {@code demo} row left by an earlier start
 * (another file, port or token) would otherwise keep pointing at an API server that is gone. Runs
 * once every bean exists (the database is migrated), before the scheduled cache reconcile can start
 * and before the kubeconfig import and the caches (application ready).
 */
@Component
class DemoRegistration implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(DemoRegistration.class);

    private final ObjectProvider<DemoCluster> demo;
    private final ObjectProvider<DemoEksDouble> eks;
    private final ClusterRepository clusters;
    private final JdbcClient jdbc;

    DemoRegistration(ObjectProvider<DemoCluster> demo, ObjectProvider<DemoEksDouble> eks, ClusterRepository clusters,
            JdbcClient jdbc) {
        this.demo = demo;
        this.eks = eks;
        this.clusters = clusters;
        this.jdbc = jdbc;
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

    /**
     * After the kubeconfig import (order 0) registered {@code demo}, and before the caches start
     * (order 100): describe it as the EKS cluster of the access-entry double, in API_AND_CONFIG_MAP
     * mode, or, when the double did not start, as no EKS cluster at all (the Access entries tab then
     * says why). The double is seeded afresh on every start, so the drift baseline of the entries
     * starts over too (it would otherwise report every entry as deleted and created again).
     */
    @EventListener(ApplicationReadyEvent.class)
    @Order(10)
    void describeEks() {
        DemoEksDouble double_ = eks.getIfAvailable();
        if (demo.getIfAvailable() == null || double_ == null) {
            return;
        }
        boolean running = double_.endpoint() != null;
        boolean found = running
                ? clusters.describeAsEks(DemoClusterStarter.CLUSTER_NAME, DemoEksDouble.ACCOUNT,
                        DemoEksDouble.REGION.id(), DemoEksDouble.EKS_CLUSTER, "API_AND_CONFIG_MAP", true)
                : clusters.describeAsEks(DemoClusterStarter.CLUSTER_NAME, null, null, null, null, null);
        jdbc.sql("DELETE FROM access_entry_baselines WHERE cluster = :cluster")
                .param("cluster", DemoClusterStarter.CLUSTER_NAME).update();
        log.info("cluster={} eks-double={} decision={}", DemoClusterStarter.CLUSTER_NAME,
                running ? double_.endpoint() : "not running", found ? "described" : "not-registered");
    }
}
