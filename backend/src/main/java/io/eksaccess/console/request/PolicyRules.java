package io.eksaccess.console.request;

import java.util.regex.Pattern;

/**
 * What the policy editor refuses besides the number ranges in {@link ApprovalPolicies#save}: a policy
 * nobody can satisfy, or one whose lists could not be stored (V19 bounds them in the database too).
 */
final class PolicyRules {

    static final int MAX_APPROVER_GROUPS = RequestLimits.MAX_GROUPS;
    /** OIDC group names as identity providers send them: no spaces at the ends, no control characters. */
    private static final Pattern GROUP = Pattern.compile("[^\\s\\p{Cntrl}](?:[^\\p{Cntrl}]*[^\\s\\p{Cntrl}])?");

    private PolicyRules() {}

    static void check(ApprovalPolicy policy) {
        if (policy.approverGroups().size() > MAX_APPROVER_GROUPS) {
            throw RequestException.invalid("the policy names " + policy.approverGroups().size() + " approver groups;"
                    + " at most " + MAX_APPROVER_GROUPS + " are allowed");
        }
        for (String group : policy.approverGroups()) {
            if (group.length() > RequestLimits.MAX_NAME) {
                throw RequestException.invalid("the approver group '" + group.substring(0, 40) + "…' is "
                        + group.length() + " characters long; at most " + RequestLimits.MAX_NAME + " are allowed");
            }
            if (!GROUP.matcher(group).matches()) {
                throw RequestException.invalid("the approver group '" + group + "' names no group: OIDC group names"
                        + " have no control characters or spaces at the ends");
            }
        }
    }
}
