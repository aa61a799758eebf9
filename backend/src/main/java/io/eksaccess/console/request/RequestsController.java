package io.eksaccess.console.request;

import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.identity.OidcProperties;
import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.system.FlashMessages;
import io.eksaccess.console.system.FormErrors;
import io.eksaccess.console.system.RefusalRedirect;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.Authentication;
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
 * The request pages: the lists, the new-request form (whose htmx posts get the live preview), and a
 * request's page (whose htmx polls get the live state while it applies). Rules live in {@link AccessRequests}.
 */
@Controller
class RequestsController {

    static final String LIST_VIEW = "request/requests";
    static final String NEW_VIEW = "request/new";
    static final String REQUEST_VIEW = "request/request";
    static final String PREVIEW_FRAGMENT = "request/fragments :: preview";
    static final String LIVE_FRAGMENT = "request/fragments :: live";

    enum Tab {
        REVIEW,
        MINE,
        ALL
    }

    /**
     * A reviewer's decision and comment, kept when the review is refused. No constraints here: the rules
     * are {@link AccessRequests}', which also audits a refused review. The decision stays text so that an
     * unknown one is a field error like a missing one (a record that cannot be built would lose the comment).
     */
    record ReviewForm(String decision, String comment) {

        ReviewForm {
            decision = decision == null ? "" : decision.strip();
            comment = comment == null ? "" : comment;
        }

        static ReviewForm empty() {
            return new ReviewForm("", "");
        }

        /** Null when none was given (AccessRequests refuses that, audited). */
        Review.Decision chosen() {
            if (decision.isEmpty()) {
                return null;
            }
            try {
                return Review.Decision.valueOf(decision);
            } catch (IllegalArgumentException e) {
                throw ConsoleException.invalid("error.request.decision-required").onField("decision");
            }
        }
    }

    private final AccessRequests requests;
    private final RequestPreviewer previewer;
    private final ClusterRepository clusters;
    private final String groupsClaim;
    private final FlashMessages flashes;
    private final ReviewQueues reviewQueues;

    RequestsController(AccessRequests requests, RequestPreviewer previewer, ClusterRepository clusters,
            OidcProperties oidc, FlashMessages flashes, ReviewQueues reviewQueues) {
        this.flashes = flashes;
        this.reviewQueues = reviewQueues;
        this.requests = requests;
        this.previewer = previewer;
        this.clusters = clusters;
        this.groupsClaim = oidc.groupsClaim();
    }

    @GetMapping("/requests")
    String showRequests(@RequestParam(name = "tab", required = false) Tab tab, Authentication authentication,
            HttpServletRequest http, Model model) {
        Person person = person(authentication, http);
        List<AccessRequest> waiting = reviewQueues.of(person, http).orElse(List.of()); // the nav badge's read
        boolean seesAll = AccessRequests.seesAll(person);
        Tab shown = tab != null ? tab : waiting.isEmpty() ? Tab.MINE : Tab.REVIEW;
        if (shown == Tab.ALL && !seesAll) {
            shown = Tab.MINE;
        }
        model.addAttribute("tab", shown);
        model.addAttribute("seesAll", seesAll);
        model.addAttribute("waitingCount", waiting.size());
        model.addAttribute("rows", switch (shown) {
            case REVIEW -> waiting;
            case MINE -> requests.filedBy(person);
            case ALL -> requests.recent();
        });
        return LIST_VIEW;
    }

    /** Prefilled from the query (the "extend" link and the mapping pages' links), bound like the POST. */
    @GetMapping("/requests/new")
    String initNewRequestForm(@ModelAttribute("form") NewRequestForm form, Model model) {
        NewRequestForm shown = form.kind() == null ? form.withKind(ChangeKind.MAP_ROLE) : form;
        if (shown.username().isBlank() && shown.kind() == ChangeKind.MAP_ROLE && !shown.arn().isBlank()) {
            shown = shown.withUsername(RequestPreviewer.suggestUsername(shown.kind(), shown.arn()));
        }
        fillForm(model, shown);
        return NEW_VIEW;
    }

