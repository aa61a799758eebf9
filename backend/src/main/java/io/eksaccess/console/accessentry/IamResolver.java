package io.eksaccess.console.accessentry;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.CallerArn;
import io.eksaccess.console.awsauth.Section;
import io.eksaccess.console.awsauth.WhoIs;
import io.eksaccess.console.rbac.Identity;
import io.eksaccess.console.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Caller ARN → access entry or aws-auth mapping → username and groups, per authentication mode
 * (ACCESS-ENTRIES.md): CONFIG_MAP reads aws-auth only; API_AND_CONFIG_MAP takes the principal's
 * entry when it has one (its aws-auth mapping is then shadowed), else aws-auth; API reads entries
 * only. An assumed-role caller matches the entry of the role of that name in its account, whatever
 * the role's path. Templates render as aws-auth renders them ({@link WhoIs#renderTemplate}).
 */
public final class IamResolver {

    private IamResolver() {}

    /**
     * @param awsAuth the aws-auth the cluster has, or null when not known
     * @throws IllegalArgumentException when the authenticator would refuse the ARN itself
     */
    public static IamIdentity resolve(AuthenticationMode mode, List<AccessEntry> entries, AwsAuthConfig awsAuth,
            String callerArn) {
        return resolve(mode, entries, caller -> entryFor(entries, caller), awsAuth, callerArn);
    }

    /** As above, with the caller's entry found by {@code entryFor} (an {@link IamAccessIndex}'s lookup). */
    static IamIdentity resolve(AuthenticationMode mode, List<AccessEntry> entries,
            Function<CallerArn, AccessEntry> entryFor, AwsAuthConfig awsAuth, String callerArn) {
        CallerArn caller = CallerArn.canonicalize(callerArn);
        List<String> notes = new ArrayList<>();
        AccessEntry entry = mode.readsAccessEntries() ? entryFor.apply(caller) : null;
        WhoIs.Answer mapping = null;
        if (awsAuth != null && mode.readsAwsAuth()) {
            mapping = WhoIs.resolve(awsAuth, callerArn, false);
        } else if (awsAuth != null) {
            notes.add("the cluster is in API mode: aws-auth is ignored");
        }
        if (!mode.readsAccessEntries() && !entries.isEmpty()) {
            notes.add("the cluster is in CONFIG_MAP mode: access entries are ignored");
        }
        if (entry != null) {
            WhoIs.Answer shadowed = mapping != null && mapping.mapped() && mapping.via() != Section.MAP_ACCOUNTS
                    ? mapping : null;
            if (shadowed != null) {
                notes.add("aws-auth " + shadowed.via().key() + "[" + shadowed.entryIndex() + "] maps the same"
                        + " principal; the access entry wins and that mapping is ignored");
            }
            String username = WhoIs.renderTemplate(entry.effectiveUsername(), caller, notes);
            List<String> groups = withAuthenticated(entry.effectiveGroups());
            for (AssociatedAccessPolicy policy : entry.associatedAccessPolicies()) {
                if (!AccessPolicyTable.modelled(policy.policyArn())) {
                    notes.add("access policy " + policy.policyArn() + " is not modelled: what it allows is not"
                            + " counted in these answers");
                }
            }
            return new IamIdentity(callerArn, mode, IamIdentity.Source.ACCESS_ENTRY, entry, null, shadowed,
                    new Identity(username, groups), notes);
        }
        if (mapping != null) {
            notes.addAll(mapping.notes());
            if (mapping.mapped()) {
                return new IamIdentity(callerArn, mode, IamIdentity.Source.AWS_AUTH, null, mapping, null,
                        new Identity(mapping.username(), withAuthenticated(mapping.groups())), notes);
            }
        }
        return new IamIdentity(callerArn, mode, null, null, null, null, null, notes);
    }

    /** The entry of the caller's IAM principal: a role (any session of it) or a user; others have none. */
    public static AccessEntry entryFor(List<AccessEntry> entries, CallerArn caller) {
        PrincipalArn principal = switch (caller.type()) {
            case ROLE, USER -> PrincipalArn.parse(caller.arn());
            case ASSUMED_ROLE -> PrincipalArn.parse(caller.canonicalArn());
            default -> null;
        };
        return principal == null ? null : entryOf(entries, principal);
    }

    /** The entry of the same IAM principal, or null. */
    static AccessEntry entryOf(List<AccessEntry> entries, PrincipalArn principal) {
        String name = principal.name();
        for (AccessEntry entry : entries) {
            // Parse only entries whose ARN ends in "/NAME" (case-insensitively): with thousands of
            // entries, parsing each one per question was most of can-i's and who-can's time.
            String arn = entry.principalArn();
            int at = arn.length() - name.length();
            if (at > 0 && arn.charAt(at - 1) == '/' && arn.regionMatches(true, at, name, 0, name.length())
                    && principal.samePrincipal(entry.principal())) {
                return entry;
            }
        }
        return null;
    }

    static List<String> withAuthenticated(List<String> groups) {
        List<String> result = new ArrayList<>(groups);
        if (!result.contains(Subject.AUTHENTICATED)) {
            result.add(Subject.AUTHENTICATED);
        }
        return result;
    }
}
