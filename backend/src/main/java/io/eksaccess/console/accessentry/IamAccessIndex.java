package io.eksaccess.console.accessentry;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.CallerArn;
import io.eksaccess.console.awsauth.RoleMapping;
import io.eksaccess.console.awsauth.UserMapping;
import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.Subject;
import io.eksaccess.console.rbac.WhoCanAnswer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every IAM role and user a cluster maps (aws-auth mappings the mode reads and no entry overrides,
 * access entries), each with its identity and access policies worked out once per load or sync:
 * indexed by group, by exact username, by username-template prefix and by access policy, and by
 * principal for the caller's entry. A who-can question then only looks up the RBAC answer's
 * subjects and the policies that allow, instead of re-deriving 3,000 identities per question.
 * Immutable; answers equal {@link IamAuthorizer}'s definitions (the differential tests hold both).
 */
public final class IamAccessIndex {

    private static final byte NONE = 0;
    private static final byte SUPERUSER = 1;
    private static final byte RBAC = 2;
    private static final byte ACCESS_POLICY = 3;

    /** One mapped principal: its ARN as written, its source, and its entry (null for aws-auth). */
    private record Candidate(String arn, IamIdentity.Source source, AccessEntry entry) {}

    /** A username with session templates: its literal prefix and the pattern of every rendering. */
    private record Template(int candidate, Pattern pattern) {}

    /** One association of a policy: whose it is and where it applies. */
    private record Scoped(int candidate, AccessScope scope) {}

    private final AuthenticationMode mode;
    private final List<AccessEntry> entries;
    private final AwsAuthConfig awsAuth;
    // Candidates in answer order (ARN, then source), so an answer needs no sort.
    private final Candidate[] candidates;
    private final int[] superusers;
    private final Map<String, int[]> byGroup;
    private final Map<String, int[]> byUsername;
    private final Map<String, List<Template>> templatesByPrefix;
    private final int[] prefixLengths;
    private final Map<String, List<Scoped>> byPolicy;
    private final Map<String, AccessEntry> entryByPrincipal;

    private IamAccessIndex(AuthenticationMode mode, List<AccessEntry> entries, AwsAuthConfig awsAuth) {
        this.mode = mode;
        this.entries = List.copyOf(entries);
        this.awsAuth = awsAuth;
        this.entryByPrincipal = new HashMap<>();
        for (AccessEntry entry : this.entries) {
            PrincipalArn principal = entry.principal();
            if (principal != null) {
                entryByPrincipal.putIfAbsent(key(principal), entry); // one entry per principal; the first as before
            }
        }
        List<Mapped> mapped = mapped();
        mapped.sort(Comparator.comparing((Mapped m) -> m.candidate.arn()).thenComparing(m -> m.candidate.source()));
        candidates = new Candidate[mapped.size()];
        List<Integer> masters = new ArrayList<>();
        Map<String, List<Integer>> groups = new HashMap<>();
        Map<String, List<Integer>> usernames = new HashMap<>();
        Map<String, List<Template>> templates = new HashMap<>();
        Map<String, List<Scoped>> policies = new HashMap<>();
        for (int i = 0; i < mapped.size(); i++) {
            Mapped m = mapped.get(i);
            candidates[i] = m.candidate;
            if (m.groups.contains(Subject.MASTERS)) {
                masters.add(i);
            }
            for (String group : IamResolver.withAuthenticated(m.groups)) {
                groups.computeIfAbsent(group, g -> new ArrayList<>()).add(i);
            }
            // A user has no session: the authenticator renders its session templates as "".
            String username = (m.principal.isRole() ? m.username
                    : m.username.replace("{{SessionNameRaw}}", "").replace("{{SessionName}}", ""))
                    .replace("{{AccountID}}", m.principal.account());
            Matcher first = IamAuthorizer.TEMPLATE.matcher(username);
            if (first.find()) {
                templates.computeIfAbsent(username.substring(0, first.start()), p -> new ArrayList<>())
                        .add(new Template(i, IamAuthorizer.templatePattern(username)));
            } else {
                usernames.computeIfAbsent(username, u -> new ArrayList<>()).add(i);
            }
            for (AssociatedAccessPolicy policy : m.policies) {
                policies.computeIfAbsent(policy.policyArn(), p -> new ArrayList<>()).add(new Scoped(i, policy.accessScope()));
            }
        }
        superusers = masters.stream().mapToInt(Integer::intValue).toArray();
        byGroup = arrays(groups);
        byUsername = arrays(usernames);
        templatesByPrefix = Map.copyOf(templates);
        prefixLengths = templates.keySet().stream().mapToInt(String::length).distinct().sorted().toArray();
        byPolicy = Map.copyOf(policies);
    }

