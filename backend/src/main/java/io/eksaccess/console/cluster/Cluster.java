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
 */
public record Cluster(
        long id,
        String name,
        ClusterSource source,
        String apiServerUrl,
        String kubeContext,
        String kubeconfigPath,
        String awsRegion,
        String eksClusterName,
        String awsRoleArn,
        String caData,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt) {}
