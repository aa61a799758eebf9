package io.eksaccess.console.rbac;

/** A RoleBinding (namespace set) or ClusterRoleBinding (namespace null) and the role it refers to. */
public record BindingRef(String kind, String name, String namespace, String roleKind, String roleName) {

    public static final String ROLE_BINDING = "RoleBinding";
    public static final String CLUSTER_ROLE_BINDING = "ClusterRoleBinding";

    @Override
    public String toString() {
        return kind + " " + (namespace == null ? "" : namespace + "/") + name + " -> " + roleKind + " " + roleName;
    }
}
