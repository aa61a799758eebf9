package io.eksaccess.console.accessentry;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.RoleMapping;
import io.eksaccess.console.awsauth.UserMapping;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.cache.AccessEntriesStatus;
import io.eksaccess.console.cluster.cache.EksAccessEntries;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import io.eksaccess.console.rbac.RbacJson;

/**
 * A cluster's access entries as the last sync from EKS left them in the cluster's cache, with
 * how current they are: what the pages, the API and the answers for IAM callers read (never EKS).
 *
 * @param entries the model the CLI's {@code --access-entries} file also gives ({@link AccessEntriesReader})
 * @param raw what EKS returned (timestamps, the catalogue)
 */
public record SyncedAccessEntries(ClusterAccessEntries entries, EksAccessEntries raw, AccessEntriesStatus status) {

    /** The synced entries in the model, under the cluster's mode. */
    public static SyncedAccessEntries of(Cluster cluster, EksAccessEntries raw, AccessEntriesStatus status) {
        List<AccessEntry> entries = new ArrayList<>(raw.entries().size());
        for (EksAccessEntries.Entry entry : raw.entries()) {
            List<AssociatedAccessPolicy> policies = new ArrayList<>(entry.policies().size());
            for (EksAccessEntries.Association association : entry.policies()) {
                policies.add(new AssociatedAccessPolicy(association.policyArn(),
                        new AccessScope(association.scopeType(), association.namespaces())));
            }
            entries.add(new AccessEntry(entry.principalArn(), entry.type(), entry.username(), entry.kubernetesGroups(),
                    policies));
        }
        AuthenticationMode mode = AuthenticationMode.valueOf(cluster.eksAuthenticationMode());
        return new SyncedAccessEntries(new ClusterAccessEntries(cluster.eksClusterName(), mode, entries), raw, status);
    }

    /** An aws-auth mapping that an access entry overrides, and the entry. */
    public record Override(String section, int index, String mappedArn, String entryPrincipalArn) {}

    /**
     * The aws-auth role and user mappings that an entry of the same IAM principal overrides
     * (API_AND_CONFIG_MAP: the entry wins); in API mode aws-auth is ignored whole instead, and in
     * CONFIG_MAP the entries are.
     */
    public static List<Override> overridden(AuthenticationMode mode, List<AccessEntry> entries, AwsAuthConfig awsAuth) {
        List<Override> overridden = new ArrayList<>();
        if (mode != AuthenticationMode.API_AND_CONFIG_MAP || awsAuth == null) {
            return overridden;
        }
        for (RoleMapping role : awsAuth.roles()) {
            AccessEntry entry = entryOf(entries, role.roleArn());
            if (entry != null) {
                overridden.add(new Override("mapRoles", role.index(), role.roleArn(), entry.principalArn()));
            }
        }
        for (UserMapping user : awsAuth.users()) {
            AccessEntry entry = entryOf(entries, user.userArn());
            if (entry != null) {
                overridden.add(new Override("mapUsers", user.index(), user.userArn(), entry.principalArn()));
            }
        }
        return overridden;
    }

    private static AccessEntry entryOf(List<AccessEntry> entries, String arn) {
        PrincipalArn principal = PrincipalArn.parse(arn);
        if (principal == null) {
            return null;
        }
        for (AccessEntry entry : entries) {
            if (principal.samePrincipal(entry.principal())) {
                return entry;
            }
        }
        return null;
    }

    /**
     * The access-entries file ({@link AccessEntriesReader}'s shape, in the EKS API's field names,
     * plus EKS's createdAt/modifiedAt/associatedAt, which the reader ignores): a download feeds
     * the CLI's {@code --access-entries}.
     */
    public ObjectNode toFile() {
        ObjectNode root = RbacJson.JSON.createObjectNode();
        ObjectNode cluster = root.putObject("cluster");
        cluster.put("name", entries.clusterName());
        cluster.putObject("accessConfig").put("authenticationMode", entries.mode().name());
        ArrayNode list = root.putArray("accessEntries");
        for (EksAccessEntries.Entry entry : raw.entries()) {
            ObjectNode node = list.addObject();
            node.put("principalArn", entry.principalArn());
            node.put("type", entry.type());
            if (entry.username() != null) {
                node.put("username", entry.username());
            }
            ArrayNode groups = node.putArray("kubernetesGroups");
            entry.kubernetesGroups().forEach(groups::add);
            ArrayNode policies = node.putArray("associatedAccessPolicies");
            for (EksAccessEntries.Association association : entry.policies()) {
                ObjectNode policy = policies.addObject();
                policy.put("policyArn", association.policyArn());
                ObjectNode scope = policy.putObject("accessScope");
                scope.put("type", association.scopeType());
                ArrayNode namespaces = scope.putArray("namespaces");
                association.namespaces().forEach(namespaces::add);
                instant(policy, "associatedAt", association.associatedAt());
                instant(policy, "modifiedAt", association.modifiedAt());
            }
            instant(node, "createdAt", entry.createdAt());
            instant(node, "modifiedAt", entry.modifiedAt());
        }
        return root;
    }

    private static void instant(ObjectNode node, String field, java.time.Instant value) {
        if (value != null) {
            node.put(field, value.toString());
        }
    }
}
