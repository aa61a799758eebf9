package io.eksaccess.console.cluster.eks;

import java.util.List;

/**
 * What EKS DescribeCluster says about one cluster, as the registry keeps it.
 *
 * @param authenticationMode CONFIG_MAP, API_AND_CONFIG_MAP or API (null when EKS does not say)
 * @param bootstrapCreatorAdmin accessConfig.bootstrapClusterCreatorAdminPermissions: the cluster's
 *     creator was made cluster admin when it was created (null when EKS does not say)
 * @param roleArn the role the console assumed to find it, and assumes for its token (null: own credentials)
 */
public record DiscoveredEksCluster(
        String name,
        String accountId,
        String region,
        String endpoint,
        String caData,
        String authenticationMode,
        Boolean bootstrapCreatorAdmin,
        Boolean endpointPublicAccess,
        Boolean endpointPrivateAccess,
        List<String> publicAccessCidrs,
        String roleArn) {}
