package io.eksaccess.console.migration;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AccessPolicyTable;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.accessentry.AuthenticationMode;
import io.eksaccess.console.accessentry.ClusterAccessEntries;
import io.eksaccess.console.accessentry.IamAuthorizer;
import io.eksaccess.console.accessentry.IamIdentity;
import io.eksaccess.console.accessentry.IamResolver;
import io.eksaccess.console.accessentry.PrincipalArn;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.RoleMapping;
import io.eksaccess.console.awsauth.UserMapping;
import io.eksaccess.console.awsauth.goyaml.Echo;
import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.Identity;
import io.eksaccess.console.rbac.RbacIndex;
import io.eksaccess.console.rbac.RuleGrant;
import io.eksaccess.console.rbac.Subject;
import io.eksaccess.console.system.Sentence;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Does the migration keep everyone's access? For every principal aws-auth maps, the identity and
 * the permissions after the plan is applied and the cluster switched to API (its existing entries +
 * the planned ones, aws-auth ignored) are compared with today's (the cluster's current mode:
 * CONFIG_MAP, or API_AND_CONFIG_MAP where entries already win), both computed by the engine
 * ({@link IamResolver} for the identity, {@link IamAuthorizer} — superuser, RBAC, then access
 * policies in their scopes — for each request).
 *
 * <p><b>How permissions are compared.</b> Both identities are asked the same finite set of
 * requests: every request that some rule either side holds names — the RBAC rules of both
 * identities (rules-for), the rules of the access policies of both sides' entries, and for a
 * {@code system:masters} member the superuser's {@code *} rules. A wildcard (verb, API group,
 * resource, URL suffix) is asked both as the standard verbs and as a name no rule mentions
 * ({@code any-other-verb}, {@code any-other-resource}…), named resources are asked with and without
 * their resourceNames. A RoleBinding's rule is asked in its namespace; a cluster-wide rule
 * cluster-wide and in a namespace nobody names (where nothing but cluster-wide grants apply); a
 * policy's rules also in each namespace of its scope ({@code team-*} as
 * {@code team-any-other-namespace}). A request one side allows is allowed by one of those rules
 * there, so a grant that only one side has shows up as a request answered differently. Each such
 * request is a difference; so is a changed username and a lost or gained group, except two
 * replacements EKS itself makes: {@code system:masters} replaced by AmazonEKSClusterAdminPolicy at
 * cluster scope, and {@code system:bootstrappers} not given to node entries. Those are listed as
 * accepted. Principals of {@code mapAccounts} cannot be enumerated; each such account is a difference.
 */
public final class EquivalenceCheck {

    static final String OTHER_VERB = "any-other-verb";
    static final String OTHER_GROUP = "any-other-group.invalid";
    static final String OTHER_RESOURCE = "any-other-resource";
    static final String OTHER_NAMESPACE = "any-other-namespace";
    static final String OTHER_PATH = "any-other-path";
    static final List<String> VERBS = List.of("get", "list", "watch", "create", "update", "patch", "delete",
            "deletecollection", "impersonate", "bind", "escalate", "approve", "sign", "use", OTHER_VERB);
    /** A node's session is an EC2 instance ID ({{EC2PrivateDNSName}} needs one); anyone else's any name. */
    static final String NODE_SESSION = "i-0123456789abcdef0";
    static final String SESSION = "eks-access-console-probe";
    static final int EXAMPLES = 10;

    /**
     * One mapped principal. {@code before}/{@code after} are null when not mapped; {@code lost} and
     * {@code gained} are the requests answered differently, in words.
     */
    public record PrincipalResult(String arn, String from, Identity before, Identity after, int requestsCompared,
            List<String> lost, List<String> gained, List<Sentence> differences, List<Sentence> accepted) {

        public boolean equivalent() {
            return differences.isEmpty();
        }
    }

    /**
     * {@code differences}/{@code accepted}: every principal's, each line starting with the principal; as
     * sentences (text.migration.*) the page resolves and the CLI prints with {@link Sentence#text()}.
     */
    public record Result(List<PrincipalResult> principals, List<Sentence> differences, List<Sentence> accepted) {

        public boolean equivalent() {
            return differences.isEmpty();
        }
    }

    private EquivalenceCheck() {}