    /**
     * A plain submit files the request; an htmx post (typing in the form) renders the live preview,
     * whatever the field errors (the justification is still empty while one types the change).
     */
    @PostMapping("/requests/new")
    String processNewRequestForm(@Valid @ModelAttribute("form") NewRequestForm form, BindingResult binding,
            @RequestHeader(name = "HX-Request", required = false) String htmx,
            Authentication authentication, HttpServletRequest http, Model model, RedirectAttributes redirect) {
        FormErrors.keepTyped(form, "form", binding, model);
        if (htmx != null) {
            model.addAttribute("preview", previewer.preview(form.cluster(), form.kind(), form.fields(),
                    form.duration(), false));
            return PREVIEW_FRAGMENT;
        }
        if (binding.hasErrors()) {
            fillForm(model, form);
            model.addAttribute("preview", previewer.preview(form.cluster(), form.kind(), form.fields(),
                    form.duration(), false));
            return NEW_VIEW;
        }
        try {
            AccessRequest filed = requests.file(new AccessRequests.Filing(form.cluster().trim(),
                    form.fields().build(form.kind()), form.justification(), form.duration()),
                    person(authentication, http));
            flashes.success(redirect, "flash.request.filed", filed.id());
            return "redirect:/requests/" + filed.id();
        } catch (ConsoleException e) {
            FormErrors.reject(binding, e); // beside the field it names (as break-glass does), else for the whole form
            fillForm(model, form);
            model.addAttribute("preview", previewer.preview(form.cluster(), form.kind(), form.fields(),
                    form.duration(), false));
            return NEW_VIEW;
        }
    }

    @GetMapping("/requests/{id}")
    String showRequest(@PathVariable long id,
            @RequestHeader(name = "HX-Request", required = false) String htmx,
            @RequestHeader(name = "HX-History-Restore-Request", required = false) String historyRestore,
            Authentication authentication, HttpServletRequest http, Model model) {
        Person person = person(authentication, http);
        AccessRequests.Details details = requests.viewableBy(id, person);
        AccessRequest request = details.request();
        boolean eligible = details.policy().mayApprove(person) && !request.filedBy(person);
        boolean reviewed = details.reviews().stream().anyMatch(r -> r.reviewerSubject().equals(person.subject()));
        model.addAttribute("details", details);
        model.addAttribute("r", request);
        // Whoever the cluster's policy names may review (APPROVER, AUDITOR, ADMIN or a group).
        model.addAttribute("canReview", eligible && !reviewed && request.state().open());
        model.addAttribute("canCancel", request.filedBy(person) && request.state().open());
        model.addAttribute("canApply", request.state() == RequestState.APPROVED
                && (eligible || person.is(io.eksaccess.console.identity.ConsoleRole.ADMIN)));
        // An undo is not undone (its way back would lose the end time of what it undid): a new request instead.
        Optional<AccessRequest> undid = requests.undoneBy(id);
        model.addAttribute("undid", undid.orElse(null));
        model.addAttribute("undidLink", undid.map(u -> u.kind() == ChangeKind.ACCESS_ENTRY_BATCH ? "/requests/new"
                : AccessRequests.extendLink(u)).orElse(null));
        // A way back that would give again access whose grant has ended since: a new request instead.
        Optional<AccessRequest> endedSource = request.state() == RequestState.APPLIED && undid.isEmpty()
                ? requests.endedSourceOfWayBack(request) : Optional.empty();
        model.addAttribute("undoEndedSource", endedSource.orElse(null));
        model.addAttribute("undoEndedSourceLink", endedSource.map(AccessRequests::extendLink).orElse(null));
        model.addAttribute("canUndo", request.state() == RequestState.APPLIED && request.inverse() != null
                && undid.isEmpty() && endedSource.isEmpty());
        model.addAttribute("canRetry", request.state() == RequestState.FAILED
                && person.is(io.eksaccess.console.identity.ConsoleRole.ADMIN));
        model.addAttribute("extendLink", AccessRequests.extendLink(request));
        model.addAttribute("undoDescribe", request.inverse() == null ? null : AccessRequests.describe(request.inverse()));
        model.addAttribute("describe", AccessRequests.describe(request.change()));
        boolean notYetApplied = request.state() == RequestState.PENDING || request.state() == RequestState.APPROVED
                || request.state() == RequestState.APPLYING || request.state() == RequestState.FAILED;
        var plan = notYetApplied ? previewer.planOnCache(request) : java.util.Optional.<io.eksaccess.console.apply.ChangePlan>empty();
        model.addAttribute("currentDiff", plan.map(p -> p.diff())
                .orElseGet(() -> notYetApplied ? previewer.entryDiffOnCache(request).orElse(null) : null));
        model.addAttribute("findings", plan.map(previewer::findingsOf).orElse(List.of()));
        // What the principal could do, for every reviewer (not only in the requester's preview).
        RequestPreviewer.Access access = previewer.access(request.cluster(), request.change());
        model.addAttribute("batchRows", previewer.batchRows(request.cluster(), request.change()).orElse(null));
        model.addAttribute("access", access.lines());
        model.addAttribute("accessNote", access.note());
        if (!model.containsAttribute("reviewForm")) {
            model.addAttribute("reviewForm", ReviewForm.empty());
        }
        return htmx != null && historyRestore == null ? LIVE_FRAGMENT : REQUEST_VIEW;
    }

