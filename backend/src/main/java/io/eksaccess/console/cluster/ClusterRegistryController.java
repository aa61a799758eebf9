package io.eksaccess.console.cluster;

import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.identity.ActingPerson;
import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.system.FlashMessages;
import io.eksaccess.console.system.FormErrors;
import io.eksaccess.console.system.RefusalRedirect;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
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
    private final FlashMessages flashes;

    ClusterRegistryController(ClusterRegistry registry, ClusterRepository clusters, FlashMessages flashes) {
        this.flashes = flashes;
        this.registry = registry;
        this.clusters = clusters;
    }

    /** What an admin types to add a cluster; the registry checks the file and the context. */
    record AddForm(
            @Pattern(regexp = ClusterRegistry.NAME_PATTERN, message = "{error.cluster.name}") String name,
            @NotBlank(message = "{error.cluster.kubeconfig-required}") String kubeconfigPath,
            @NotBlank(message = "{error.cluster.context-required}") String context) {

        AddForm {
            name = name == null ? "" : name.strip();
            context = context == null ? "" : context.strip();
        }

        static AddForm empty() {
            return new AddForm("", "", "");
        }
    }

    /** A new name for one cluster (the row's own form); a refusal shows beside that row's field. */
    record RenameForm(@Pattern(regexp = ClusterRegistry.NAME_PATTERN, message = "{error.cluster.name}") String newName) {

        RenameForm {
            newName = newName == null ? "" : newName.strip();
        }
    }

    @GetMapping("/admin/clusters")
    String showRegistry(Model model) {
        model.addAttribute("clusters", clusters.findAll());
        if (!model.containsAttribute("addForm")) {
            model.addAttribute("addForm", AddForm.empty());
        }
        return REGISTRY_VIEW;
    }

    @PostMapping("/admin/clusters")
    String processAdd(@Valid @ModelAttribute("addForm") AddForm form, BindingResult result, ActingPerson person,
            Model model, RedirectAttributes redirect) {
        if (!result.hasErrors()) {
            try {
                registry.add(AuditActor.of(person), form.name(), form.kubeconfigPath(), form.context());
            } catch (ConsoleException e) {
                FormErrors.reject(result, e);
            }
        }
        if (result.hasErrors()) {
            return showRegistry(model);
        }
        flashes.success(redirect, "flash.cluster.added", form.name());
        return "redirect:/admin/clusters";
    }

    @PostMapping("/admin/clusters/{name}/rename")
    String processRename(@PathVariable String name, @Valid @ModelAttribute("renameForm") RenameForm form,
            BindingResult result, ActingPerson person, Model model, RedirectAttributes redirect) {
        if (!result.hasErrors()) {
            try {
                registry.rename(AuditActor.of(person), name, form.newName());
            } catch (ConsoleException e) {
                if (e.kind() == ConsoleException.Kind.NOT_FOUND) {
                    throw e;
                }
                // The registry names its own field ("name"); on this form it is the new name.
                FormErrors.reject(result, e.field() == null ? e : e.onField("newName"));
            }
        }
        if (result.hasErrors()) {
            model.addAttribute("renaming", name);
            return showRegistry(model);
        }
        flashes.success(redirect, "flash.cluster.renamed", name, form.newName());
        return "redirect:/admin/clusters";
    }

    @PostMapping("/admin/clusters/{name}/enabled")
    @RefusalRedirect("/admin/clusters")
    String processEnabled(@PathVariable String name, @RequestParam boolean enabled, ActingPerson person,
            RedirectAttributes redirect) {
        registry.setEnabled(AuditActor.of(person), name, enabled);
        flashes.success(redirect, enabled ? "flash.cluster.enabled" : "flash.cluster.disabled", name);
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
        flashes.success(redirect, "flash.cluster.removed", name);
        return "redirect:/admin/clusters";
    }
}
