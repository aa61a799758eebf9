package io.eksaccess.console.cluster;

import java.time.Instant;

/**
 * A registered cluster.
 *
 * @param name unique, URL-safe name the console uses for it
 * @param apiServerUrl the API server endpoint, when known
 * @param kubeContext the kubeconfig context it came from, for {@link ClusterSource#KUBECONFIG}
 */
public record Cluster(
        long id,
        String name,
        ClusterSource source,
        String apiServerUrl,
        String kubeContext,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt) {}
