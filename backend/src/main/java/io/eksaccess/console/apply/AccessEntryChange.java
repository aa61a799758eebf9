package io.eksaccess.console.apply;

import io.eksaccess.console.accessentry.AccessScope;
import io.eksaccess.console.accessentry.AuthenticationMode;
import java.util.List;

/**
 * A change to a cluster's EKS access entries, in the EKS API's terms (ACCESS-ENTRIES.md). Like a
 * {@link MappingChange} it names its entry by principal ARN, so it is planned again on what EKS
 * holds when it is applied.
 */
public sealed interface AccessEntryChange extends Change {

    /** @param username null: EKS's default; only STANDARD entries take a username and groups */
    record CreateAccessEntry(String principalArn, String type, String username, List<String> kubernetesGroups)
            implements AccessEntryChange {
        public CreateAccessEntry {
            kubernetesGroups = kubernetesGroups == null ? List.of() : List.copyOf(kubernetesGroups);
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

    /** Deletes the entry and, with it, every policy associated with it. */
    record DeleteAccessEntry(String principalArn) implements AccessEntryChange {
        @Override
        public String principal() {
            return principalArn;
        }
    }

    /** Associates the policy, or replaces the scope of the association this principal already has. */
    record AssociateAccessPolicy(String principalArn, String policyArn, AccessScope accessScope)
            implements AccessEntryChange {
        @Override
        public String principal() {
            return principalArn;
        }
    }

    record DisassociateAccessPolicy(String principalArn, String policyArn) implements AccessEntryChange {
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
