package io.eksaccess.console.cluster;

import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.ClusterStatus;
import io.eksaccess.console.cluster.cache.SyncState;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The cluster list; it reads only the registry and the caches. Each cluster's overview is the
 * dashboard's ({@code ClusterOverviewController}): it also shows requests, findings and drift.
 */
@Controller
class ClustersController {

    static final String LIST_VIEW = "cluster/clusters";
    static final String ROWS_FRAGMENT = "cluster/clusters :: rows";

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

    private static boolean matches(Cluster cluster, String needle) {
        return cluster.name().toLowerCase(Locale.ROOT).contains(needle)
                || (cluster.apiServerUrl() != null && cluster.apiServerUrl().toLowerCase(Locale.ROOT).contains(needle));
    }
}
