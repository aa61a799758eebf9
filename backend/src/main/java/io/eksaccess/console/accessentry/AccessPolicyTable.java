package io.eksaccess.console.accessentry;

import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.RuleMatch;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * What each EKS managed access policy allows, as Kubernetes rules (ACCESS-ENTRIES.md, "How access
 * policies decide"). A policy not in this table is "not modelled": the console never guesses what
 * it allows, and says so.
 *
 * <p>Admin, Edit and View are modelled on the upstream {@code admin}, {@code edit} and {@code view}
 * ClusterRoles: the rules of the bootstrap roles {@code system:aggregate-to-admin}, {@code -edit}
 * and {@code -view} of Kubernetes {@value #KUBERNETES_VERSION} ({@code edit} aggregates
 * {@code view}, {@code admin} aggregates {@code edit}). AccessPolicyTableTest checks them against a
 * real API server of that version; bump {@link #VERSION} whenever a rule changes.
 */
public final class AccessPolicyTable {

    /** The table's version, shown beside answers that rely on it. */
    public static final String VERSION = "2026-01-k8s-1.34";
    static final String KUBERNETES_VERSION = "v1.34";
    /** The aws partition's prefix; {@link #arnPrefix} gives any partition's. */
    public static final String ARN_PREFIX = "arn:aws:eks::aws:cluster-access-policy/";
    private static final String PARTITION_PART = "arn:";
    private static final String RESOURCE_PART = ":eks::aws:cluster-access-policy/";

    public static final String CLUSTER_ADMIN = "AmazonEKSClusterAdminPolicy";
    public static final String ADMIN = "AmazonEKSAdminPolicy";
    public static final String EDIT = "AmazonEKSEditPolicy";
    public static final String VIEW = "AmazonEKSViewPolicy";
    public static final String ADMIN_VIEW = "AmazonEKSAdminViewPolicy";
    public static final String SECRET_READER = "AmazonEKSSecretReaderPolicy";

    private static final List<String> READ = List.of("get", "list", "watch");

    /** {@code system:aggregate-to-view}. */
    static final List<PolicyRule> AGGREGATE_TO_VIEW = List.of(
            rule(List.of(""), List.of("configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"), List.of("get", "list", "watch")),
            rule(List.of(""), List.of("bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status", "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"), List.of("get", "list", "watch")),
            rule(List.of(""), List.of("namespaces"), List.of("get", "list", "watch")),
            rule(List.of("discovery.k8s.io"), List.of("endpointslices"), List.of("get", "list", "watch")),
            rule(List.of("apps"), List.of("controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"), List.of("get", "list", "watch")),
            rule(List.of("autoscaling"), List.of("horizontalpodautoscalers", "horizontalpodautoscalers/status"), List.of("get", "list", "watch")),
            rule(List.of("batch"), List.of("cronjobs", "cronjobs/status", "jobs", "jobs/status"), List.of("get", "list", "watch")),
            rule(List.of("extensions"), List.of("daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "ingresses", "ingresses/status", "networkpolicies", "replicasets", "replicasets/scale", "replicasets/status", "replicationcontrollers/scale"), List.of("get", "list", "watch")),
            rule(List.of("policy"), List.of("poddisruptionbudgets", "poddisruptionbudgets/status"), List.of("get", "list", "watch")),
            rule(List.of("networking.k8s.io"), List.of("ingresses", "ingresses/status", "networkpolicies"), List.of("get", "list", "watch")),
            rule(List.of("resource.k8s.io"), List.of("resourceclaims", "resourceclaims/status", "resourceclaimtemplates"), List.of("get", "list", "watch")));

    /** {@code system:aggregate-to-edit}. */
    static final List<PolicyRule> AGGREGATE_TO_EDIT = List.of(
            rule(List.of(""), List.of("pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"), List.of("get", "list", "watch")),
            rule(List.of(""), List.of("serviceaccounts"), List.of("impersonate")),
            rule(List.of(""), List.of("pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"), List.of("create", "delete", "deletecollection", "patch", "update")),
            rule(List.of(""), List.of("pods/eviction"), List.of("create")),
            rule(List.of(""), List.of("configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"), List.of("create", "delete", "deletecollection", "patch", "update")),
            rule(List.of(""), List.of("serviceaccounts/token"), List.of("create")),
            rule(List.of("apps"), List.of("daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"), List.of("create", "delete", "deletecollection", "patch", "update")),
            rule(List.of("autoscaling"), List.of("horizontalpodautoscalers"), List.of("create", "delete", "deletecollection", "patch", "update")),
            rule(List.of("batch"), List.of("cronjobs", "jobs"), List.of("create", "delete", "deletecollection", "patch", "update")),
            rule(List.of("extensions"), List.of("daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses", "networkpolicies", "replicasets", "replicasets/scale", "replicationcontrollers/scale"), List.of("create", "delete", "deletecollection", "patch", "update")),
            rule(List.of("policy"), List.of("poddisruptionbudgets"), List.of("create", "delete", "deletecollection", "patch", "update")),
            rule(List.of("networking.k8s.io"), List.of("ingresses", "networkpolicies"), List.of("create", "delete", "deletecollection", "patch", "update")),
            rule(List.of("coordination.k8s.io"), List.of("leases"), List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")),
            rule(List.of("resource.k8s.io"), List.of("resourceclaims", "resourceclaimtemplates"), List.of("create", "delete", "deletecollection", "patch", "update")));

    /** {@code system:aggregate-to-admin}. */
    static final List<PolicyRule> AGGREGATE_TO_ADMIN = List.of(
            rule(List.of("authorization.k8s.io"), List.of("localsubjectaccessreviews"), List.of("create")),
            rule(List.of("rbac.authorization.k8s.io"), List.of("rolebindings", "roles"), List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")));

    private static final Map<String, List<PolicyRule>> RULES = Map.of(
            CLUSTER_ADMIN, List.of(rule(List.of("*"), List.of("*"), List.of("*")),
                    new PolicyRuleBuilder().withNonResourceURLs("*").withVerbs("*").build()),
            ADMIN, concat(AGGREGATE_TO_ADMIN, AGGREGATE_TO_EDIT, AGGREGATE_TO_VIEW),
            EDIT, concat(AGGREGATE_TO_EDIT, AGGREGATE_TO_VIEW),
            VIEW, AGGREGATE_TO_VIEW,
            ADMIN_VIEW, List.of(rule(List.of("*"), List.of("*"), READ)),
            SECRET_READER, List.of(rule(List.of(""), List.of("secrets"), READ)));

    private AccessPolicyTable() {}

    /** {@code arn:PARTITION:eks::aws:cluster-access-policy/}: EKS names its policies in the cluster's partition. */
    public static String arnPrefix(String partition) {
        return PARTITION_PART + partition + RESOURCE_PART;
    }

    /**
     * The partition of an EKS access policy ARN, one the console knows ({@link AwsAuthParser#PARTITIONS}, as
     * its ARN parsers), or null when the text is not {@code arn:PARTITION:eks::aws:cluster-access-policy/NAME}.
     */
    public static String partitionOf(String policyArn) {
        if (policyArn == null || !policyArn.startsWith(PARTITION_PART)) {
            return null;
        }
        int end = policyArn.indexOf(RESOURCE_PART);
        if (end < 0 || end + RESOURCE_PART.length() >= policyArn.length()) {
            return null;
        }
        String partition = policyArn.substring(PARTITION_PART.length(), end);
        String name = policyArn.substring(end + RESOURCE_PART.length());
        return AwsAuthParser.PARTITIONS.contains(partition) && !name.contains("/") ? partition : null;
    }

    /**
     * The partition of an AWS region (cn-north-1 → aws-cn, us-gov-west-1 → aws-us-gov, the iso regions...),
     * from the AWS SDK's partition data; null for no region.
     */
    public static String partitionOfRegion(String region) {
        if (region == null || region.isBlank()) {
            return null;
        }
        PartitionMetadata partition = PartitionMetadata.of(Region.of(region));
        return partition == null ? null : partition.id();
    }

    /** AmazonEKSClusterAdminPolicy in any partition: what DESIGN invariant 5 and the filing policy look for. */
    public static boolean isClusterAdmin(String policyArn) {
        return partitionOf(policyArn) != null && policyArn.endsWith("/" + CLUSTER_ADMIN);
    }

    /** The policy's rules, or null when the policy is not modelled (unknown ARN or not an AWS managed policy). */
    public static List<PolicyRule> rules(String policyArn) {
        if (partitionOf(policyArn) == null) {
            return null;
        }
        return RULES.get(policyArn.substring(policyArn.lastIndexOf('/') + 1));
    }

    public static boolean modelled(String policyArn) {
        return rules(policyArn) != null;
    }

    /** Whether the associated policy allows the request: inside its scope and by one of its rules. */
    public static boolean allows(AssociatedAccessPolicy policy, AccessRequest request) {
        return policy.accessScope().covers(request) && rulesAllow(policy.policyArn(), request);
    }

    /** Whether the policy's rules allow the request, scope aside (false when not modelled). */
    static boolean rulesAllow(String policyArn, AccessRequest request) {
        List<PolicyRule> rules = rules(policyArn);
        if (rules == null) {
            return false;
        }
        for (PolicyRule rule : rules) {
            if (RuleMatch.allows(rule, request)) {
                return true;
            }
        }
        return false;
    }

    public static List<String> modelledPolicyNames() {
        return List.of(CLUSTER_ADMIN, ADMIN, EDIT, VIEW, ADMIN_VIEW, SECRET_READER);
    }

    private static PolicyRule rule(List<String> apiGroups, List<String> resources, List<String> verbs) {
        return new PolicyRuleBuilder().withApiGroups(apiGroups).withResources(resources).withVerbs(verbs).build();
    }

    @SafeVarargs
    private static List<PolicyRule> concat(List<PolicyRule>... parts) {
        List<PolicyRule> all = new ArrayList<>();
        for (List<PolicyRule> part : parts) {
            all.addAll(part);
        }
        return List.copyOf(all);
    }
}