    public static Result check(AwsAuthConfig awsAuth, ClusterAccessEntries current, MigrationPlan plan, RbacIndex index) {
        List<AccessEntry> after = new ArrayList<>(current.entries());
        after.addAll(plan.plannedEntries());
        List<PrincipalResult> principals = new ArrayList<>();
        List<Sentence> differences = new ArrayList<>();
        List<Sentence> accepted = new ArrayList<>();
        Map<String, RoleMapping> roles = new LinkedHashMap<>();
        awsAuth.roles().forEach(role -> roles.put(role.key(), role));
        Map<String, UserMapping> users = new LinkedHashMap<>();
        awsAuth.users().forEach(user -> users.put(user.key(), user));
        for (RoleMapping role : roles.values()) {
            PrincipalArn principal = PrincipalArn.parse(role.roleArn());
            if (role.roleArn().isEmpty() || principal == null || !principal.isRole()) {
                continue; // sso patterns and non-role ARNs: listed as unmigratable; no single caller to ask
            }
            String caller = "arn:" + principal.partition() + ":sts::" + principal.account() + ":assumed-role/"
                    + principal.name() + "/" + (role.username().contains("{{EC2PrivateDNSName}}") ? NODE_SESSION : SESSION);
            compare(role.roleArn(), "mapRoles[" + role.index() + "]", caller, awsAuth, current, after, index, principals);
        }
        for (UserMapping user : users.values()) {
            if (PrincipalArn.parse(user.userArn()) != null) {
                compare(user.userArn(), "mapUsers[" + user.index() + "]", user.userArn(), awsAuth, current, after, index,
                        principals);
            }
        }
        for (PrincipalResult result : principals) {
            String arn = Echo.of(result.arn());
            result.differences().forEach(d -> differences.add(Sentence.of("text.migration.of", arn, result.from(), d)));
            result.accepted().forEach(a -> accepted.add(Sentence.of("text.migration.of", arn, result.from(), a)));
        }
        if (current.mode().readsAwsAuth()) {
            awsAuth.accounts().forEach(account -> differences.add(Sentence.of("text.migration.difference.account",
                    account.index(), Echo.of(account.accountId()))));
        }
        return new Result(principals, differences, accepted);
    }

    private static void compare(String arn, String from, String caller, AwsAuthConfig awsAuth,
            ClusterAccessEntries current, List<AccessEntry> afterEntries, RbacIndex index, List<PrincipalResult> into) {
        IamIdentity before;
        IamIdentity after;
        try {
            before = IamResolver.resolve(current.mode(), current.entries(), awsAuth, caller);
            after = IamResolver.resolve(AuthenticationMode.API, afterEntries, null, caller);
        } catch (IllegalArgumentException e) {
            return; // the authenticator refuses such a caller (unknown partition): nobody to compare
        }
        if (!before.mapped() && !after.mapped()) {
            return;
        }
        List<Sentence> differences = new ArrayList<>();
        List<Sentence> accepted = new ArrayList<>();
        if (!after.mapped()) {
            differences.add(Sentence.of("text.migration.difference.loses-all"));
        } else if (!before.mapped()) {
            differences.add(Sentence.of("text.migration.difference.gains-all", Echo.of(after.identity().user())));
        } else {
            identity(before, after, differences, accepted);
        }
        Set<AccessRequest> requests = probes(before, after, index);
        List<String> lost = new ArrayList<>();
        List<String> gained = new ArrayList<>();
        for (AccessRequest request : requests) {
            boolean was = IamAuthorizer.canI(before, request, index).allowed();
            boolean is = IamAuthorizer.canI(after, request, index).allowed();
            if (was && !is) {
                lost.add(describe(request));
            } else if (is && !was) {
                gained.add(describe(request));
            }
        }
        if (!lost.isEmpty() && after.mapped()) {
            differences.add(Sentence.of("text.migration.difference.lost", examples(lost), lost.size(), requests.size()));
        }
        if (!gained.isEmpty() && before.mapped()) {
            differences.add(Sentence.of("text.migration.difference.gained", examples(gained), gained.size(),
                    requests.size()));
        }
        if (differences.isEmpty() && !accepted.isEmpty()) {
            accepted.add(Sentence.of("text.migration.accepted.same-access", requests.size()));
        }
        into.add(new PrincipalResult(arn, from, before.identity(), after.identity(), requests.size(), lost, gained,
                differences, accepted));
    }

    private static void identity(IamIdentity before, IamIdentity after, List<Sentence> differences,
            List<Sentence> accepted) {
        if (!before.identity().user().equals(after.identity().user())) {
            differences.add(Sentence.of("text.migration.difference.username", Echo.of(before.identity().user()),
                    Echo.of(after.identity().user())));
        }
        AccessEntry entry = after.entry();
        for (String group : before.identity().groups()) {
            if (after.identity().groups().contains(group)) {
                continue;
            }
            if (group.equals(Subject.MASTERS) && hasClusterAdmin(entry)) {
                accepted.add(Sentence.of("text.migration.accepted.masters", Subject.MASTERS));
            } else if (group.equals(MigrationPlanner.BOOTSTRAPPERS) && !entry.type().equals(AccessEntry.STANDARD)) {
                accepted.add(Sentence.of("text.migration.accepted.node-groups", group, entry.type(),
                        String.join(", ", entry.effectiveGroups())));
            } else {
                differences.add(Sentence.of("text.migration.difference.loses-group", Echo.of(group)));
            }
        }
        for (String group : after.identity().groups()) {
            if (!before.identity().groups().contains(group)) {
                differences.add(Sentence.of("text.migration.difference.gains-group", Echo.of(group)));
            }
        }
    }

