package io.eksaccess.console.dashboard;

import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.CachedKind;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.request.AccessRequests;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * A cluster's overview, answering "is this cluster OK?": how current the console's view is, who
 * holds cluster-wide admin, findings by severity, requests waiting and lately applied, and drift.
 * It lives here, not in {@code cluster}, because it reads requests, RBAC and findings. Its cost is
 * fixed whatever the rows: the registry, two request queries, drift (the template's), and the
 * findings memo; admins come from the in-memory caches.
 */
@Controller
class ClusterOverviewController {

    static final String VIEW = "cluster/overview";

    /** How many applied changes the overview lists. */
    static final int LAST_APPLIED = 5;

    private final ClusterRepository clusters;
    private final ClusterCaches caches;
    private final ClusterAdmins admins;
    private final FindingCounts findings;
    private final AccessRequests requests;

    ClusterOverviewController(ClusterRepository clusters, ClusterCaches caches, ClusterAdmins admins,
            FindingCounts findings, AccessRequests requests) {
        this.clusters = clusters;
        this.caches = caches;
        this.admins = admins;
        this.findings = findings;
        this.requests = requests;
    }

    @GetMapping("/clusters/{name}")
    String showOverview(@PathVariable String name, Model model) {
        Cluster cluster = clusters.require(name);
        model.addAttribute("cluster", cluster);
        model.addAttribute("status", caches.statusOf(cluster));
        model.addAttribute("kinds", CachedKind.values());
        model.addAttribute("admins", admins.of(cluster));
        model.addAttribute("findings", findings.of(cluster.name()));
        model.addAttribute("open", requests.openFor(cluster.name()));
        model.addAttribute("applied", requests.lastAppliedOn(cluster.name(), LAST_APPLIED));
        return VIEW;
    }
}
