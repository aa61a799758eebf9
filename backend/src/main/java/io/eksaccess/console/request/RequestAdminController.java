package io.eksaccess.console.request;

import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.identity.ConsoleRole;
import io.eksaccess.console.identity.OidcProperties;
import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.system.FlashMessages;
import io.eksaccess.console.system.FormErrors;
import jakarta.servlet.http.HttpServletRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Admin pages of the request workflow (ADMIN by ConsoleAccessRules' /admin/**): approval policies and break-glass. */
@Controller
class RequestAdminController {

    static final String POLICIES_VIEW = "request/policies";
    static final String POLICY_VIEW = "request/policy";
    static final String BREAK_GLASS_VIEW = "request/break-glass";
    /** Break-glass takes every kind, aws-auth and access-entry alike (the form carries both kinds' fields). */
    static final List<ChangeKind> KINDS = List.of(ChangeKind.values());

    record PolicyRow(Cluster cluster, ApprovalPolicy policy) {}

    /** The approval-policy form; an absent field takes the default the form always had. */
    record PolicyForm(Integer approvalsNeeded, List<ConsoleRole> approverRoles, String approverGroups,
            Integer maxGrantHours, Boolean allowMasters, Integer requestTtlHours, Boolean autoApply) {

        ApprovalPolicy toPolicy(String cluster) {
            Set<ConsoleRole> roles = approverRoles == null || approverRoles.isEmpty()
                    ? EnumSet.noneOf(ConsoleRole.class) : EnumSet.copyOf(approverRoles);
            return new ApprovalPolicy(cluster, approvalsNeeded == null ? 1 : approvalsNeeded, roles,
                    ChangeKind.splitGroups(approverGroups == null ? "" : approverGroups),
                    maxGrantHours == null ? ApprovalPolicy.MAX_HOURS : maxGrantHours, Boolean.TRUE.equals(allowMasters),
                    requestTtlHours == null ? 72 : requestTtlHours, Boolean.TRUE.equals(autoApply));
        }
    }

    /**
     * The break-glass form, bound the same way by its GET (a preselected cluster) and its POST; the
     * access-entry fields are the new-request form's ({@link NewRequestForm}).
     */
    record BreakGlassForm(String cluster, ChangeKind kind, String arn, String username, String groups, String reason,
            Boolean overrideLockout, String type, String policyArn, String scopeType, String namespaces,
            String authenticationMode) {

        BreakGlassForm {
            cluster = cluster == null ? "" : cluster;
            arn = arn == null ? "" : arn;
            username = username == null ? "" : username;
            groups = groups == null ? "" : groups;
            reason = reason == null ? "" : reason;
            overrideLockout = Boolean.TRUE.equals(overrideLockout); // an unchecked box is not sent
            type = type == null || type.isBlank() ? "STANDARD" : type;
            policyArn = policyArn == null ? "" : policyArn;
            scopeType = scopeType == null || scopeType.isBlank() ? "cluster" : scopeType;
            namespaces = namespaces == null ? "" : namespaces;
            authenticationMode = authenticationMode == null ? "" : authenticationMode;
        }

        ChangeFields fields() {
            return new ChangeFields(arn, username, ChangeKind.splitGroups(groups), type, policyArn, scopeType,
                    ChangeKind.splitGroups(namespaces), authenticationMode);
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
        Cluster found = clusters.findByName(cluster)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No cluster " + cluster));
        model.addAttribute("cluster", found);
        model.addAttribute("policy", policies.of(cluster));
        model.addAttribute("roles", ConsoleRole.values());
        return POLICY_VIEW;
    }

    @PostMapping("/admin/policies/{cluster}")
    String processPolicyForm(@PathVariable String cluster, @ModelAttribute PolicyForm form,
            Authentication authentication, HttpServletRequest http, Model model, RedirectAttributes redirect) {
        if (clusters.findByName(cluster).isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No cluster " + cluster);
        }
        ApprovalPolicy policy = form.toPolicy(cluster);
        try {
            policies.save(policy, Person.of(authentication, http, groupsClaim));
        } catch (ConsoleException e) {
            model.addAttribute("cluster", clusters.findByName(cluster).orElseThrow());
            model.addAttribute("policy", policy);
            model.addAttribute("roles", ConsoleRole.values());
            model.addAttribute("error", e.getMessage());
            return POLICY_VIEW;
        }
        flashes.success(redirect, "flash.policy.saved", cluster);
        return "redirect:/admin/policies";
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
    String processBreakGlassForm(@ModelAttribute("form") BreakGlassForm form, BindingResult result,
            @org.springframework.web.bind.annotation.RequestHeader(name = "HX-Request", required = false) String htmx,
            Authentication authentication, HttpServletRequest http, Model model, RedirectAttributes redirect) {
        if (htmx != null) {
            model.addAttribute("preview", previewer.preview(form.cluster(), form.kind(), form.fields(), null, true));
            return RequestsController.PREVIEW_FRAGMENT;
        }
        try {
            if (form.kind() == null) {
                throw ConsoleException.invalid("error.request.pick-kind").onField("kind");
            }
            RequestLimits.text("text.limits.field.reason", form.reason());
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
}
