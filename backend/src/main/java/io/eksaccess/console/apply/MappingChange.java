package io.eksaccess.console.apply;

import io.eksaccess.console.awsauth.AwsAuthEdit.RoleEntry;
import io.eksaccess.console.awsauth.AwsAuthEdit.UserEntry;

/**
 * A change to aws-auth as people mean it: "map this ARN so", "unmap that ARN". It names entries by
 * ARN (or account), never by position, so it can be planned again on whatever the ConfigMap holds
 * when it is applied (a rebase, not a stale text patch).
 */
public sealed interface MappingChange extends Change {

    /** Adds the role mapping, or replaces the one this role ARN already has. */
    record MapRole(RoleEntry entry) implements MappingChange {}

    /** Removes every entry for this role ARN (a duplicate would otherwise take over). */
    record UnmapRole(String roleArn) implements MappingChange {}

    record MapUser(UserEntry entry) implements MappingChange {}

    record UnmapUser(String userArn) implements MappingChange {}

    record MapAccount(String accountId) implements MappingChange {}

    record UnmapAccount(String accountId) implements MappingChange {}

    /** The ARN or account the change is about. */
    @Override
    default String principal() {
        if (this instanceof MapRole c) {
            return c.entry().roleArn();
        } else if (this instanceof UnmapRole c) {
            return c.roleArn();
        } else if (this instanceof MapUser c) {
            return c.entry().userArn();
        } else if (this instanceof UnmapUser c) {
            return c.userArn();
        } else if (this instanceof MapAccount c) {
            return c.accountId();
        }
        return ((UnmapAccount) this).accountId();
    }
}
