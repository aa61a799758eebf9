package io.eksaccess.console.dashboard;

import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.identity.RoleProperties;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Administration: how OIDC groups map to console roles, and the cluster registry. */
@Controller
class AdminController {

    static final String VIEW = "admin/admin";

    private final RoleProperties roles;
    private final ClusterRepository clusters;

    AdminController(RoleProperties roles, ClusterRepository clusters) {
        this.roles = roles;
        this.clusters = clusters;
    }

    @GetMapping("/admin")
    String showAdmin(Model model) {
        model.addAttribute("roles", roles);
        model.addAttribute("clusterCount", clusters.count());
        return VIEW;
    }
}