    /** The index of one load or sync: the mode, its access entries and the aws-auth (null when not known). */
    public static IamAccessIndex of(AuthenticationMode mode, List<AccessEntry> entries, AwsAuthConfig awsAuth) {
        return new IamAccessIndex(mode, entries, awsAuth);
    }

    public AuthenticationMode mode() {
        return mode;
    }

    public List<AccessEntry> entries() {
        return entries;
    }

    /** The aws-auth the index was built from, or null. */
    public AwsAuthConfig awsAuth() {
        return awsAuth;
    }

    /** {@link IamResolver#resolve} with the caller's entry found by principal, not by a scan. */
    public IamIdentity resolve(String callerArn) {
        return IamResolver.resolve(mode, entries, this::entryFor, awsAuth, callerArn);
    }

    /** The entry of the caller's IAM principal, as {@link IamResolver#entryFor}. */
    AccessEntry entryFor(CallerArn caller) {
        PrincipalArn principal = switch (caller.type()) {
            case ROLE, USER -> PrincipalArn.parse(caller.arn());
            case ASSUMED_ROLE -> PrincipalArn.parse(caller.canonicalArn());
            default -> null;
        };
        return principal == null ? null : entryByPrincipal.get(key(principal));
    }

    /**
     * who-can's IAM principals ({@link IamAuthorizer#whoCan}): each mapped principal whose identity
     * the request is allowed for, with the first grant of superuser, RBAC and access policy.
     *
     * @param rbac {@code index.whoCan(request)}, the subjects RBAC allows
     */
    public List<IamPrincipal> whoCan(AccessRequest request, WhoCanAnswer rbac) {
        byte[] grants = new byte[candidates.length];
        for (int i : superusers) {
            grants[i] = SUPERUSER;
        }
        List<String> usernames = new ArrayList<>();
        for (Subject subject : rbac.subjects()) {
            switch (subject.kind()) {
                case Subject.USER -> usernames.add(subject.name());
                case Subject.GROUP -> grant(grants, byGroup.get(subject.name()), RBAC);
                default -> usernames.add(Subject.serviceAccountUsername(subject.namespace(), subject.name()));
            }
        }
        for (String username : usernames) {
            grant(grants, byUsername.get(username), RBAC);
            markTemplateMatches(username, grants, RBAC);
        }
        for (Map.Entry<String, List<Scoped>> policy : byPolicy.entrySet()) {
            if (!AccessPolicyTable.rulesAllow(policy.getKey(), request)) {
                continue;
            }
            for (Scoped scoped : policy.getValue()) {
                if (grants[scoped.candidate] == NONE && scoped.scope.covers(request)) {
                    grants[scoped.candidate] = ACCESS_POLICY;
                }
            }
        }
        List<IamPrincipal> result = new ArrayList<>();
        for (int i = 0; i < candidates.length; i++) {
            if (grants[i] != NONE) {
                result.add(new IamPrincipal(candidates[i].arn(), candidates[i].source().json(), switch (grants[i]) {
                    case SUPERUSER -> IamDecision.SUPERUSER;
                    case RBAC -> IamDecision.RBAC;
                    default -> IamDecision.ACCESS_POLICY;
                }));
            }
        }
        return result;
    }

    /** Marks the ungranted candidates whose username template renders to {@code username}. */
    private void markTemplateMatches(String username, byte[] grants, byte grant) {
        for (int length : prefixLengths) {
            if (length > username.length()) {
                break;
            }
            List<Template> templates = templatesByPrefix.get(username.substring(0, length));
            if (templates == null) {
                continue;
            }
            for (Template template : templates) {
                if (grants[template.candidate] == NONE && template.pattern.matcher(username).matches()) {
                    grants[template.candidate] = grant;
                }
            }
        }
    }

