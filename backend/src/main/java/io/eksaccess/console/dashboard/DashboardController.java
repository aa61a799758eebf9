package io.eksaccess.console.dashboard;

import io.eksaccess.console.cluster.ClusterRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The dashboard: where a person lands after signing in. */
@Controller
class DashboardController {

    static final String VIEW = "dashboard";

    private final ClusterRepository clusters;

    DashboardController(ClusterRepository clusters) {
        this.clusters = clusters;
    }

    @GetMapping("/")
    String showDashboard(Model model) {
        model.addAttribute("clusterCount", clusters.count());
        return VIEW;
    }
}
