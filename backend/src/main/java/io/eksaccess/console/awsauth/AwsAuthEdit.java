package io.eksaccess.console.awsauth;

import java.util.List;

/**
 * One semantic change to aws-auth. Existing entries are named by {@code index}, their position in
 * the section's YAML list (as in {@link RoleMapping#index()}).
 */
public sealed interface AwsAuthEdit {

    /** The content of a role mapping to write: exactly one of {@code roleArn} and {@code sso}. */
    record RoleEntry(String roleArn, SsoMatcher sso, String username, List<String> groups) {
        public RoleEntry {
            groups = List.copyOf(groups);
        }
    }

    record UserEntry(String userArn, String username, List<String> groups) {
        public UserEntry {
            groups = List.copyOf(groups);
        }
    }

    record AddRole(RoleEntry entry) implements AwsAuthEdit {}

    record UpdateRole(int index, RoleEntry entry) implements AwsAuthEdit {}

    record RemoveRole(int index) implements AwsAuthEdit {}

    record AddUser(UserEntry entry) implements AwsAuthEdit {}

    record UpdateUser(int index, UserEntry entry) implements AwsAuthEdit {}

    record RemoveUser(int index) implements AwsAuthEdit {}

    record AddAccount(String accountId) implements AwsAuthEdit {}

    record RemoveAccount(int index) implements AwsAuthEdit {}
}
