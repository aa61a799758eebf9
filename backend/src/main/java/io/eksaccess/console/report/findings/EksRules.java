package io.eksaccess.console.report.findings;

import java.util.List;

/** EKS-001, EKS-002 and EKS-003 from what EKS DescribeCluster told the registry. */
final class EksRules {

    private EksRules() {}

    static void check(FindingsInput.EksSettings eks, List<SecurityFinding> into, List<String> notChecked) {
        String resource = "Cluster/" + eks.clusterName();
        List<String> cidrs = eks.publicAccessCidrs();
        if (Boolean.TRUE.equals(eks.endpointPublicAccess()) && (cidrs.isEmpty() || cidrs.contains("0.0.0.0/0"))) {
            into.add(FindingRule.EKS_001.about(resource, "The API server endpoint is public and accepts connections"
                    + " from 0.0.0.0/0, so anyone on the internet can try credentials against it. Turn on private"
                    + " access and turn public access off, or limit publicAccessCidrs to your own networks."));
        }
        if ("CONFIG_MAP".equals(eks.authenticationMode())) {
            into.add(FindingRule.EKS_002.about(resource, "The cluster authenticates through the aws-auth ConfigMap only"
                    + " (authenticationMode CONFIG_MAP), so EKS access entries cannot be used. Switch it to"
                    + " API_AND_CONFIG_MAP (aws eks update-cluster-config --access-config authenticationMode=API_AND_CONFIG_MAP)."));
        }
        if (eks.bootstrapCreatorAdmin() == null) {
            notChecked.add("EKS-003: EKS DescribeCluster did not say whether the cluster's creator was made cluster admin"
                    + " (its answer has no accessConfig.bootstrapClusterCreatorAdminPermissions), or the cluster was last"
                    + " discovered by an older console version; the next EKS discovery fills it in.");
        } else if (eks.bootstrapCreatorAdmin()) {
            into.add(FindingRule.EKS_003.about(resource, creatorAdminMessage(eks.authenticationMode())));
        }
    }

    /** bootstrapClusterCreatorAdminPermissions says what EKS did at creation; how to undo it depends on the mode. */
    static String creatorAdminMessage(String authenticationMode) {
        String what = "The IAM identity that created this cluster was made cluster admin when it was created"
                + " (accessConfig.bootstrapClusterCreatorAdminPermissions is true). That access shows neither in"
                + " aws-auth nor in any RBAC binding, so the access views here do not list it. ";
        String fix = switch (authenticationMode == null ? "" : authenticationMode) {
            case "CONFIG_MAP" -> "In CONFIG_MAP mode it cannot be removed: keep the creator a dedicated IAM role that"
                    + " nobody uses day to day, audit who can assume it, or switch to API_AND_CONFIG_MAP and delete the"
                    + " creator's access entry.";
            case "API", "API_AND_CONFIG_MAP" -> "In " + authenticationMode + " mode it is the creator's access entry"
                    + " (AmazonEKSClusterAdminPolicy): unless it was deleted since (EKS-006 names it once the console has"
                    + " read the cluster's access entries), find it with aws eks list-access-entries and delete it with aws eks delete-access-entry"
                    + " once other admins have access.";
            default -> "EKS did not report the authentication mode: in CONFIG_MAP mode it cannot be removed, in API"
                    + " or API_AND_CONFIG_MAP mode delete the creator's access entry (aws eks delete-access-entry).";
        };
        return what + fix + " Create new clusters with a dedicated IAM role, or with"
                + " bootstrapClusterCreatorAdminPermissions=false.";
    }
}