    private static boolean hasClusterAdmin(AccessEntry entry) {
        return entry != null && entry.associatedAccessPolicies().stream().anyMatch(p -> p.accessScope().isCluster()
                && AccessPolicyTable.isClusterAdmin(p.policyArn()));
    }

    /** The first {@link #EXAMPLES} requests, joined by "; " (they are kubectl-like words, not sentences). */
    private static Object examples(List<String> requests) {
        String shown = String.join("; ", requests.subList(0, Math.min(EXAMPLES, requests.size())));
        return requests.size() > EXAMPLES ? Sentence.of("text.migration.examples-more", shown, requests.size() - EXAMPLES)
                : shown;
    }

    /** The requests to ask both sides (see the class comment). */
    static Set<AccessRequest> probes(IamIdentity before, IamIdentity after, RbacIndex index) {
        // Each rule with the namespaces it is asked in: a RoleBinding's rules in its namespace; cluster-wide
        // rules cluster-wide and in a namespace nobody names (where only cluster-wide grants apply);
        // a scoped policy's rules in its scope's namespaces too.
        Map<PolicyRule, Set<String>> asked = new LinkedHashMap<>();
        List<String> anywhere = List.of("", OTHER_NAMESPACE);
        for (IamIdentity side : List.of(before, after)) {
            if (!side.mapped()) {
                continue;
            }
            for (RuleGrant grant : index.rulesFor(side.identity())) {
                Set<String> namespaces = asked.computeIfAbsent(grant.rule(), rule -> new LinkedHashSet<>());
                if (grant.namespace() == null) {
                    namespaces.addAll(anywhere);
                } else {
                    namespaces.add(grant.namespace());
                }
            }
            for (AssociatedAccessPolicy policy : side.accessPolicies()) {
                List<PolicyRule> policyRules = AccessPolicyTable.rules(policy.policyArn());
                for (PolicyRule rule : policyRules == null ? List.<PolicyRule>of() : policyRules) {
                    Set<String> namespaces = asked.computeIfAbsent(rule, r -> new LinkedHashSet<>());
                    namespaces.addAll(anywhere);
                    for (String pattern : policy.accessScope().namespaces()) {
                        namespaces.add(pattern.endsWith("*")
                                ? pattern.substring(0, pattern.length() - 1) + OTHER_NAMESPACE : pattern);
                    }
                }
            }
        }
        Set<AccessRequest> requests = new LinkedHashSet<>();
        asked.forEach((rule, namespaces) -> addRequests(rule, namespaces, requests));
        return requests;
    }

    private static void addRequests(PolicyRule rule, Set<String> namespaces, Set<AccessRequest> requests) {
        List<String> verbs = expand(rule.getVerbs(), VERBS);
        for (String url : nullToEmpty(rule.getNonResourceURLs())) {
            String path = url.endsWith("*") ? url.substring(0, url.length() - 1) + OTHER_PATH : url;
            verbs.forEach(verb -> requests.add(AccessRequest.nonResource(verb, path)));
        }
        List<String> names = new ArrayList<>(nullToEmpty(rule.getResourceNames()));
        names.add(0, "");
        for (String group : expand(rule.getApiGroups(), List.of(OTHER_GROUP))) {
            for (String resource : nullToEmpty(rule.getResources())) {
                String[] parts = resource.split("/", 2);
                String name = parts[0].equals("*") ? OTHER_RESOURCE : parts[0];
                String sub = parts.length < 2 ? "" : parts[1].equals("*") ? OTHER_RESOURCE : parts[1];
                for (String verb : verbs) {
                    for (String resourceName : names) {
                        for (String namespace : namespaces) {
                            requests.add(AccessRequest.resource(verb, group, name, sub, resourceName, namespace));
                        }
                    }
                }
            }
        }
    }

    private static List<String> expand(List<String> values, List<String> wildcard) {
        List<String> result = new ArrayList<>();
        for (String value : nullToEmpty(values)) {
            if (value.equals("*")) {
                wildcard.forEach(w -> {
                    if (!result.contains(w)) {
                        result.add(w);
                    }
                });
            } else if (!result.contains(value)) {
                result.add(value);
            }
        }
        return result;
    }

    private static List<String> nullToEmpty(List<String> values) {
        return values == null ? List.of() : values;
    }

    /** "create pods/exec in namespace team-a", "get nodes cluster-wide", "get /healthz". */
    static String describe(AccessRequest request) {
        return Echo.of(words(request));
    }

    private static String words(AccessRequest request) {
        if (!request.isResourceRequest()) {
            return request.verb() + " " + request.nonResourceUrl();
        }
        String resource = request.resource() + (request.subresource().isEmpty() ? "" : "/" + request.subresource())
                + (request.apiGroup().isEmpty() ? "" : " (" + request.apiGroup() + ")")
                + (request.name().isEmpty() ? "" : " named " + request.name());
        return request.verb() + " " + resource + (request.namespace().isEmpty() ? " cluster-wide"
                : " in namespace " + request.namespace());
    }
}
