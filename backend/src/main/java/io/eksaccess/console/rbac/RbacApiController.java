package io.eksaccess.console.rbac;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.EntryError;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.ClusterStatus;
import io.eksaccess.console.cluster.cache.SyncState;
import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.system.InvalidInput;
import io.eksaccess.console.system.Sentence;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The RBAC questions as JSON, answered from the cluster's cached view (never the API server),
 * in the CLI's {@code --json} shapes ({@link RbacJson}) plus {@code "cache"}: how current the
 * answer is (a stale cluster still answers, marked stale with its age, DESIGN invariant 9).
 */
@RestController
@RequestMapping("/api/v1/clusters/{cluster}")
class RbacApiController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ClusterRepository clusters;
    private final ClusterRbacIndexes indexes;
    private final ObjectProvider<IamAnswers> iamAnswers;

    RbacApiController(ClusterRepository clusters, ClusterRbacIndexes indexes, ObjectProvider<IamAnswers> iamAnswers) {
        this.clusters = clusters;
        this.indexes = indexes;
        this.iamAnswers = iamAnswers;
    }

    /** The cluster's answers through access entries too (EKS, entries synced), else empty: aws-auth alone. */
    private Optional<IamAnswers.Answerer> iam(String cluster) {
        IamAnswers answers = iamAnswers.getIfAvailable();
        return answers == null ? Optional.empty() : answers.forCluster(cluster);
    }

    /** The notice when the cluster's entries should be read but are not (its answers are aws-auth's alone), else null. */
    private String unread(String cluster) {
        IamAnswers answers = iamAnswers.getIfAvailable();
        return answers == null ? null : answers.unread(cluster).map(IamAnswers.Unread::notice).orElse(null);
    }

    /**
     * who-can's answer written straight from records, in {@link RbacJson#whoCan}'s shape plus
     * {@code "cache"}: at 5,000 roles an answer names hundreds of subjects and bindings, and
     * building a JSON tree of them first cost more than finding them.
     */
    /** {@code iamPrincipals} only for EKS clusters whose access entries are synced (as the CLI with {@code --access-entries}). */
    /** {@code partial}: why the answer covers aws-auth and RBAC only (an API-mode cluster's entries not read). */
    /** {@code likelyGroup}: the page's "did you mean the apps group" hint, for "deployments" asked in the core group. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record WhoCanBody(List<SubjectBody> subjects, List<BindingBody> bindings, List<IamAnswers.Principal> iamPrincipals,
            String partial, CacheBody cache, RbacQuestions.GroupHint likelyGroup) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SubjectBody(String kind, String name, String namespace) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BindingBody(String kind, String name, String namespace, RoleRefBody roleRef) {}

    record RoleRefBody(String kind, String name) {}

    record CacheBody(String state, boolean stale, String lastSyncedAt, long ageSeconds, String reason) {

        static CacheBody of(ClusterStatus status) {
            return new CacheBody(status.state().name(), status.state() != SyncState.LIVE,
                    status.lastSyncedAt() == null ? null : status.lastSyncedAt().toString(), status.age().toSeconds(),
                    status.reason());
        }
    }

    @GetMapping("/who-can")
    WhoCanBody whoCan(@PathVariable String cluster, @RequestParam(required = false) String verb,
            @RequestParam(required = false) String resource, @RequestParam(required = false) String apiGroup,
            @RequestParam(required = false) String namespace, @RequestParam(required = false) String name,
            @RequestParam(required = false) String nonResourceURL) {
        ClusterRbacIndexes.View view = view(cluster);
        AccessRequest request = question(() -> RbacQuestions.request(verb, resource, apiGroup, namespace, name, nonResourceURL));
        WhoCanAnswer answer = view.index().whoCan(request);
        List<SubjectBody> subjects = new ArrayList<>(answer.subjects().size());
        for (Subject subject : answer.subjects()) {
            subjects.add(new SubjectBody(subject.kind(), subject.name(), subject.namespace()));
        }
        List<BindingBody> bindings = new ArrayList<>(answer.bindings().size());
        for (BindingRef binding : answer.bindings()) {
            bindings.add(new BindingBody(binding.kind(), binding.name(), binding.namespace(),
                    new RoleRefBody(binding.roleKind(), binding.roleName())));
        }
        List<IamAnswers.Principal> principals = iam(cluster).map(answerer -> answerer.whoCan(request, answer)).orElse(null);
        return new WhoCanBody(subjects, bindings, principals, principals == null ? unread(cluster) : null,
                CacheBody.of(view.status()), RbacQuestions.groupHint(request).orElse(null));
    }

    @GetMapping("/can-i")
    ObjectNode canI(@PathVariable String cluster, @RequestParam(required = false) String user,
            @RequestParam(name = "group", required = false) List<String> groups,
            @RequestParam(required = false) String verb, @RequestParam(required = false) String resource,
            @RequestParam(required = false) String apiGroup, @RequestParam(required = false) String namespace,
            @RequestParam(required = false) String name, @RequestParam(required = false) String nonResourceURL,
            @RequestParam(required = false) String arn) {
        ClusterRbacIndexes.View view = view(cluster);
        if (!RbacQuestions.blank(arn)) {
            if (!RbacQuestions.blank(user) || (groups != null && !groups.isEmpty())) {
                throw ConsoleException.invalid("error.api.arn-or-user");
            }
            IamAnswers.Answerer iam = iam(cluster).orElseThrow(() -> ConsoleException.invalid("error.api.can-i-arn",
                    cluster, Optional.ofNullable(unread(cluster)).map(notice -> " " + notice).orElse("")));
            AccessRequest request = question(
                    () -> RbacQuestions.request(verb, resource, apiGroup, namespace, name, nonResourceURL));
            return withCache(question(() -> iam.canIJson(arn.trim(), request, view.index())), view.status());
        }
        if (RbacQuestions.blank(user) && (groups == null || groups.isEmpty())) {
            throw ConsoleException.invalid("error.api.can-i-subject");
        }
        AccessRequest request = question(() -> RbacQuestions.request(verb, resource, apiGroup, namespace, name, nonResourceURL));
        // A SubjectAccessReview may name groups without a user; the username is then empty.
        Identity identity = new Identity(user == null ? "" : user.trim(), groups == null ? List.of() : groups);
        return withCache(RbacJson.canI(view.index().canI(identity, request)), view.status());
    }

    @GetMapping("/rules-for")
    ObjectNode rulesFor(@PathVariable String cluster, @RequestParam(required = false) String user,
            @RequestParam(required = false) String group, @RequestParam(required = false) String serviceAccount) {
        ClusterRbacIndexes.View view = view(cluster);
        Subject subject = question(() -> RbacQuestions.subject(user, group, serviceAccount));
        Identity identity = Identity.of(subject);
        return withCache(RbacJson.rulesFor(subject, identity, view.index().rulesFor(identity)), view.status());
    }

    @GetMapping("/access-for")
    ObjectNode accessFor(@PathVariable String cluster, @RequestParam(required = false) String arn) {
        ClusterRbacIndexes.View view = view(cluster);
        if (RbacQuestions.blank(arn)) {
            throw ConsoleException.invalid("error.api.arn-required");
        }
        Optional<IamAnswers.Answerer> iam = iam(cluster);
        if (iam.isPresent()) {
            ObjectNode root = question(() -> iam.get().accessForJson(arn.trim(), view.index()));
            root.putArray("errors"); // the schema's; aws-auth's own errors are the Mappings tab's (and aws-auth-less clusters still answer)
            return withCache(root, view.status());
        }
        String partial = unread(cluster);
        Optional<ConfigMap> awsAuth = view.snapshot().awsAuth();
        if (awsAuth.isEmpty()) {
            throw ConsoleException.notFound("error.api.no-aws-auth", cluster, partial == null ? "" : " " + partial);
        }
        AwsAuthConfig config = AwsAuthParser.parse(
                awsAuth.get().getData() == null ? Map.of() : awsAuth.get().getData());
        EffectiveAccess.Chain chain = question(() -> EffectiveAccess.of(config, arn.trim(), view.index()));
        ObjectNode root = RbacJson.accessFor(chain);
        ArrayNode errors = root.putArray("errors");
        for (EntryError error : config.errors()) {
            ObjectNode node = errors.addObject();
            node.put("file", "aws-auth");
            node.putNull("document");
            node.put("message", error.key() + (error.index() == null ? "" : "[" + error.index() + "]") + ": "
                    + error.message());
        }
        if (partial != null) {
            root.put("partial", partial);
        }
        return withCache(root, view.status());
    }

    private ClusterRbacIndexes.View view(String cluster) {
        // A cached index means a registered cluster (caches stop when a cluster is removed), so the
        // registry is read only to tell "unknown" from "not read yet": no database trip per question.
        Optional<ClusterRbacIndexes.View> view = indexes.view(cluster);
        if (view.isPresent()) {
            return view.get();
        }
        if (clusters.findByName(cluster).isEmpty()) {
            throw ConsoleException.notFound("error.api.no-cluster", cluster);
        }
        return indexes.view(cluster).orElseThrow(() -> ConsoleException.unavailable("error.api.cluster-unread", cluster));
    }

    private static <T> T question(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidInput e) {
            throw ConsoleException.invalidBecause(e.why());
        } catch (IllegalArgumentException e) {
            // A parser without sentences of its own (none known today): its words, still a 400.
            throw ConsoleException.invalidBecause(Sentence.unkeyed(e.getMessage()));
        }
    }

    /** {@code "cache": {"state","stale","lastSyncedAt","ageSeconds","reason"}}. */
    static ObjectNode withCache(ObjectNode answer, ClusterStatus status) {
        answer.set("cache", JSON.valueToTree(CacheBody.of(status)));
        return answer;
    }
}
