package io.eksaccess.console.system;

import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.system.ConsoleProperties;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Administration: how OIDC groups map to console roles, and the cluster registry. */
@Controller
class AdminController {

    static final String VIEW = "admin/admin";

    private final ConsoleProperties properties;
    private final ClusterRepository clusters;

    AdminController(ConsoleProperties properties, ClusterRepository clusters) {
        this.properties = properties;
        this.clusters = clusters;
    }

    @GetMapping("/admin")
    String showAdmin(Model model) {
        model.addAttribute("roles", properties.roles());
        model.addAttribute("clusterCount", clusters.count());
        return VIEW;
    }
}
