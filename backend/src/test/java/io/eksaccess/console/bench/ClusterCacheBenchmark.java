package io.eksaccess.console.bench;

import io.eksaccess.console.cluster.cache.CachedKind;
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterStatus;
import io.eksaccess.console.cluster.cache.SyncState;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Not a test (surefire's default includes leave it out; it asserts no timing): loads a synthetic
 * cluster of 20,000 RBAC objects into a dedicated real API server, then prints how long the cached
 * view takes to its first full sync and how much heap it holds. Run:
 * {@code mvn -B -q test -pl backend -am -Dtest=ClusterCacheBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * and read target/surefire-reports/io.eksaccess.console.bench.ClusterCacheBenchmark-output.txt.
 */
class ClusterCacheBenchmark {

    static final int NAMESPACES = 200;
    static final int ROLES_PER_NAMESPACE = 40;
    static final int BINDINGS_PER_NAMESPACE = 50;
    static final int CLUSTER_ROLES = 2_000;
    // 200 × (40 + 50) + 2,000 = 20,000 RBAC objects (plus the bootstrap policy)

    @Test
    void firstFullSyncOfTwentyThousandRbacObjects() throws Exception {
        KubeApiServer apiServer = KubeApiServer.startDedicated();
        try (KubernetesClient admin = apiServer.adminClient()) {
            Instant loadStart = Instant.now();
            int created = load(admin);
            System.out.printf("loaded %,d RBAC objects in %s%n", created, Duration.between(loadStart, Instant.now()));

            long heapBefore = usedHeapAfterGc();
            Instant start = Instant.now();
            try (ClusterCache cache = ClusterCache.start("bench", apiServer.adminClient(), Clock.systemUTC())) {
                ClusterStatus status = cache.status();
                while (status.state() != SyncState.LIVE) {
                    Thread.sleep(20);
                    status = cache.status();
                }
                Duration firstSync = Duration.between(start, Instant.now());
                long heapAfter = usedHeapAfterGc();
                int rbac = status.count(CachedKind.ROLES) + status.count(CachedKind.CLUSTER_ROLES)
                        + status.count(CachedKind.ROLE_BINDINGS) + status.count(CachedKind.CLUSTER_ROLE_BINDINGS);
                System.out.printf("first full sync of %,d cached RBAC objects (%s): %d ms%n", rbac, status.counts(),
                        firstSync.toMillis());
                System.out.printf("heap held by the cached view: %.1f MiB (%.0f bytes per object)%n",
                        (heapAfter - heapBefore) / 1048576.0, (heapAfter - heapBefore) / (double) rbac);
            }
        } finally {
            apiServer.close();
        }
    }

    /** Creates the 20,000 RBAC objects (and their namespaces) through the client; returns how many. */
    static int load(KubernetesClient admin) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger created = new AtomicInteger();
        List<Future<?>> work = new ArrayList<>();
        for (int n = 0; n < NAMESPACES; n++) {
            String ns = "bench-" + n;
            work.add(pool.submit(() -> {
                admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
                for (int r = 0; r < ROLES_PER_NAMESPACE; r++) {
                    admin.rbac().roles().inNamespace(ns).resource(new RoleBuilder()
                            .withNewMetadata().withName("role-" + r).endMetadata()
                            .addNewRule().withApiGroups("").withResources("configmaps", "pods")
                            .withVerbs("get", "list", "watch").endRule()
                            .build()).create();
                    created.incrementAndGet();
                }
                for (int b = 0; b < BINDINGS_PER_NAMESPACE; b++) {
                    admin.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder()
                            .withNewMetadata().withName("binding-" + b).endMetadata()
                            .withNewRoleRef("rbac.authorization.k8s.io", "Role", "role-" + (b % ROLES_PER_NAMESPACE))
                            .addNewSubject().withKind("User").withName("user-" + b).withApiGroup("rbac.authorization.k8s.io").endSubject()
                            .build()).create();
                    created.incrementAndGet();
                }
                return null;
            }));
        }
        for (int c = 0; c < CLUSTER_ROLES; c++) {
            int index = c;
            work.add(pool.submit(() -> {
                admin.rbac().clusterRoles().resource(new ClusterRoleBuilder()
                        .withNewMetadata().withName("bench-clusterrole-" + index).endMetadata()
                        .addNewRule().withApiGroups("apps").withResources("deployments").withVerbs("get").endRule()
                        .build()).create();
                created.incrementAndGet();
                return null;
            }));
        }
        for (Future<?> future : work) {
            future.get();
        }
        pool.shutdown();
        return created.get();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
