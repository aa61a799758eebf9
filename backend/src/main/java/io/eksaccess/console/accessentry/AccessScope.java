package io.eksaccess.console.accessentry;

import io.eksaccess.console.rbac.AccessRequest;
import java.util.List;
import java.util.Set;

/**
 * Where an associated access policy applies: the whole cluster, or namespaces where a trailing
 * {@code *} is a prefix match ({@code team-*}). A namespace scope never allows a request without a
 * namespace (cluster-scoped resources, all-namespaces lists, non-resource URLs).
 */
public record AccessScope(String type, List<String> namespaces) {

    public static final String CLUSTER = "cluster";
    public static final String NAMESPACE = "namespace";

    public AccessScope {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }

    public static AccessScope cluster() {
        return new AccessScope(CLUSTER, List.of());
    }

    public static AccessScope namespaces(String... namespaces) {
        return new AccessScope(NAMESPACE, List.of(namespaces));
    }

    public boolean isCluster() {
        return CLUSTER.equals(type);
    }

    /** Whether the request falls inside this scope (what the policy's rules may then allow). */
    public boolean covers(AccessRequest request) {
        if (isCluster()) {
            return true;
        }
        return request.isResourceRequest() && !request.namespace().isEmpty() && coversNamespace(request.namespace());
    }

    boolean coversNamespace(String namespace) {
        for (String pattern : namespaces) {
            if (pattern.endsWith("*") ? namespace.startsWith(pattern.substring(0, pattern.length() - 1))
                    : namespace.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /** The same scope as EKS keeps it: the same type and namespaces, in any order. */
    public boolean sameAs(AccessScope other) {
        return type.equals(other.type) && Set.copyOf(namespaces).equals(Set.copyOf(other.namespaces));
    }

    /** "cluster" or "namespaces team-*, dev", for people. */
    public String describe() {
        return isCluster() ? "cluster-wide" : "namespaces " + String.join(", ", namespaces);
    }
}
