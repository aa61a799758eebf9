package io.eksaccess.console.accessentry;

import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.AccessEntriesCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.EksAccessEntries;
import io.eksaccess.console.system.ConsoleException;
import java.util.List;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/** {@code GET /api/v1/clusters/{cluster}/access-entries}: the cached access entries as the CLI's file. */
@RestController
class AccessEntriesApiController {

    private final ClusterRepository clusters;
    private final ClusterCaches caches;

    AccessEntriesApiController(ClusterRepository clusters, ClusterCaches caches) {
        this.clusters = clusters;
        this.caches = caches;
    }

    /**
     * The access-entries file of the CLI ({@code --access-entries}); the cache's state is in the
     * {@code X-Cache-State} and {@code X-Cache-Age-Seconds} headers so the body stays the file.
     */
    @GetMapping("/api/v1/clusters/{cluster}/access-entries")
    ResponseEntity<ObjectNode> accessEntriesFile(@PathVariable String cluster) {
        Cluster found = clusters.findByName(cluster).orElseThrow(() -> ConsoleException.notFound("error.api.no-cluster", cluster));
        if ("CONFIG_MAP".equals(found.eksAuthenticationMode())) {
            ObjectNode file = new SyncedAccessEntries(new ClusterAccessEntries(found.eksClusterName(),
                    AuthenticationMode.CONFIG_MAP, List.of()), new EksAccessEntries(List.of(), List.of(), null, 0, null),
                    null).toFile();
            return ResponseEntity.ok(file);
        }
        if (!ClusterCaches.readsAccessEntries(found)) {
            throw ConsoleException.notFound("error.api.access-entries-not-eks", cluster);
        }
        Optional<AccessEntriesCache> cache = caches.accessEntries(cluster);
        SyncedAccessEntries synced = AccessEntriesController.synced(found, cache).orElseThrow(() -> ConsoleException.unavailable(
                "error.api.access-entries-unread", cluster));
        return ResponseEntity.ok()
                .header("X-Cache-State", synced.status().state().name())
                .header("X-Cache-Age-Seconds", String.valueOf(synced.status().age().toSeconds()))
                .body(synced.toFile());
    }

}
