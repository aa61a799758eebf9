package io.eksaccess.console.cluster.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A cluster's EKS access entries as the EKS API returned them at one sync, in its own field names
 * (the {@code accessentry} feature models them; this is what the cache holds beside the informers).
 *
 * @param entries sorted by principal ARN
 * @param catalogue ListAccessPolicies: every access policy EKS offers
 * @param syncedAt when the sync started reading (a change made later may be missing from it)
 * @param calls EKS API requests the sync took; {@code took} how long
 */
public record EksAccessEntries(List<Entry> entries, List<Policy> catalogue, Instant syncedAt, int calls, Duration took) {

    public EksAccessEntries {
        entries = List.copyOf(entries);
        catalogue = List.copyOf(catalogue);
    }

    /** @param username as EKS reports it (its default filled in when none was set) */
    public record Entry(String principalArn, String type, String username, List<String> kubernetesGroups,
            Instant createdAt, Instant modifiedAt, List<Association> policies) {
        public Entry {
            kubernetesGroups = List.copyOf(kubernetesGroups);
            policies = List.copyOf(policies);
        }
    }

    /** @param scopeType {@code cluster} or {@code namespace} */
    public record Association(String policyArn, String scopeType, List<String> namespaces, Instant associatedAt,
            Instant modifiedAt) {
        public Association {
            namespaces = List.copyOf(namespaces);
        }
    }

    public record Policy(String name, String arn) {}
}
