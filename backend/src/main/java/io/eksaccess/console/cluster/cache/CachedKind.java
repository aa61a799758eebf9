package io.eksaccess.console.cluster.cache;

/** What the console keeps a live copy of, per cluster. Secrets are deliberately absent. */
public enum CachedKind {
    AWS_AUTH("aws-auth ConfigMap"),
    NAMESPACES("Namespaces"),
    SERVICE_ACCOUNTS("ServiceAccounts"),
    PODS("Pods"),
    ROLES("Roles"),
    CLUSTER_ROLES("ClusterRoles"),
    ROLE_BINDINGS("RoleBindings"),
    CLUSTER_ROLE_BINDINGS("ClusterRoleBindings");

    private final String label;

    CachedKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
