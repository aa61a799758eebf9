package io.eksaccess.console.accessentry;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.RoleMapping;
import io.eksaccess.console.awsauth.UserMapping;
import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.Decision;
import io.eksaccess.console.rbac.RbacIndex;
import io.eksaccess.console.rbac.Subject;
import io.eksaccess.console.rbac.WhoCanAnswer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's answer for IAM callers on an EKS cluster: the superuser group, then RBAC (the
 * console's {@link RbacIndex}) on the caller's username and groups, then the EKS authorizer's
 * access policies of the caller's entry, each within its scope. Each only allows or passes, so a
 * caller may do what any of them allows.
 */
public final class IamAuthorizer {

    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{(AccountID|SessionName|SessionNameRaw|EC2PrivateDNSName|AccessKeyID)}}");

    private IamAuthorizer() {}

    /** can-i for a resolved caller. */
    public static IamDecision canI(IamIdentity who, AccessRequest request, RbacIndex index) {
        if (!who.mapped()) {
            return new IamDecision(false, notMappedReason(who.mode()), null, null, null, null);
        }
        Decision rbac = index.canI(who.identity(), request);
        if (rbac.allowed()) {
            String via = rbac.binding() == null ? IamDecision.SUPERUSER : IamDecision.RBAC;
            return new IamDecision(true, rbac.reason(), who.identity(), via, rbac.binding(), null);
        }
        List<String> unmodelled = new ArrayList<>();
        for (AssociatedAccessPolicy policy : who.accessPolicies()) {
            if (!AccessPolicyTable.modelled(policy.policyArn())) {
                unmodelled.add(policy.policyName());
            } else if (AccessPolicyTable.allows(policy, request)) {
                return new IamDecision(true, "allowed by access policy " + policy.policyName() + ", "
                        + policy.accessScope().describe(), who.identity(), IamDecision.ACCESS_POLICY, null, policy);
            }
        }
        String reason = rbac.reason();
        if (who.source() == IamIdentity.Source.ACCESS_ENTRY) {
            reason += who.accessPolicies().isEmpty() ? "; the access entry has no access policies"
                    : "; no associated access policy allows it";
        }
        if (!unmodelled.isEmpty()) {
            reason += " (not modelled, so not counted: " + String.join(", ", unmodelled) + ")";
        }
        return new IamDecision(false, reason, who.identity(), null, null, null);
    }

    static String notMappedReason(AuthenticationMode mode) {
        return switch (mode) {
            case CONFIG_MAP -> "not mapped: no aws-auth mapping matches this caller, so the authenticator refuses it";
            case API_AND_CONFIG_MAP -> "not mapped: neither an access entry nor an aws-auth mapping matches this"
                    + " caller, so the authenticator refuses it";
            case API -> "not mapped: no access entry matches this caller (aws-auth is ignored in API mode), so the"
                    + " authenticator refuses it";
        };
    }

    /**
     * who-can's IAM principals: every role and user ARN, as written in its aws-auth mapping or access
     * entry, whose identity the request is allowed for, sorted by ARN. aws-auth mappings count only
     * where the mode reads aws-auth and no entry overrides them; a role mapping whose ARN carries a
     * path never matches a caller (the authenticator compares path-less ARNs) and is left out, as
     * are {@code sso} patterns (off by default) and {@code mapAccounts}.
     *
     * @param rbac {@code index.whoCan(request)}, the subjects RBAC allows
     */
    public static List<IamPrincipal> whoCan(AccessRequest request, WhoCanAnswer rbac, AuthenticationMode mode,
            List<AccessEntry> entries, AwsAuthConfig awsAuth) {
        RbacGrantees grantees = new RbacGrantees(rbac, request);
        List<IamPrincipal> result = new ArrayList<>();
        if (awsAuth != null && mode.readsAwsAuth()) {
            Map<String, RoleMapping> roles = new LinkedHashMap<>();
            awsAuth.roles().forEach(role -> roles.put(role.key(), role));
            for (RoleMapping role : roles.values()) {
                PrincipalArn principal = PrincipalArn.parse(role.roleArn());
                if (role.roleArn().isEmpty() || principal == null || !principal.path().equals("/")
                        || overridden(principal, mode, entries)) {
                    continue;
                }
                add(result, role.roleArn(), IamIdentity.Source.AWS_AUTH, grant(grantees, role.username(),
                        role.groups(), principal, List.of(), request));
            }
            Map<String, UserMapping> users = new LinkedHashMap<>();
            awsAuth.users().forEach(user -> users.put(user.key(), user));
            for (UserMapping user : users.values()) {
                PrincipalArn principal = PrincipalArn.parse(user.userArn());
                if (principal == null || overridden(principal, mode, entries)) {
                    continue;
                }
                add(result, user.userArn(), IamIdentity.Source.AWS_AUTH, grant(grantees, user.username(),
                        user.groups(), principal, List.of(), request));
            }
        }
        if (mode.readsAccessEntries()) {
            for (AccessEntry entry : entries) {
                add(result, entry.principalArn(), IamIdentity.Source.ACCESS_ENTRY, grant(grantees,
                        entry.effectiveUsername(), entry.effectiveGroups(), entry.principal(),
                        entry.associatedAccessPolicies(), request));
            }
        }
        result.sort(Comparator.comparing(IamPrincipal::arn).thenComparing(IamPrincipal::source));
        return result;
    }

    private static boolean overridden(PrincipalArn principal, AuthenticationMode mode, List<AccessEntry> entries) {
        return mode == AuthenticationMode.API_AND_CONFIG_MAP && IamResolver.entryOf(entries, principal) != null;
    }

    private static void add(List<IamPrincipal> into, String arn, IamIdentity.Source source, String grant) {
        if (grant != null) {
            into.add(new IamPrincipal(arn, source.json(), grant));
        }
    }

    /** The first of superuser, RBAC and access policy that allows, or null. */
    private static String grant(RbacGrantees grantees, String username, List<String> groups, PrincipalArn principal,
            List<AssociatedAccessPolicy> policies, AccessRequest request) {
        if (groups.contains(Subject.MASTERS)) {
            return IamDecision.SUPERUSER;
        }
        // A user has no session: the authenticator renders its session templates as "".
        String template = principal.isRole() ? username
                : username.replace("{{SessionNameRaw}}", "").replace("{{SessionName}}", "");
        if (grantees.allows(template, IamResolver.withAuthenticated(groups), principal.account())) {
            return IamDecision.RBAC;
        }
        for (AssociatedAccessPolicy policy : policies) {
            if (policy.accessScope().covers(request) && grantees.policyAllows(policy.policyArn())) {
                return IamDecision.ACCESS_POLICY;
            }
        }
        return null;
    }

    /**
     * The identities RBAC allows, from who-can's subjects: an identity is allowed exactly when one
     * of the subjects that apply to it is (RBAC grants per subject). A username with session
     * templates stands for every session: it is allowed when some allowed User or ServiceAccount
     * username fits the template.
     */
    private static final class RbacGrantees {
        // Sorted: a template is matched only against the usernames that start with its literal
        // prefix (an entry's default username is its role's assumed-role ARN), not all of them.
        private final java.util.NavigableSet<String> usernames = new java.util.TreeSet<>();
        private final Set<String> groups = new HashSet<>();

        // Thousands of entries share a handful of policies: each policy's rules are matched once per question.
        private final Map<String, Boolean> policyAllows = new java.util.HashMap<>();
        private final AccessRequest request;

        boolean policyAllows(String policyArn) {
            return policyAllows.computeIfAbsent(policyArn, arn -> AccessPolicyTable.rulesAllow(arn, request));
        }

        RbacGrantees(WhoCanAnswer answer, AccessRequest request) {
            this.request = request;
            for (Subject subject : answer.subjects()) {
                switch (subject.kind()) {
                    case Subject.USER -> usernames.add(subject.name());
                    case Subject.GROUP -> groups.add(subject.name());
                    default -> usernames.add(Subject.serviceAccountUsername(subject.namespace(), subject.name()));
                }
            }
        }

        boolean allows(String usernameTemplate, List<String> identityGroups, String account) {
            for (String group : identityGroups) {
                if (groups.contains(group)) {
                    return true;
                }
            }
            String username = usernameTemplate.replace("{{AccountID}}", account);
            if (!TEMPLATE.matcher(username).find()) {
                return usernames.contains(username);
            }
            Matcher first = TEMPLATE.matcher(username);
            first.find();
            String prefix = username.substring(0, first.start());
            java.util.SortedSet<String> candidates = prefix.isEmpty() ? usernames
                    : usernames.subSet(prefix, true, prefix + Character.MAX_VALUE, true);
            if (candidates.isEmpty()) {
                return false;
            }
            Pattern pattern = templatePattern(username);
            for (String candidate : candidates) {
                if (pattern.matcher(candidate).matches()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A rendered username's possible values: session names are IAM's [\w+=,.@-]{2,64} ("@" becomes "-" in {{SessionName}}). */
    static Pattern templatePattern(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher matcher = TEMPLATE.matcher(template);
        int last = 0;
        while (matcher.find()) {
            regex.append(Pattern.quote(template.substring(last, matcher.start())));
            regex.append(switch (matcher.group(1)) {
                case "SessionName" -> "[\\w+=,.-]{2,64}";
                case "SessionNameRaw" -> "[\\w+=,.@-]{2,64}";
                default -> ".+";
            });
            last = matcher.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return Pattern.compile(regex.toString());
    }
}
