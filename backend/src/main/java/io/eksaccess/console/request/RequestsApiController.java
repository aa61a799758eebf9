package io.eksaccess.console.request;

import io.eksaccess.console.identity.OidcProperties;
import io.eksaccess.console.system.ConsoleException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The JSON API for automation, beside the pages and with the same rules ({@link AccessRequests});
 * refusals are RFC 9457 problem details with a specific message.
 */
@RestController
@RequestMapping("/api/v1/requests")
class RequestsApiController {

    /**
     * aws-auth kinds: arn | accountId, username, groups. Access-entry kinds (EKS's field names): principalArn,
     * type, username, kubernetesGroups, policyArn, accessScope {type, namespaces}, authenticationMode.
     */
    record ChangeBody(String kind, String arn, String accountId, String username, List<String> groups,
            String principalArn, String type, List<String> kubernetesGroups, String policyArn, ScopeBody accessScope,
            String authenticationMode, List<ChangeBody> changes) {}

    record ScopeBody(String type, List<String> namespaces) {}

    record FileBody(String cluster, ChangeBody change, String justification, Integer durationHours) {}

    record ReviewBody(String decision, String comment) {}

    record UndoBody(String justification) {}

    record ReviewView(String reviewer, String decision, String comment, String at) {}

    /** {@code changes}: a batch's items, each in this shape (null for other kinds). */
    record ChangeView(String kind, String arn, String accountId, String username, List<String> groups,
            String principalArn, String type, List<String> kubernetesGroups, String policyArn, ScopeBody accessScope,
            String authenticationMode, List<ChangeView> changes) {}

    record OutcomeView(String message, String beforeHash, String afterHash, String appliedAt, String grantEndsAt,
            String revokeMessage) {}

    record RequestView(long id, String cluster, String state, boolean breakGlass, String requester,
            ChangeView change, String justification, Integer durationHours, int approvalsNeeded, String createdAt,
            String expiresAt, String grantEndsAt, String outcomeMessage, List<ReviewView> reviews, List<String> diff,
            OutcomeView outcome) {}

    private final AccessRequests requests;
    private final String groupsClaim;

    RequestsApiController(AccessRequests requests, OidcProperties oidc) {
        this.requests = requests;
        this.groupsClaim = oidc.groupsClaim();
    }

    @PostMapping
    ResponseEntity<RequestView> file(@RequestBody FileBody body, Authentication authentication,
            HttpServletRequest http) {
        if (body == null || body.change() == null) {
            throw ConsoleException.invalid("error.api.request-body");
        }
        AccessRequest filed = requests.file(new AccessRequests.Filing(body.cluster(), change(body.change()),
                body.justification(), body.durationHours()), person(authentication, http));
        return ResponseEntity.created(URI.create("/api/v1/requests/" + filed.id()))
                .contentType(MediaType.APPLICATION_JSON).body(view(filed.id()));
    }

    @GetMapping("/{id}")
    RequestView show(@PathVariable long id, Authentication authentication, HttpServletRequest http) {
        requests.viewableBy(id, person(authentication, http));
        return view(id);
    }

    @PostMapping("/{id}/reviews")
    RequestView review(@PathVariable long id, @RequestBody ReviewBody body, Authentication authentication,
            HttpServletRequest http) {
        Review.Decision decision;
        try {
            decision = Review.Decision.valueOf(body.decision() == null ? "" : body.decision().trim());
        } catch (IllegalArgumentException e) {
            throw ConsoleException.invalid("error.api.decision", RequestLimits.echo(body.decision()));
        }
        RequestLimits.text("text.limits.field.api-comment", body.comment());
        requests.review(id, person(authentication, http), decision, body.comment());
        return view(id);
    }

    /**
     * Undo from the history: 201 with the new request that carries the applied request's way back. The body's
     * justification is required, as on the page (a missing body is a 400 naming it, like a blank one).
     */
    @PostMapping("/{id}/undo")
    ResponseEntity<RequestView> undo(@PathVariable long id, @RequestBody(required = false) UndoBody body,
            Authentication authentication, HttpServletRequest http) {
        AccessRequest filed = requests.fileUndo(id, body == null ? null : body.justification(),
                person(authentication, http));
        return ResponseEntity.created(URI.create("/api/v1/requests/" + filed.id()))
                .contentType(MediaType.APPLICATION_JSON).body(view(filed.id()));
    }

