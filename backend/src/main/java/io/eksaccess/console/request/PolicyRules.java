package io.eksaccess.console.request;

import io.eksaccess.console.system.ConsoleException;
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
            throw ConsoleException.invalid("error.policy.too-many-groups", policy.approverGroups().size(),
                    MAX_APPROVER_GROUPS).onField("approverGroups");
        }
        for (String group : policy.approverGroups()) {
            if (group.length() > RequestLimits.MAX_NAME) {
                throw ConsoleException.invalid("error.policy.group-too-long", group.substring(0, 40), group.length(),
                        RequestLimits.MAX_NAME).onField("approverGroups");
            }
            if (!GROUP.matcher(group).matches()) {
                throw ConsoleException.invalid("error.policy.group-malformed", group).onField("approverGroups");
            }
        }
    }
}
