package io.eksaccess.console.cluster;

import io.eksaccess.console.cluster.cache.CachedKind;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.ClusterStatus;
import io.eksaccess.console.cluster.cache.SyncState;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/** The cluster list and each cluster's overview; both read only the registry and the caches. */
@Controller
class ClustersController {

    static final String LIST_VIEW = "cluster/clusters";
    static final String ROWS_FRAGMENT = "cluster/clusters :: rows";
    static final String OVERVIEW_VIEW = "cluster/overview";

    /** A row of the list: the registration and how current its view is. */
    record ClusterRow(Cluster cluster, ClusterStatus status) {}

    private final ClusterRepository clusters;
    private final ClusterCaches caches;

    ClustersController(ClusterRepository clusters, ClusterCaches caches) {
        this.clusters = clusters;
        this.caches = caches;
    }

    @GetMapping("/clusters")
    String showClusters(
            @RequestParam(name = "q", defaultValue = "") String query,
            @RequestParam(name = "state", required = false) SyncState state,
            @RequestHeader(name = "HX-Request", required = false) String htmx,
            Model model) {
        String needle = query.trim().toLowerCase(Locale.ROOT);
        List<ClusterRow> rows = clusters.findAll().stream()
                .map(cluster -> new ClusterRow(cluster, caches.statusOf(cluster)))
                .filter(row -> needle.isEmpty() || matches(row.cluster(), needle))
                .filter(row -> state == null || row.status().state() == state)
                .sorted(Comparator.comparing(row -> row.cluster().name()))
                .toList();
        model.addAttribute("rows", rows);
        model.addAttribute("total", clusters.count());
        model.addAttribute("q", query);
        model.addAttribute("state", state);
        model.addAttribute("states", SyncState.values());
        return htmx != null ? ROWS_FRAGMENT : LIST_VIEW;
    }

    @GetMapping("/clusters/{name}")
    String showOverview(@PathVariable String name, Model model) {
        Cluster cluster = clusters.findByName(name)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No cluster " + name));
        model.addAttribute("cluster", cluster);
        model.addAttribute("status", caches.statusOf(cluster));
        model.addAttribute("kinds", CachedKind.values());
        return OVERVIEW_VIEW;
    }

    private static boolean matches(Cluster cluster, String needle) {
        return cluster.name().toLowerCase(Locale.ROOT).contains(needle)
                || (cluster.apiServerUrl() != null && cluster.apiServerUrl().toLowerCase(Locale.ROOT).contains(needle));
    }
}
