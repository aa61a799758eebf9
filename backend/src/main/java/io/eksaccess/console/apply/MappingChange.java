package io.eksaccess.console.apply;

import io.eksaccess.console.awsauth.AwsAuthEdit.RoleEntry;
import io.eksaccess.console.awsauth.AwsAuthEdit.UserEntry;
import java.util.List;

/**
 * A change to aws-auth as people mean it: "map this ARN so", "unmap that ARN". It names entries by
 * ARN (or account), never by position, so it can be planned again on whatever the ConfigMap holds
 * when it is applied (a rebase, not a stale text patch).
 */
public sealed interface MappingChange extends Change {

    /**
     * What a change left a principal's mapping as, carried by its way back: taking it back (a grant's end,
     * an undo) then reverts only what that change did and is still in place, as a three-way merge against
     * the mapping as it is then; what others changed since stays, and the outcome says what and why.
     *
     * @param username null: the change left no mapping (it removed one)
     */
    record Granted(String username, List<String> groups) {
        public static final Granted NONE = new Granted(null, List.of());

        public Granted {
            groups = groups == null ? List.of() : List.copyOf(groups);
        }

        public boolean mapped() {
            return username != null;
        }
    }

    /**
     * Adds the role mapping, or replaces the one this role ARN already has.
     *
     * @param granted set on a way back (then {@code entry} is the mapping as it was before that change):
     *     see {@link Granted}; null: set the mapping to {@code entry} whatever it is now
     */
    record MapRole(RoleEntry entry, Granted granted) implements MappingChange {
        public MapRole(RoleEntry entry) {
            this(entry, null);
        }
    }

    /**
     * Removes every entry for this role ARN (a duplicate would otherwise take over).
     *
     * @param granted set on the way back of a change that created the mapping: only what that change gave
     *     goes, and the mapping stays while it carries access added since; null: the whole mapping goes
     */
    record UnmapRole(String roleArn, Granted granted) implements MappingChange {
        public UnmapRole(String roleArn) {
            this(roleArn, null);
        }
    }

    /** Like {@link MapRole}, for a user. */
    record MapUser(UserEntry entry, Granted granted) implements MappingChange {
        public MapUser(UserEntry entry) {
            this(entry, null);
        }
    }

    /** Like {@link UnmapRole}, for a user. */
    record UnmapUser(String userArn, Granted granted) implements MappingChange {
        public UnmapUser(String userArn) {
            this(userArn, null);
        }
    }

    record MapAccount(String accountId) implements MappingChange {}

    record UnmapAccount(String accountId) implements MappingChange {}

    /** The way back's record of what the change it undoes left (null: none, a plain change); role and user kinds carry it. */
    default Granted granted() {
        return null;
    }

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
