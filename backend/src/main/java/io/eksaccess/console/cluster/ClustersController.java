package io.eksaccess.console.cluster;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The cluster list. */
@Controller
class ClustersController {

    static final String VIEW = "cluster/clusters";

    private final ClusterRepository clusters;

    ClustersController(ClusterRepository clusters) {
        this.clusters = clusters;
    }

    @GetMapping("/clusters")
    String showClusters(Model model) {
        model.addAttribute("clusters", clusters.findAll());
        return VIEW;
    }
}
