package io.eksaccess.console.awsauth;

import io.eksaccess.console.awsauth.goyaml.GoStrings;
import java.util.List;

/**
 * A {@code mapRoles} entry the authenticator keeps. Exactly one of {@code roleArn} (non-empty) and
 * {@code sso} is set. {@code index} is the entry's position in the section's YAML list.
 */
public record RoleMapping(int index, SourceLines lines, String roleArn, SsoMatcher sso, String username,
        List<String> groups, String userId) {

    public RoleMapping {
        groups = List.copyOf(groups);
    }

    /** RoleMapping.Key(): the lower-cased ARN, or the SSO pattern; one mapping per key survives. */
    public String key() {
        return roleArn.isEmpty() ? ssoArnLike() : GoStrings.toLower(roleArn);
    }

    /**
     * RoleMapping.SSOArnLike(). Note the authenticator's quirk: a non-empty {@code partition}
     * leaves the pattern's partition empty ({@code arn::iam::…}), so such an entry never matches.
     */
    public String ssoArnLike() {
        if (sso == null) {
            return "";
        }
        String partition = sso.partition().isEmpty() ? "aws" : "";
        return GoStrings.toLower("arn:" + partition + ":iam::" + sso.accountId() + ":role/AWSReservedSSO_"
                + sso.permissionSetName() + "_*");
    }

    /** The ARN or SSO pattern, for people. */
    public String displayArn() {
        return roleArn.isEmpty() ? ssoArnLike() : roleArn;
    }
}
