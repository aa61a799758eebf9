package io.eksaccess.console.apply;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AccessScope;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.accessentry.AuthenticationMode;
import java.util.List;

/**
 * A change to a cluster's EKS access entries, in the EKS API's terms (ACCESS-ENTRIES.md). Like a
 * {@link MappingChange} it names its entry by principal ARN, so it is planned again on what EKS
 * holds when it is applied.
 */
public sealed interface AccessEntryChange extends Change {

    /**
     * @param username null: EKS's default; only STANDARD entries take a username and groups
     * @param accessPolicies associated right after the create: the way back of a delete restores the
     *     entry with every policy it had (an ordinary create has none)
     */
    record CreateAccessEntry(String principalArn, String type, String username, List<String> kubernetesGroups,
            List<AssociatedAccessPolicy> accessPolicies) implements AccessEntryChange {
        public CreateAccessEntry {
            kubernetesGroups = kubernetesGroups == null ? List.of() : List.copyOf(kubernetesGroups);
            accessPolicies = accessPolicies == null ? List.of() : List.copyOf(accessPolicies);
        }

        public CreateAccessEntry(String principalArn, String type, String username, List<String> kubernetesGroups) {
            this(principalArn, type, username, kubernetesGroups, List.of());
        }

        @Override
        public String principal() {
            return principalArn;
        }
    }

    /** Sets both fields as given (EKS replaces the groups whole); a null username leaves it as it is. */
    record UpdateAccessEntry(String principalArn, String username, List<String> kubernetesGroups)
            implements AccessEntryChange {
        public UpdateAccessEntry {
            kubernetesGroups = kubernetesGroups == null ? List.of() : List.copyOf(kubernetesGroups);
        }

        @Override
        public String principal() {
            return principalArn;
        }
    }

    /**
     * Deletes the entry and, with it, every policy associated with it.
     *
     * @param granted set on the way back of a create: the entry as that create made it. Then only what it
     *     gave is taken back; access added to the entry since (policies, changed groups) is kept, and so is the
     *     entry that carries it. Null: the whole entry goes.
     */
    record DeleteAccessEntry(String principalArn, AccessEntry granted) implements AccessEntryChange {
        public DeleteAccessEntry(String principalArn) {
            this(principalArn, null);
        }

        @Override
        public String principal() {
            return principalArn;
        }
    }

    /**
     * Associates the policy, or replaces the scope of the association this principal already has.
     *
     * @param grantedScope set on the way back of a re-scope: the scope it gave. Only while the association
     *     still has that scope is the earlier one ({@code accessScope}) restored; re-scoped or disassociated
     *     since, it is kept as it is. Null: set to {@code accessScope} whatever it is now.
     */
    record AssociateAccessPolicy(String principalArn, String policyArn, AccessScope accessScope, AccessScope grantedScope)
            implements AccessEntryChange {
        public AssociateAccessPolicy(String principalArn, String policyArn, AccessScope accessScope) {
            this(principalArn, policyArn, accessScope, null);
        }

        @Override
        public String principal() {
            return principalArn;
        }
    }

    /**
     * @param grantedScope set on the way back of an association: the scope it gave. An association
     *     re-scoped since (by another request or outside the console) is then kept. Null: removed whatever its scope.
     */
    record DisassociateAccessPolicy(String principalArn, String policyArn, AccessScope grantedScope)
            implements AccessEntryChange {
        public DisassociateAccessPolicy(String principalArn, String policyArn) {
            this(principalArn, policyArn, null);
        }

        @Override
        public String principal() {
            return principalArn;
        }
    }

    /**
     * Several entry changes filed, reviewed and applied as one request (migration step 2): planned in
     * order, each on the state the ones before it leave; one intent whose way back is the inverse of
     * every item that changes something, in reverse order. Holds no mode change and no nested batch.
     */
    record Batch(List<AccessEntryChange> changes) implements AccessEntryChange {

        /** More would make a review nobody reads and an apply that holds its intent for minutes. */
        public static final int MAX_ITEMS = 500;

        public Batch {
            changes = List.copyOf(changes);
        }

        /** A batch is about many principals; its items name theirs. */
        @Override
        public String principal() {
            return "";
        }
    }

    /** One way only: CONFIG_MAP → API_AND_CONFIG_MAP → API. */
    record SetAuthenticationMode(AuthenticationMode mode) implements AccessEntryChange {
        @Override
        public String principal() {
            return "";
        }
    }
}
