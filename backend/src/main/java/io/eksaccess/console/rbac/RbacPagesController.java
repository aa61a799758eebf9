package io.eksaccess.console.rbac;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.AwsAuthUnreadableException;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.system.ConsoleException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A cluster's RBAC tabs, all GET (nothing changes) and all from the cached index
 * ({@link ClusterRbacIndexes}), never the API server: the bindings browser, who-can (with
 * "can this subject…?"), a subject's rules, and an IAM caller's chain through aws-auth (and, for
 * EKS clusters whose access entries are synced, through entries and access policies too, via
 * {@link IamAnswers}). Every
 * question is in the URL, so answers can be shared; an htmx request gets the results fragment.
 */
@Controller
class RbacPagesController {

    static final String BINDINGS_VIEW = "rbac/bindings";
    static final String WHO_CAN_VIEW = "rbac/who-can";
    static final String SUBJECT_VIEW = "rbac/subject";
    static final String ACCESS_FOR_VIEW = "rbac/access-for";
    /** who-can's "can this subject…?" kind for an IAM caller ARN (EKS clusters with synced access entries). */
    static final String IAM_KIND = "IAM";

    /** A question's answer, or why it cannot be asked as written. */
    record Asked<T>(T answer, String problem) {
        static <T> Asked<T> of(java.util.function.Supplier<T> question) {
            try {
                return new Asked<>(question.get(), null);
            } catch (IllegalArgumentException e) {
                return new Asked<>(null, e.getMessage());
            }
        }
    }

    /** Every binding row of a cluster as of one index: sorted once, not per page view. */
    private record BindingsTable(RbacIndex index, List<RbacPages.BindingRow> rows, List<String> namespaces) {}

    private final ClusterRepository clusters;
    private final ClusterCaches caches;
    private final ClusterRbacIndexes indexes;
    private final Map<String, BindingsTable> bindingsTables = new ConcurrentHashMap<>();
    private final ObjectProvider<IamAnswers> iamAnswers;

    RbacPagesController(ClusterRepository clusters, ClusterCaches caches, ClusterRbacIndexes indexes,
            ObjectProvider<IamAnswers> iamAnswers) {
        this.clusters = clusters;
        this.caches = caches;
        this.indexes = indexes;
        this.iamAnswers = iamAnswers;
    }

    /** The cluster's answers through access entries too, when it has them; else empty (aws-auth alone). */
    private Optional<IamAnswers.Answerer> iam(String cluster, Model model) {
        IamAnswers answers = iamAnswers.getIfAvailable();
        Optional<IamAnswers.Answerer> answerer = answers == null ? Optional.empty() : answers.forCluster(cluster);
        model.addAttribute("iamMode", answerer.map(IamAnswers.Answerer::mode).orElse(null));
        // An API-mode cluster without its entries answers through aws-auth alone: say so, never quietly.
        model.addAttribute("iamUnread", answerer.isPresent() || answers == null ? null
                : answers.unread(cluster).map(IamAnswers.Unread::notice).orElse(null));
        return answerer;
    }

    @GetMapping("/clusters/{name}/rbac")
    String showBindings(@PathVariable String name,
            @RequestParam(defaultValue = "") String subject, @RequestParam(defaultValue = "") String role,
            @RequestParam(defaultValue = "") String namespace, @RequestParam(defaultValue = "1") int page,
            @RequestHeader(name = "HX-Request", required = false) String htmx,
            @RequestHeader(name = "HX-History-Restore-Request", required = false) String historyRestore,
            Model model) {
        Optional<ClusterRbacIndexes.View> view = common(name, model);
        Optional<BindingsTable> table = view.map(this::bindingsTable);
        List<RbacPages.BindingRow> all = table.map(BindingsTable::rows).orElse(List.of());
        List<RbacPages.BindingRow> matching = RbacPages.filter(all, subject, role, namespace);
        RbacPages.Slice<RbacPages.BindingRow> slice = RbacPages.page(matching, page, RbacPages.PAGE_SIZE);
        model.addAttribute("total", all.size());
        model.addAttribute("matching", matching.size());
        model.addAttribute("slice", slice);
        model.addAttribute("rows", slice.rows());
        model.addAttribute("namespaces", table.map(BindingsTable::namespaces).orElse(List.of()));
        model.addAttribute("subject", subject);
        model.addAttribute("role", role);
        model.addAttribute("namespace", namespace);
        return partial(htmx, historyRestore) ? "rbac/fragments :: bindings" : BINDINGS_VIEW;
    }