    /**
     * A refused review shows the request again with the comment as typed: a refusal about a field beside
     * it, any other (e.g. one's own request, already reviewed) as the page's error.
     */
    @PostMapping("/requests/{id}/reviews")
    @RefusalRedirect("/requests/{id}")
    String processReview(@PathVariable long id, @ModelAttribute("reviewForm") ReviewForm form, BindingResult result,
            Authentication authentication, HttpServletRequest http, Model model, RedirectAttributes redirect) {
        if (!result.hasErrors()) {
            try {
                RequestLimits.text("text.limits.field.comment", form.comment());
                AccessRequest after = requests.review(id, person(authentication, http), form.chosen(), form.comment());
                flashes.success(redirect, "flash.request.reviewed", id,
                        FlashMessages.word("request.state." + after.state()));
                return "redirect:/requests/" + id;
            } catch (ConsoleException e) {
                if (e.kind() == ConsoleException.Kind.NOT_FOUND) {
                    throw e;
                }
                if (e.field() != null) {
                    FormErrors.reject(result, e);
                } else {
                    model.addAttribute("error", e.getMessage());
                }
            }
        }
        return showRequest(id, null, null, authentication, http, model);
    }

    @PostMapping("/requests/{id}/cancel")
    @RefusalRedirect("/requests/{id}")
    String processCancel(@PathVariable long id, Authentication authentication, HttpServletRequest http,
            RedirectAttributes redirect) {
        requests.cancel(id, person(authentication, http));
        flashes.success(redirect, "flash.request.cancelled", id);
        return "redirect:/requests/" + id;
    }

    /** Files the applied change's way back as a new request (it goes through the approvals like any other). */
    @PostMapping("/requests/{id}/undo")
    @RefusalRedirect("/requests/{id}")
    String processUndo(@PathVariable long id, @RequestParam(name = "justification", defaultValue = "") String justification,
            Authentication authentication, HttpServletRequest http, Model model, RedirectAttributes redirect) {
        AccessRequest filed;
        try {
            filed = requests.fileUndo(id, justification, person(authentication, http));
        } catch (ConsoleException e) {
            if (!"justification".equals(e.field())) {
                throw e;
            }
            // Beside the field, with what was typed (a refusal of the request itself goes back as the flash error).
            model.addAttribute("undoError", e.getMessage());
            model.addAttribute("undoJustification", justification);
            return showRequest(id, null, null, authentication, http, model);
        }
        flashes.success(redirect, "flash.request.undo-filed", filed.id(), id);
        return "redirect:/requests/" + filed.id();
    }

    /** An approver's click (policy without automatic apply) or an admin's retry of a failed apply. */
    @PostMapping("/requests/{id}/apply")
    @RefusalRedirect("/requests/{id}")
    String processApply(@PathVariable long id, Authentication authentication, HttpServletRequest http,
            RedirectAttributes redirect) {
        AccessRequest after = requests.startApply(id, person(authentication, http));
        flashes.success(redirect, "flash.request.state", id, FlashMessages.word("request.state." + after.state()));
        return "redirect:/requests/" + id;
    }

    private void fillForm(Model model, NewRequestForm form) {
        model.addAttribute("form", form);
        model.addAttribute("entryTypes", io.eksaccess.console.accessentry.AccessEntry.TYPES);
        model.addAttribute("policyNames", io.eksaccess.console.accessentry.AccessPolicyTable.modelledPolicyNames());
        model.addAttribute("policyPrefix", io.eksaccess.console.accessentry.AccessPolicyTable.ARN_PREFIX);
        model.addAttribute("clusters", clusters.findAll());
        // A batch lists its items in the API's "changes" (or comes from the migration page); the form has one change.
        model.addAttribute("kinds", java.util.Arrays.stream(ChangeKind.values())
                .filter(k -> k != ChangeKind.ACCESS_ENTRY_BATCH).toList());
        model.addAttribute("durations", Durations.CHOICES);
    }

    private Person person(Authentication authentication, HttpServletRequest http) {
        return Person.of(authentication, http, groupsClaim);
    }
}
