package io.eksaccess.console.cluster;

import java.time.Instant;

/**
 * A registered cluster.
 *
 * @param name unique, URL-safe name the console uses for it
 * @param apiServerUrl the API server endpoint, when known
 * @param kubeContext the kubeconfig context it came from, for {@link ClusterSource#KUBECONFIG}
 * @param kubeconfigPath the kubeconfig file that context is in
 * @param eksClusterName the EKS name (the token's {@code x-k8s-aws-id}), for {@link ClusterSource#EKS}
 * @param awsRoleArn the role the console assumes for this cluster's token, if any
 * @param caData the API server's CA bundle (base64 PEM), for {@link ClusterSource#EKS}
 * @param eksAuthenticationMode CONFIG_MAP, API_AND_CONFIG_MAP or API, as EKS reports it
 * @param eksBootstrapCreatorAdmin whether EKS made the cluster's creator cluster admin at creation
 *     (accessConfig.bootstrapClusterCreatorAdminPermissions; null: EKS did not say)
 * @param publicAccessCidrs who may reach a public EKS endpoint
 */
public record Cluster(
        long id,
        String name,
        ClusterSource source,
        String apiServerUrl,
        String kubeContext,
        String kubeconfigPath,
        String awsAccountId,
        String awsRegion,
        String eksClusterName,
        String awsRoleArn,
        String caData,
        String eksAuthenticationMode,
        Boolean eksBootstrapCreatorAdmin,
        Boolean endpointPublicAccess,
        Boolean endpointPrivateAccess,
        java.util.List<String> publicAccessCidrs,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt) {}
