package io.eksaccess.console.cluster;

/** Where a cluster registration came from. */
public enum ClusterSource {
    KUBECONFIG,
    EKS,
    IN_CLUSTER,
    MANUAL
}
