package io.eksaccess.console.dashboard;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.RoleMapping;
import io.eksaccess.console.awsauth.UserMapping;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.cache.AccessEntriesCache;
import io.eksaccess.console.cluster.cache.AccessEntriesStatus;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.EksAccessEntries;
import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.ClusterRbacIndexes;
import io.eksaccess.console.rbac.Subject;
import io.eksaccess.console.rbac.WhoCanAnswer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Who holds cluster-wide admin, the first thing a security reviewer asks of a cluster, from the
 * cluster's caches only (no Kubernetes, EKS or database call on the page's request): subjects a
 * ClusterRoleBinding gives {@code *} verbs on {@code *} resources in {@code *} API groups,
 * aws-auth mappings into {@code system:masters}, and access entries with the cluster-scoped
 * AmazonEKSClusterAdminPolicy.
 */
@Component
class ClusterAdmins {

    static final String CLUSTER_ADMIN_POLICY = "AmazonEKSClusterAdminPolicy";

    /** The question every * holder answers yes to; cluster scope, so only ClusterRoleBindings count. */
    static final AccessRequest EVERYTHING = AccessRequest.resource("*", "*", "*", "", "", "");

    /** An aws-auth mapping into system:masters; {@code section} mapRoles or mapUsers. */
    public record MastersMapping(String section, int index, String arn, String username) {

        /** The row's id on the Mappings tab. */
        public String anchor() {
            return section + "-" + index;
        }
    }

    /**
     * The three kinds of holder; a list is null when its source is not there to read (RBAC not
     * synced yet, no aws-auth, access entries not read for this cluster).
     *
     * @param awsAuthIgnored the cluster's authentication mode is API: aws-auth grants nothing
     * @param entriesIgnored the mode is CONFIG_MAP: access entries grant nothing
     * @param entriesStatus how current the synced access entries are (null: not read for this cluster)
     */
    public record Holders(List<Subject> rbac, List<MastersMapping> masters, List<String> accessEntries,
            boolean awsAuthIgnored, boolean entriesIgnored, AccessEntriesStatus entriesStatus) {

        public boolean none() {
            return empty(rbac) && empty(masters) && empty(accessEntries);
        }

        private static boolean empty(List<?> list) {
            return list == null || list.isEmpty();
        }
    }

    private final ClusterRbacIndexes indexes;
    private final ClusterCaches caches;

    ClusterAdmins(ClusterRbacIndexes indexes, ClusterCaches caches) {
        this.indexes = indexes;
        this.caches = caches;
    }

    Holders of(Cluster cluster) {
        Optional<ClusterRbacIndexes.View> view = indexes.view(cluster.name());
        List<Subject> rbac = view.map(v -> v.index().whoCan(EVERYTHING)).map(WhoCanAnswer::subjects).orElse(null);
        List<MastersMapping> masters = view.flatMap(v -> v.snapshot().awsAuth()).map(ClusterAdmins::masters).orElse(null);
        List<String> entries = null;
        AccessEntriesStatus entriesStatus = null;
        Optional<AccessEntriesCache> entriesCache = ClusterCaches.readsAccessEntries(cluster)
                ? caches.accessEntries(cluster.name()) : Optional.empty();
        if (entriesCache.isPresent()) {
            entries = entriesCache.get().entries().map(ClusterAdmins::clusterAdminEntries).orElse(null);
            entriesStatus = entriesCache.get().status();
        }
        String mode = cluster.eksAuthenticationMode();
        return new Holders(rbac, masters, entries, "API".equals(mode), "CONFIG_MAP".equals(mode), entriesStatus);
    }

    static List<MastersMapping> masters(ConfigMap awsAuth) {
        Map<String, String> data = awsAuth.getData();
        AwsAuthConfig config = AwsAuthParser.parse(data == null ? Map.of() : data);
        List<MastersMapping> masters = new ArrayList<>();
        for (RoleMapping role : config.roles()) {
            if (role.groups().contains(Subject.MASTERS)) {
                masters.add(new MastersMapping("mapRoles", role.index(), role.displayArn(), role.username()));
            }
        }
        for (UserMapping user : config.users()) {
            if (user.groups().contains(Subject.MASTERS)) {
                masters.add(new MastersMapping("mapUsers", user.index(), user.userArn(), user.username()));
            }
        }
        return masters;
    }

    /** Principals with the cluster-admin access policy at cluster scope (a namespace scope is not cluster-wide). */
    static List<String> clusterAdminEntries(EksAccessEntries entries) {
        List<String> admins = new ArrayList<>();
        for (EksAccessEntries.Entry entry : entries.entries()) {
            for (EksAccessEntries.Association association : entry.policies()) {
                if (association.policyArn().endsWith("/" + CLUSTER_ADMIN_POLICY)
                        && "cluster".equalsIgnoreCase(association.scopeType())) {
                    admins.add(entry.principalArn());
                    break;
                }
            }
        }
        return admins;
    }
}