    /**
     * The rows are rebuilt only with the index (which changes only when the cache saw an RBAC
     * change): building and sorting 20,000 rows was most of a bindings page's time.
     */
    private BindingsTable bindingsTable(ClusterRbacIndexes.View view) {
        String cluster = view.status().cluster();
        BindingsTable table = bindingsTables.get(cluster);
        if (table == null || table.index() != view.index()) {
            table = new BindingsTable(view.index(), RbacPages.bindings(view), RbacPages.namespaces(view));
            bindingsTables.keySet().removeIf(name -> caches.cache(name).isEmpty()); // clusters removed since
            bindingsTables.put(cluster, table);
        }
        return table;
    }

    @GetMapping("/clusters/{name}/who-can")
    String showWhoCan(@PathVariable String name,
            @RequestParam(defaultValue = "") String verb, @RequestParam(defaultValue = "") String resource,
            @RequestParam(defaultValue = "") String apiGroup, @RequestParam(defaultValue = "") String namespace,
            @RequestParam(name = "name", defaultValue = "") String objectName,
            @RequestParam(defaultValue = "") String nonResourceURL,
            @RequestParam(defaultValue = "") String subjectKind, @RequestParam(defaultValue = "") String subjectName,
            @RequestHeader(name = "HX-Request", required = false) String htmx,
            @RequestHeader(name = "HX-History-Restore-Request", required = false) String historyRestore,
            Model model) {
        Optional<ClusterRbacIndexes.View> view = common(name, model);
        Optional<IamAnswers.Answerer> iam = view.isPresent() ? iam(name, model) : Optional.empty();
        model.addAttribute("q", Map.of("verb", verb, "resource", resource, "apiGroup", apiGroup, "namespace", namespace,
                "name", objectName, "nonResourceURL", nonResourceURL, "subjectKind", subjectKind, "subjectName", subjectName));
        boolean asked = !verb.isBlank() || !resource.isBlank() || !nonResourceURL.isBlank();
        model.addAttribute("asked", asked);
        if (view.isPresent() && asked) {
            RbacIndex index = view.get().index();
            Asked<AccessRequest> request = Asked.of(
                    () -> RbacQuestions.request(verb, resource, apiGroup, namespace, objectName, nonResourceURL));
            model.addAttribute("problem", request.problem());
            if (request.answer() != null) {
                // "deployments" without its group asks about the core group: say so, and offer the question meant.
                RbacQuestions.likelyGroup(request.answer()).ifPresent(group -> {
                    UriComponentsBuilder link = UriComponentsBuilder.fromPath("/clusters/{name}/who-can");
                    Map<String, String> meant = new LinkedHashMap<>();
                    meant.put("verb", verb);
                    meant.put("resource", resource);
                    meant.put("apiGroup", group);
                    meant.put("namespace", namespace);
                    meant.put("name", objectName);
                    meant.put("subjectKind", subjectKind);
                    meant.put("subjectName", subjectName);
                    meant.forEach((key, value) -> {
                        if (!value.isBlank()) {
                            link.queryParam(key, value.trim());
                        }
                    });
                    model.addAttribute("likelyGroup", group);
                    model.addAttribute("likelyGroupLink", link.encode().buildAndExpand(name).toUriString());
                });
                WhoCanAnswer answer = index.whoCan(request.answer());
                model.addAttribute("rows", RbacPages.whoCan(index, answer, request.answer()));
                model.addAttribute("bindings", answer.bindings());
                iam.ifPresent(answerer -> model.addAttribute("iamPrincipals", answerer.whoCan(request.answer(), answer)));
                if (!subjectName.isBlank() && subjectKind.equals(IAM_KIND) && iam.isPresent()) {
                    Asked<IamAnswers.CanI> decision = Asked.of(
                            () -> iam.get().canI(subjectName.trim(), request.answer(), index));
                    model.addAttribute("canProblem", decision.problem());
                    model.addAttribute("iamDecision", decision.answer());
                    model.addAttribute("iamCaller", subjectName.trim());
                } else if (!subjectName.isBlank()) {
                    Asked<Subject> subject = Asked.of(() -> RbacQuestions.subject(
                            subjectKind.equals(Subject.USER) || subjectKind.isEmpty() ? subjectName : null,
                            subjectKind.equals(Subject.GROUP) ? subjectName : null,
                            subjectKind.equals(Subject.SERVICE_ACCOUNT) ? subjectName : null));
                    model.addAttribute("canProblem", subject.problem());
                    if (subject.answer() != null) {
                        model.addAttribute("canSubject", subject.answer());
                        model.addAttribute("decision", index.canI(Identity.of(subject.answer()), request.answer()));
                    }
                }
            }
        }
        return partial(htmx, historyRestore) ? "rbac/fragments :: whoCan" : WHO_CAN_VIEW;
    }

