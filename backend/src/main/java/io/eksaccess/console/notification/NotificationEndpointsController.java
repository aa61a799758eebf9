package io.eksaccess.console.notification;

import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.identity.ActingPerson;
import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.system.FlashMessages;
import io.eksaccess.console.system.FormErrors;
import io.eksaccess.console.system.RefusalRedirect;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Admin pages for notification endpoints and their delivery log (under /admin, so ADMIN only).
 * A refused form is shown again with the reason beside the field at fault and what was typed, except
 * the signing secret, which the form never fills in (it never travels back to the browser).
 */
@Controller
class NotificationEndpointsController {

    static final String LIST_VIEW = "notification/endpoints";
    static final String EDIT_VIEW = "notification/edit";
    static final String REMOVE_VIEW = "notification/remove";
    static final String DELIVERIES_VIEW = "notification/deliveries";
    static final String DELIVERIES_FRAGMENT = "notification/fragments :: deliveryTable";
    private static final String LIST_URL = "redirect:/admin/notifications";

    private final NotificationEndpoints endpoints;
    private final DeliveryLog deliveries;
    private final FlashMessages flashes;

    NotificationEndpointsController(NotificationEndpoints endpoints, DeliveryLog deliveries, FlashMessages flashes) {
        this.flashes = flashes;
        this.endpoints = endpoints;
        this.deliveries = deliveries;
    }

    @GetMapping("/admin/notifications")
    String showEndpoints(Model model) {
        model.addAttribute("endpoints", endpoints.findAll());
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", NotificationEndpoints.Form.empty());
        }
        addChoices(model);
        return LIST_VIEW;
    }

    @PostMapping("/admin/notifications")
    String processAdd(@ModelAttribute("form") NotificationEndpoints.Form form, BindingResult result, ActingPerson person,
            Model model, RedirectAttributes redirect) {
        try {
            endpoints.add(AuditActor.of(person), form);
        } catch (ConsoleException e) {
            FormErrors.reject(result, e);
            return showEndpoints(model);
        }
        flashes.success(redirect, "flash.notification.added", form.name().strip());
        return LIST_URL;
    }

    @GetMapping("/admin/notifications/{id}")
    String initEditForm(@PathVariable long id, Model model) {
        NotificationEndpoint endpoint = existing(id);
        model.addAttribute("endpoint", endpoint);
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", NotificationEndpoints.Form.of(endpoint));
        }
        addChoices(model);
        return EDIT_VIEW;
    }

    @PostMapping("/admin/notifications/{id}")
    String processEditForm(@PathVariable long id, @ModelAttribute("form") NotificationEndpoints.Form form,
            BindingResult result, ActingPerson person, Model model, RedirectAttributes redirect) {
        try {
            endpoints.change(AuditActor.of(person), id, form);
        } catch (ConsoleException e) {
            FormErrors.reject(result, e);
            return initEditForm(id, model);
        }
        flashes.success(redirect, "flash.notification.changed", form.name().strip());
        return LIST_URL;
    }

    @PostMapping("/admin/notifications/{id}/test")
    @RefusalRedirect("/admin/notifications")
    String processTest(@PathVariable long id, ActingPerson person, RedirectAttributes redirect) {
        String name = endpoints.require(id).name();
        WebhookSender.Result result = endpoints.sendTest(AuditActor.of(person), id);
        if (result.delivered()) {
            flashes.success(redirect, "flash.notification.test-delivered", name, result.httpStatus());
        } else {
            flashes.failure(redirect, "flash.notification.test-not-delivered", name, result.error());
        }
        return LIST_URL;
    }

    @GetMapping("/admin/notifications/{id}/remove")
    String confirmRemove(@PathVariable long id, Model model) {
        model.addAttribute("endpoint", existing(id));
        return REMOVE_VIEW;
    }

    @PostMapping("/admin/notifications/{id}/remove")
    @RefusalRedirect("/admin/notifications")
    String processRemove(@PathVariable long id, ActingPerson person, RedirectAttributes redirect) {
        String name = endpoints.require(id).name();
        endpoints.remove(AuditActor.of(person), id);
        flashes.success(redirect, "flash.notification.removed", name);
        return LIST_URL;
    }

    @GetMapping("/admin/notifications/deliveries")
    String showDeliveries(@RequestParam(required = false) Long endpoint,
            @RequestHeader(name = "HX-Request", required = false) String htmx, Model model) {
        model.addAttribute("deliveries", deliveries.recent(endpoint));
        model.addAttribute("endpoints", endpoints.findAll());
        model.addAttribute("selected", endpoint);
        model.addAttribute("limit", DeliveryLog.LIMIT);
        return htmx != null ? DELIVERIES_FRAGMENT : DELIVERIES_VIEW;
    }

    private NotificationEndpoint existing(long id) {
        return endpoints.require(id);
    }

    private static void addChoices(Model model) {
        model.addAttribute("eventTypes", NotificationType.values());
        model.addAttribute("kinds", EndpointKind.values());
    }
}