    @PostMapping("/{id}/cancel")
    RequestView cancel(@PathVariable long id, Authentication authentication, HttpServletRequest http) {
        requests.cancel(id, person(authentication, http));
        return view(id);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest http) {
        return problem(HttpStatus.BAD_REQUEST, where(e) + "the body is not the JSON this endpoint takes: "
                + "{\"cluster\", \"change\": {\"kind\", \"arn\"|\"accountId\", \"username\", \"groups\"}"
                + " or, for access-entry kinds, {\"kind\", \"principalArn\", \"type\", \"username\","
                + " \"kubernetesGroups\", \"policyArn\", \"accessScope\": {\"type\", \"namespaces\"},"
                + " \"authenticationMode\"} or {\"kind\": \"ACCESS_ENTRY_BATCH\", \"changes\": [access-entry changes]},"
                + " \"justification\", \"durationHours\"} or {\"decision\", \"comment\"} or, for an undo,"
                + " {\"justification\"}", http);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> badId(MethodArgumentTypeMismatchException e, HttpServletRequest http) {
        return problem(HttpStatus.BAD_REQUEST, "'" + RequestLimits.echo(String.valueOf(e.getValue()))
                + "' is not a request id (a number)", http);
    }

    /** The field a body got wrong ("unknown field \"scope\" in change; "), or nothing when the JSON itself is broken. */
    private static String where(HttpMessageNotReadableException e) {
        if (e.getCause() instanceof tools.jackson.databind.exc.UnrecognizedPropertyException unknown) {
            String in = path(unknown.getPath().subList(0, Math.max(0, unknown.getPath().size() - 1)));
            return "unknown field \"" + RequestLimits.echo(unknown.getPropertyName()) + "\""
                    + (in.isEmpty() ? "" : " in " + in) + "; ";
        }
        if (e.getCause() instanceof tools.jackson.databind.exc.InvalidFormatException text
                && text.getTargetType() == String.class && !text.getPath().isEmpty()) {
            return path(text.getPath()) + " " + text.getOriginalMessage() + "; "; // a NUL character (system.NulFreeJson)
        }
        if (e.getCause() instanceof tools.jackson.databind.exc.MismatchedInputException wrong && !wrong.getPath().isEmpty()) {
            return "wrong type of value for " + path(wrong.getPath()) + "; ";
        }
        return "";
    }

    private static String path(List<tools.jackson.core.JacksonException.Reference> path) {
        StringBuilder text = new StringBuilder();
        for (tools.jackson.core.JacksonException.Reference step : path) {
            if (step.getPropertyName() != null) {
                text.append(text.isEmpty() ? "" : ".").append(RequestLimits.echo(step.getPropertyName()));
            } else if (step.getIndex() >= 0) {
                text.append('[').append(step.getIndex()).append(']');
            }
        }
        return text.toString();
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail, HttpServletRequest http) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setInstance(URI.create(http.getRequestURI()));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static io.eksaccess.console.apply.Change change(ChangeBody body) {
        ChangeKind kind = kind(body.kind());
        if (kind != ChangeKind.ACCESS_ENTRY_BATCH) {
            return fields(kind, body).build(kind);
        }
        if (body.changes() == null || body.changes().isEmpty()) {
            throw ConsoleException.invalid("error.batch.fields");
        }
        int size = body.changes().size();
        if (size > io.eksaccess.console.apply.AccessEntryChange.Batch.MAX_ITEMS) {
            throw ConsoleException.invalid("error.batch.too-many", String.valueOf(size),
                    String.valueOf(io.eksaccess.console.apply.AccessEntryChange.Batch.MAX_ITEMS));
        }
        List<io.eksaccess.console.apply.AccessEntryChange> items = new java.util.ArrayList<>();
        for (int i = 0; i < size; i++) {
            ChangeBody item = body.changes().get(i);
            try {
                if (item == null) {
                    throw ConsoleException.invalid("error.batch.item-null");
                }
                ChangeKind itemKind = kind(item.kind());
                if (!itemKind.accessEntry() || itemKind == ChangeKind.SET_AUTHENTICATION_MODE
                        || itemKind == ChangeKind.ACCESS_ENTRY_BATCH) {
                    throw ConsoleException.invalid("error.batch.item-kind", itemKind);
                }
                items.add((io.eksaccess.console.apply.AccessEntryChange) fields(itemKind, item).build(itemKind));
            } catch (ConsoleException e) {
                throw ConsoleException.invalid("error.batch.item", String.valueOf(i + 1), String.valueOf(size),
                        e.getMessage());
            }
        }
        return new io.eksaccess.console.apply.AccessEntryChange.Batch(items);
    }

    private static ChangeFields fields(ChangeKind kind, ChangeBody change) {
        if (!kind.accessEntry()) {
            return ChangeFields.mapping(kind.account() ? change.accountId() : change.arn(), change.username(),
                    change.groups());
        }
        ScopeBody scope = change.accessScope();
        return new ChangeFields(change.principalArn(), change.username(), change.kubernetesGroups(), change.type(),
                change.policyArn(), scope == null ? null : scope.type(), scope == null ? null : scope.namespaces(),
                change.authenticationMode());
    }

    private static ChangeView changeView(AccessRequest r) {
        ChangeKind kind = r.kind();
        if (!kind.accessEntry()) {
            return new ChangeView(kind.name(), kind.account() ? null : r.principal(), kind.account() ? r.principal() : null,
                    r.username(), kind.maps() ? r.groups() : null, null, null, null, null, null, null, null);
        }
        return entryView((io.eksaccess.console.apply.AccessEntryChange) r.change());
    }

    private static ChangeView entryView(io.eksaccess.console.apply.AccessEntryChange c) {
        ChangeKind kind = ChangeKind.of(c);
        if (c instanceof io.eksaccess.console.apply.AccessEntryChange.Batch batch) {
            return new ChangeView(kind.name(), null, null, null, null, null, null, null, null, null, null,
                    batch.changes().stream().map(RequestsApiController::entryView).toList());
        }
        String policy = null;
        ScopeBody scope = null;
        String type = null;
        String username = null;
        List<String> groups = null;
        if (c instanceof io.eksaccess.console.apply.AccessEntryChange.AssociateAccessPolicy a) {
            policy = a.policyArn();
            scope = new ScopeBody(a.accessScope().type(), a.accessScope().isCluster() ? null : a.accessScope().namespaces());
        } else if (c instanceof io.eksaccess.console.apply.AccessEntryChange.DisassociateAccessPolicy d) {
            policy = d.policyArn();
        } else if (c instanceof io.eksaccess.console.apply.AccessEntryChange.CreateAccessEntry create) {
            type = create.type();
            username = create.username();
            groups = create.kubernetesGroups();
        } else if (c instanceof io.eksaccess.console.apply.AccessEntryChange.UpdateAccessEntry update) {
            username = update.username();
            groups = update.kubernetesGroups();
        }
        return new ChangeView(kind.name(), null, null, username, null,
                kind == ChangeKind.SET_AUTHENTICATION_MODE ? null : c.principal(), type, groups, policy,
                scope, c instanceof io.eksaccess.console.apply.AccessEntryChange.SetAuthenticationMode m ? m.mode().name() : null,
                null);
    }

    private static ChangeKind kind(String name) {
        try {
            return ChangeKind.valueOf(name == null ? "" : name.trim());
        } catch (IllegalArgumentException e) {
            throw ConsoleException.invalid("error.api.change-kind", List.of(ChangeKind.values()).toString(),
                    RequestLimits.echo(name));
        }
    }

    private RequestView view(long id) {
        AccessRequests.Details details = requests.details(id);
        AccessRequest r = details.request();
        return new RequestView(r.id(), r.cluster(), r.state().name(), r.breakGlass(), r.requesterName(),
                changeView(r),
                r.justification(), r.durationHours(), r.approvalsNeeded(), iso(r.createdAt()), iso(r.expiresAt()),
                iso(r.grantEndsAt()), r.outcomeMessage(), details.reviews().stream().map(v -> new ReviewView(v.reviewerName(), v.decision().name(), v.comment(),
                        iso(v.createdAt()))).toList(),
                r.outcomeDiff(),
                new OutcomeView(r.outcomeMessage(), r.beforeHash(), r.afterHash(), iso(r.appliedAt()),
                        iso(r.grantEndsAt()), r.revokeMessage()));
    }

    private static String iso(java.time.Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private Person person(Authentication authentication, HttpServletRequest http) {
        return Person.of(authentication, http, groupsClaim);
    }
}