    @GetMapping("/clusters/{name}/subject")
    String showSubject(@PathVariable String name,
            @RequestParam(defaultValue = "") String user, @RequestParam(defaultValue = "") String group,
            @RequestParam(defaultValue = "") String serviceAccount, Model model) {
        Optional<ClusterRbacIndexes.View> view = common(name, model);
        Asked<Subject> subject = Asked.of(() -> RbacQuestions.subject(user, group, serviceAccount));
        model.addAttribute("problem", subject.problem());
        model.addAttribute("subject", subject.answer());
        if (view.isPresent() && subject.answer() != null) {
            Identity identity = Identity.of(subject.answer());
            model.addAttribute("identity", identity);
            model.addAttribute("scopes", RbacPages.scopes(view.get().index().rulesFor(identity)));
            // The other path: access policies of the IAM principals whose identity this subject is.
            iam(name, model).ifPresent(answerer -> model.addAttribute("subjectPolicies", answerer.policiesOf(subject.answer())));
        }
        return SUBJECT_VIEW;
    }

    @GetMapping("/clusters/{name}/access-for")
    String showAccessFor(@PathVariable String name, @RequestParam(defaultValue = "") String arn,
            @RequestHeader(name = "HX-Request", required = false) String htmx,
            @RequestHeader(name = "HX-History-Restore-Request", required = false) String historyRestore,
            Model model) {
        Optional<ClusterRbacIndexes.View> view = common(name, model);
        model.addAttribute("arn", arn.trim());
        Optional<IamAnswers.Answerer> iam = view.isPresent() ? iam(name, model) : Optional.empty();
        if (iam.isPresent()) {
            // An EKS cluster whose entries are synced: the entry or aws-auth mapping the mode picks, RBAC and access policies.
            if (!arn.isBlank()) {
                Asked<IamAnswers.Chain> chain = Asked.of(() -> iam.get().accessFor(arn.trim(), view.get().index()));
                model.addAttribute("problem", chain.problem());
                model.addAttribute("iamChain", chain.answer());
                if (chain.answer() != null) {
                    model.addAttribute("trace", AccessTrace.of(name, chain.answer()));
                }
                if (chain.answer() != null && chain.answer().identity() != null) {
                    model.addAttribute("scopes", RbacPages.scopes(chain.answer().rules()));
                }
            }
            return partial(htmx, historyRestore) ? "rbac/fragments :: accessFor" : ACCESS_FOR_VIEW;
        }
        Optional<ConfigMap> awsAuth = view.flatMap(v -> v.snapshot().awsAuth());
        model.addAttribute("awsAuthPresent", awsAuth.isPresent());
        if (view.isPresent() && awsAuth.isPresent() && !arn.isBlank()) {
            AwsAuthConfig config;
            try {
                config = AwsAuthParser.read(awsAuth.get().getData() == null ? Map.of() : awsAuth.get().getData());
            } catch (AwsAuthUnreadableException e) {
                model.addAttribute("unreadable", e.getMessage());
                return partial(htmx, historyRestore) ? "rbac/fragments :: accessFor" : ACCESS_FOR_VIEW;
            }
            Asked<EffectiveAccess.Chain> chain = Asked.of(() -> EffectiveAccess.of(config, arn.trim(), view.get().index()));
            model.addAttribute("problem", chain.problem());
            model.addAttribute("chain", chain.answer());
            if (chain.answer() != null) {
                model.addAttribute("trace", AccessTrace.of(name, chain.answer()));
            }
            if (chain.answer() != null && chain.answer().identity() != null) {
                model.addAttribute("scopes", RbacPages.scopes(chain.answer().rules()));
            }
        }
        return partial(htmx, historyRestore) ? "rbac/fragments :: accessFor" : ACCESS_FOR_VIEW;
    }

    /** The cluster (404 when unknown), its status and, once read, its index. */
    private Optional<ClusterRbacIndexes.View> common(String name, Model model) {
        Cluster cluster = clusters.findByName(name)
                .orElseThrow(() -> ConsoleException.notFound("error.cluster.no-cluster", name));
        Optional<ClusterRbacIndexes.View> view = indexes.view(name);
        model.addAttribute("cluster", cluster);
        model.addAttribute("status", view.map(ClusterRbacIndexes.View::status).orElseGet(() -> caches.statusOf(cluster)));
        model.addAttribute("hasData", view.isPresent());
        model.addAttribute("partial", false);
        return view;
    }

    private static boolean partial(String htmx, String historyRestore) {
        return htmx != null && historyRestore == null;
    }
}
