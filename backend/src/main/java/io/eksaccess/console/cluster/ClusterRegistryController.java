package io.eksaccess.console.cluster;

import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.identity.ActingPerson;
import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.system.RefusalRedirect;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Admin pages of the cluster registry (under /admin, so ADMIN only). Every form is a GET/POST
 * pair; a refused change shows the form again with the reason and what was typed; a done one
 * redirects with a message. Removal asks for confirmation on its own page first.
 */
@Controller
class ClusterRegistryController {

    static final String REGISTRY_VIEW = "cluster/registry";
    static final String REMOVE_VIEW = "cluster/remove";

    private final ClusterRegistry registry;
    private final ClusterRepository clusters;

    ClusterRegistryController(ClusterRegistry registry, ClusterRepository clusters) {
        this.registry = registry;
        this.clusters = clusters;
    }

    @GetMapping("/admin/clusters")
    String showRegistry(Model model) {
        model.addAttribute("clusters", clusters.findAll());
        return REGISTRY_VIEW;
    }

    @PostMapping("/admin/clusters")
    String processAdd(@RequestParam String name, @RequestParam String kubeconfigPath, @RequestParam String context,
            ActingPerson person, Model model, RedirectAttributes redirect) {
        try {
            registry.add(AuditActor.of(person), name.trim(), kubeconfigPath, context.trim());
        } catch (ConsoleException e) {
            model.addAttribute("addError", e.getMessage());
            model.addAttribute("name", name);
            model.addAttribute("kubeconfigPath", kubeconfigPath);
            model.addAttribute("context", context);
            return showRegistry(model);
        }
        redirect.addFlashAttribute("message", "Cluster " + name.trim() + " was added.");
        return "redirect:/admin/clusters";
    }

    @PostMapping("/admin/clusters/{name}/rename")
    @RefusalRedirect("/admin/clusters")
    String processRename(@PathVariable String name, @RequestParam String newName, ActingPerson person,
            RedirectAttributes redirect) {
        registry.rename(AuditActor.of(person), name, newName.trim());
        redirect.addFlashAttribute("message", "Cluster " + name + " is now called " + newName.trim() + ".");
        return "redirect:/admin/clusters";
    }

    @PostMapping("/admin/clusters/{name}/enabled")
    @RefusalRedirect("/admin/clusters")
    String processEnabled(@PathVariable String name, @RequestParam boolean enabled, ActingPerson person,
            RedirectAttributes redirect) {
        registry.setEnabled(AuditActor.of(person), name, enabled);
        redirect.addFlashAttribute("message",
                "Cluster " + name + (enabled ? " is enabled again." : " is disabled: the console no longer reads it."));
        return "redirect:/admin/clusters";
    }

    @GetMapping("/admin/clusters/{name}/remove")
    String confirmRemove(@PathVariable String name, Model model) {
        model.addAttribute("cluster", clusters.findByName(name)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No cluster " + name)));
        return REMOVE_VIEW;
    }

    @PostMapping("/admin/clusters/{name}/remove")
    @RefusalRedirect("/admin/clusters")
    String processRemove(@PathVariable String name, ActingPerson person, RedirectAttributes redirect) {
        registry.remove(AuditActor.of(person), name);
        redirect.addFlashAttribute("message", "Cluster " + name + " was removed from the registry.");
        return "redirect:/admin/clusters";
    }
}
