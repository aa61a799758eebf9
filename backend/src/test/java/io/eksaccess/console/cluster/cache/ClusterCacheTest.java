package io.eksaccess.console.cluster.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The cached view against a real API server: list once, then watch; stale while it is gone. */
class ClusterCacheTest {

    @Test
    void reflectsARoleBindingCreatedAfterStartThroughTheWatch() {
        KubeApiServer apiServer = KubeApiServer.get();
        String namespace = "cache-" + System.nanoTime();
        try (ClusterCache cache = ClusterCache.start("shared", apiServer.adminClient(), Clock.systemUTC())) {
            ClusterStatus live = Eventually.await("LIVE", Duration.ofSeconds(30), cache::status,
                    status -> status.state() == SyncState.LIVE);
            assertThat(live.count(CachedKind.CLUSTER_ROLES)).as("bootstrap ClusterRoles").isGreaterThan(10);
            assertThat(live.count(CachedKind.NAMESPACES)).isGreaterThanOrEqualTo(4);

            apiServer.apply("""
                    apiVersion: v1
                    kind: Namespace
                    metadata: {name: %1$s}
                    ---
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: RoleBinding
                    metadata: {name: late-binding, namespace: %1$s}
                    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
                    subjects:
                    - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: late-joiners}
                    """.formatted(namespace));

            RoleBinding seen = Eventually.await("the new RoleBinding in the cache", Duration.ofSeconds(10),
                    () -> cache.snapshot().roleBindings().stream()
                            .filter(binding -> binding.getMetadata().getNamespace().equals(namespace))
                            .findFirst()
                            .orElse(null),
                    binding -> binding != null);
            assertThat(seen.getSubjects().get(0).getName()).isEqualTo("late-joiners");
        }
    }

    @Test
    void turnsStaleWithAReasonWhenTheApiServerStopsAndRecoversWhenItReturns() {
        KubeApiServer apiServer = KubeApiServer.startDedicated();
        try (ClusterCache cache = ClusterCache.start("flaky", apiServer.adminClient(), Clock.systemUTC())) {
            apiServer.apply("""
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: aws-auth, namespace: kube-system}
                    data:
                      mapRoles: |
                        - rolearn: arn:aws:iam::111122223333:role/admins
                          username: admin:{{SessionName}}
                          groups: [system:masters]
                    """);
            Eventually.await("LIVE with aws-auth", Duration.ofSeconds(30), cache::snapshot,
                    snapshot -> snapshot.status().state() == SyncState.LIVE && snapshot.awsAuth().isPresent());

            apiServer.stopApiServer();
            ClusterStatus stale = Eventually.await("STALE with the cause", Duration.ofSeconds(60), () -> {
                cache.checkConnection(); // what the scheduler does every few seconds
                return cache.status();
            }, status -> status.state() == SyncState.STALE && status.reason().startsWith("Nothing answers"));
            assertThat(stale.lastSyncedAt()).isNotNull();
            assertThat(stale.reason()).contains("connection refused");
            assertThat(cache.snapshot().awsAuth()).as("last known data is still shown").isPresent();

            apiServer.restartApiServer();
            ClusterStatus recovered = Eventually.await("LIVE again", Duration.ofSeconds(90), cache::status,
                    status -> status.state() == SyncState.LIVE);
            assertThat(recovered.reason()).isNull();
            assertThat(recovered.age()).isZero();
            cache.checkConnection();
            assertThat(cache.status().serverVersion()).startsWith("v1.34.");
        } finally {
            apiServer.close();
        }
    }
}