    /**
     * The access entries whose identity is the subject: whose username renders to {@code user} (a
     * session template stands for every session), or whose groups hold {@code group}. aws-auth
     * mappings are left out: they carry no access policies. In ARN order.
     */
    public List<AccessEntry> entriesOf(String user, String group) {
        byte[] hits = new byte[candidates.length];
        if (user != null) {
            grant(hits, byUsername.get(user), RBAC);
            markTemplateMatches(user, hits, RBAC);
        }
        if (group != null) {
            grant(hits, byGroup.get(group), RBAC);
        }
        List<AccessEntry> result = new ArrayList<>();
        for (int i = 0; i < candidates.length; i++) {
            if (hits[i] != NONE && candidates[i].entry() != null) {
                result.add(candidates[i].entry());
            }
        }
        return result;
    }

    private static void grant(byte[] grants, int[] candidates, byte grant) {
        if (candidates != null) {
            for (int i : candidates) {
                if (grants[i] == NONE) {
                    grants[i] = grant;
                }
            }
        }
    }

    /** A mapped principal with its raw username (templates unrendered), groups and policies. */
    private record Mapped(Candidate candidate, PrincipalArn principal, String username, List<String> groups,
            List<AssociatedAccessPolicy> policies) {}

    /**
     * aws-auth mappings count only where the mode reads aws-auth and no entry overrides them; a
     * role mapping whose ARN carries a path never matches a caller (the authenticator compares
     * path-less ARNs) and is left out, as are {@code sso} patterns (off by default) and
     * {@code mapAccounts}. One mapping per key survives, the last, as in the authenticator.
     */
    private List<Mapped> mapped() {
        List<Mapped> mapped = new ArrayList<>();
        if (awsAuth != null && mode.readsAwsAuth()) {
            Map<String, RoleMapping> roles = new LinkedHashMap<>();
            awsAuth.roles().forEach(role -> roles.put(role.key(), role));
            for (RoleMapping role : roles.values()) {
                PrincipalArn principal = PrincipalArn.parse(role.roleArn());
                if (role.roleArn().isEmpty() || principal == null || !principal.path().equals("/") || overridden(principal)) {
                    continue;
                }
                mapped.add(new Mapped(new Candidate(role.roleArn(), IamIdentity.Source.AWS_AUTH, null), principal, role.username(),
                        role.groups(), List.of()));
            }
            Map<String, UserMapping> users = new LinkedHashMap<>();
            awsAuth.users().forEach(user -> users.put(user.key(), user));
            for (UserMapping user : users.values()) {
                PrincipalArn principal = PrincipalArn.parse(user.userArn());
                if (principal == null || overridden(principal)) {
                    continue;
                }
                mapped.add(new Mapped(new Candidate(user.userArn(), IamIdentity.Source.AWS_AUTH, null), principal, user.username(),
                        user.groups(), List.of()));
            }
        }
        if (mode.readsAccessEntries()) {
            for (AccessEntry entry : entries) {
                PrincipalArn principal = entry.principal();
                if (principal == null) {
                    continue; // the reader refuses such entries; nothing could match one
                }
                mapped.add(new Mapped(new Candidate(entry.principalArn(), IamIdentity.Source.ACCESS_ENTRY, entry), principal,
                        entry.effectiveUsername(), entry.effectiveGroups(), entry.associatedAccessPolicies()));
            }
        }
        return mapped;
    }

    private boolean overridden(PrincipalArn principal) {
        return mode == AuthenticationMode.API_AND_CONFIG_MAP && entryByPrincipal.containsKey(key(principal));
    }

    /** What {@link PrincipalArn#samePrincipal} compares: partition, account, kind, name case-insensitively. */
    private static String key(PrincipalArn principal) {
        return principal.partition() + ':' + principal.account() + ':' + (principal.isRole() ? "role" : "user") + ':'
                + principal.name().toLowerCase(Locale.ROOT);
    }

    private static Map<String, int[]> arrays(Map<String, List<Integer>> lists) {
        Map<String, int[]> result = new HashMap<>(lists.size() * 2);
        lists.forEach((key, list) -> result.put(key, list.stream().mapToInt(Integer::intValue).toArray()));
        return result;
    }
}
