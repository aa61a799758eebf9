package io.eksaccess.console.awsauth;

/** The {@code sso} form of a role mapping: matches IAM Identity Center roles of a permission set. */
public record SsoMatcher(String permissionSetName, String accountId, String partition) {

    public SsoMatcher {
        permissionSetName = permissionSetName == null ? "" : permissionSetName;
        accountId = accountId == null ? "" : accountId;
        partition = partition == null ? "" : partition;
    }
}
