package io.eksaccess.console.report.findings;

import java.util.List;

/** EKS-001 and EKS-002 from what EKS DescribeCluster told the registry. */
final class EksRules {

    private EksRules() {}

    static void check(FindingsInput.EksSettings eks, List<SecurityFinding> into) {
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
    }
}
