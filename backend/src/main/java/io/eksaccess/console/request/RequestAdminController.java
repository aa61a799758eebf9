package io.eksaccess.console.request;

import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.identity.ConsoleRole;
import io.eksaccess.console.identity.OidcProperties;
import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.system.FlashMessages;
import io.eksaccess.console.system.FormErrors;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Admin pages of the request workflow (ADMIN by ConsoleAccessRules' /admin/**): approval policies and break-glass. */
@Controller
class RequestAdminController {

    static final String POLICIES_VIEW = "request/policies";
    static final String POLICY_VIEW = "request/policy";
    static final String BREAK_GLASS_VIEW = "request/break-glass";
    /**
     * Break-glass takes every kind the form can carry, aws-auth and access-entry alike; a batch lists its
     * items in the API's "changes", which the form has not (as on the new-request form).
     */
    static final List<ChangeKind> KINDS = java.util.Arrays.stream(ChangeKind.values())
            .filter(k -> k != ChangeKind.ACCESS_ENTRY_BATCH).toList();

    record PolicyRow(Cluster cluster, ApprovalPolicy policy) {}

    /**
     * The approval-policy form; an absent field takes the default the form always had. The ranges are
     * {@link ApprovalPolicies#save}'s too (the same messages), checked here to show them beside their field.
     */
    record PolicyForm(
            @Min(value = 1, message = "{error.policy.approvals-needed}")
            @Max(value = 10, message = "{error.policy.approvals-needed}") Integer approvalsNeeded,
            List<ConsoleRole> approverRoles,
            @Size(max = ChangeForm.MAX_GROUPS_TEXT, message = "{error.policy.groups-size}") String approverGroups,
            @Min(value = 1, message = "{error.policy.max-grant}")
            @Max(value = ApprovalPolicy.MAX_HOURS, message = "{error.policy.max-grant}") Integer maxGrantHours,
            Boolean allowMasters,
            @Min(value = 1, message = "{error.policy.request-ttl}")
            @Max(value = ApprovalPolicy.MAX_HOURS, message = "{error.policy.request-ttl}") Integer requestTtlHours,
            Boolean autoApply) {

        PolicyForm {
            approvalsNeeded = approvalsNeeded == null ? 1 : approvalsNeeded;
            approverRoles = approverRoles == null ? List.of() : List.copyOf(approverRoles);
            approverGroups = approverGroups == null ? "" : approverGroups;
            maxGrantHours = maxGrantHours == null ? ApprovalPolicy.MAX_HOURS : maxGrantHours;
            allowMasters = Boolean.TRUE.equals(allowMasters); // an unchecked box is not sent
            requestTtlHours = requestTtlHours == null ? 72 : requestTtlHours;
            autoApply = Boolean.TRUE.equals(autoApply);
        }

        static PolicyForm of(ApprovalPolicy policy) {
            return new PolicyForm(policy.approvalsNeeded(), List.copyOf(policy.approverRoles()),
                    String.join(", ", policy.approverGroups()), policy.maxGrantHours(), policy.allowMasters(),
                    policy.requestTtlHours(), policy.autoApply());
        }

        ApprovalPolicy toPolicy(String cluster) {
            Set<ConsoleRole> roles = approverRoles.isEmpty() ? EnumSet.noneOf(ConsoleRole.class)
                    : EnumSet.copyOf(approverRoles);
            return new ApprovalPolicy(cluster, approvalsNeeded, roles, ChangeKind.splitGroups(approverGroups),
                    maxGrantHours, allowMasters, requestTtlHours, autoApply);
        }
    }

    /**
     * The break-glass form, bound the same way by its GET (a preselected cluster) and its POST; the
     * change fields, their defaults and limits are the new-request form's ({@link ChangeForm}).
     */
    record BreakGlassForm(
            String cluster,
            ChangeKind kind,
            String arn,
            String username,
            @Size(max = ChangeForm.MAX_GROUPS_TEXT, message = "{request.form.groups.size}") String groups,
            @NotBlank(message = "{error.request.break-glass-reason}") String reason,
            Boolean overrideLockout,
            String type,
            @Size(max = RequestLimits.MAX_ARN, message = "{request.form.policyArn.size}") String policyArn,
            String scopeType,
            @Size(max = ChangeForm.MAX_NAMESPACES_TEXT, message = "{request.form.namespaces.size}") String namespaces,
            String authenticationMode) implements ChangeForm {

        BreakGlassForm {
            cluster = ChangeForm.text(cluster);
            arn = ChangeForm.text(arn);
            username = ChangeForm.text(username);
            groups = ChangeForm.text(groups);
            reason = ChangeForm.text(reason);
            overrideLockout = Boolean.TRUE.equals(overrideLockout); // an unchecked box is not sent
            type = ChangeForm.type(type);
            policyArn = ChangeForm.text(policyArn);
            scopeType = ChangeForm.scopeType(scopeType);
            namespaces = ChangeForm.text(namespaces);
            authenticationMode = ChangeForm.text(authenticationMode);
        }

        BreakGlassForm withKind(ChangeKind chosen) {
            return new BreakGlassForm(cluster, chosen, arn, username, groups, reason, false, type, policyArn, scopeType,
                    namespaces, authenticationMode);
        }
    }

    private final ApprovalPolicies policies;
    private final ClusterRepository clusters;
    private final AccessRequests requests;
    private final RequestPreviewer previewer;
    private final String groupsClaim;
    private final FlashMessages flashes;

    RequestAdminController(ApprovalPolicies policies, ClusterRepository clusters, AccessRequests requests,
            RequestPreviewer previewer, OidcProperties oidc, FlashMessages flashes) {
        this.flashes = flashes;
        this.previewer = previewer;
        this.policies = policies;
        this.clusters = clusters;
        this.requests = requests;
        this.groupsClaim = oidc.groupsClaim();
    }

    @GetMapping("/admin/policies")
    String showPolicies(Model model) {
        model.addAttribute("rows", clusters.findAll().stream().map(c -> new PolicyRow(c, policies.of(c.name()))).toList());
        return POLICIES_VIEW;
    }

    @GetMapping("/admin/policies/{cluster}")
    String initPolicyForm(@PathVariable String cluster, Model model) {
        model.addAttribute("form", PolicyForm.of(policies.of(cluster)));
        return showPolicyForm(cluster, model);
    }

    /** The form as posted (typed values kept) with each refusal beside its field, or saved and back to the list. */
    @PostMapping("/admin/policies/{cluster}")
    String processPolicyForm(@PathVariable String cluster, @Valid @ModelAttribute("form") PolicyForm form,
            BindingResult result, Authentication authentication, HttpServletRequest http, Model model,
            RedirectAttributes redirect) {
        requireCluster(cluster);
        FormErrors.keepTyped(form, "form", result, model);
        if (!result.hasErrors()) {
            try {
                policies.save(form.toPolicy(cluster), Person.of(authentication, http, groupsClaim));
                flashes.success(redirect, "flash.policy.saved", cluster);
                return "redirect:/admin/policies";
            } catch (ConsoleException e) {
                FormErrors.reject(result, e);
            }
        }
        return showPolicyForm(cluster, model);
    }

    private String showPolicyForm(String cluster, Model model) {
        model.addAttribute("cluster", requireCluster(cluster));
        model.addAttribute("roles", ConsoleRole.values());
        return POLICY_VIEW;
    }

    private Cluster requireCluster(String cluster) {
        return clusters.findByName(cluster).orElseThrow(() -> ConsoleException.notFound("error.request.no-cluster", cluster));
    }

    /** {@code result}: a malformed query (kind=NOPE) shows the form with that field marked, not a 400. */
    @GetMapping("/admin/break-glass")
    String initBreakGlassForm(@ModelAttribute("form") BreakGlassForm form, BindingResult result, Model model) {
        if (form.kind() == null) {
            model.addAttribute("form", form.withKind(ChangeKind.MAP_ROLE));
        }
        fillForm(model);
        return BREAK_GLASS_VIEW;
    }

    private void fillForm(Model model) {
        model.addAttribute("clusters", clusters.findAll());
        model.addAttribute("kinds", KINDS);
        model.addAttribute("entryTypes", io.eksaccess.console.accessentry.AccessEntry.TYPES);
        model.addAttribute("policyNames", io.eksaccess.console.accessentry.AccessPolicyTable.modelledPolicyNames());
        model.addAttribute("policyPrefix", io.eksaccess.console.accessentry.AccessPolicyTable.ARN_PREFIX);
    }

    @PostMapping("/admin/break-glass")
    String processBreakGlassForm(@Valid @ModelAttribute("form") BreakGlassForm form, BindingResult result,
            @org.springframework.web.bind.annotation.RequestHeader(name = "HX-Request", required = false) String htmx,
            Authentication authentication, HttpServletRequest http, Model model, RedirectAttributes redirect) {
        FormErrors.keepTyped(form, "form", result, model);
        if (htmx != null) {
            model.addAttribute("preview", previewer.preview(form.cluster(), form.kind(), form.fields(), null, true));
            return RequestsController.PREVIEW_FRAGMENT;
        }
        if (result.hasErrors()) {
            fillForm(model);
            return BREAK_GLASS_VIEW;
        }
        try {
            if (form.kind() == null) {
                throw ConsoleException.invalid("error.request.pick-kind").onField("kind");
            }
            reasonWithinLimit(form.reason());
            io.eksaccess.console.apply.Change change = form.fields().build(form.kind());
            RequestLimits.change(change);
            AccessRequest done = requests.breakGlass(form.cluster().trim(), change, form.reason(), form.overrideLockout(),
                    Person.of(authentication, http, groupsClaim));
            if (done.state() == RequestState.APPLIED) {
                flashes.success(redirect, "flash.break-glass.applied", done.id());
            } else {
                flashes.failure(redirect, "flash.break-glass.not-applied", done.outcomeMessage());
            }
            return "redirect:/requests/" + done.id();
        } catch (ConsoleException e) {
            FormErrors.reject(result, e);
            fillForm(model);
            return BREAK_GLASS_VIEW;
        }
    }

    private static void reasonWithinLimit(String reason) {
        try {
            RequestLimits.text("text.limits.field.reason", reason);
        } catch (ConsoleException e) {
            throw e.onField("reason");
        }
    }
}
