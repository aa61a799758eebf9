package io.eksaccess.console.accessentry;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.Decision;
import io.eksaccess.console.rbac.RbacIndex;
import io.eksaccess.console.rbac.WhoCanAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's answer for IAM callers on an EKS cluster: the superuser group, then RBAC (the
 * console's {@link RbacIndex}) on the caller's username and groups, then the EKS authorizer's
 * access policies of the caller's entry, each within its scope. Each only allows or passes, so a
 * caller may do what any of them allows.
 */
public final class IamAuthorizer {

    static final Pattern TEMPLATE = Pattern.compile("\\{\\{(AccountID|SessionName|SessionNameRaw|EC2PrivateDNSName|AccessKeyID)}}");

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
     * are {@code sso} patterns (off by default) and {@code mapAccounts}. For one question; the
     * pages ask a prebuilt {@link IamAccessIndex}.
     *
     * @param rbac {@code index.whoCan(request)}, the subjects RBAC allows
     */
    public static List<IamPrincipal> whoCan(AccessRequest request, WhoCanAnswer rbac, AuthenticationMode mode,
            List<AccessEntry> entries, AwsAuthConfig awsAuth) {
        return IamAccessIndex.of(mode, entries, awsAuth).whoCan(request, rbac);
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
