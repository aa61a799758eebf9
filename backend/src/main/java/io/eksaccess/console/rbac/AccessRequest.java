package io.eksaccess.console.rbac;

import java.util.Objects;

/**
 * A request as the authorizer sees it: either a resource request (verb, apiGroup, resource,
 * subresource, name, namespace; "" when absent) or a non-resource request (verb and URL path,
 * never namespaced). An empty namespace means a cluster-scoped question.
 */
public record AccessRequest(String verb, String apiGroup, String resource, String subresource, String name,
        String namespace, String nonResourceUrl) {

    public AccessRequest {
        Objects.requireNonNull(verb, "verb");
        apiGroup = nullToEmpty(apiGroup);
        resource = nullToEmpty(resource);
        subresource = nullToEmpty(subresource);
        name = nullToEmpty(name);
        namespace = nullToEmpty(namespace);
    }

    public static AccessRequest resource(String verb, String apiGroup, String resource, String subresource,
            String name, String namespace) {
        return new AccessRequest(verb, apiGroup, resource, subresource, name, namespace, null);
    }

    /** Non-resource requests carry no namespace: the authorizer visits only cluster role bindings. */
    public static AccessRequest nonResource(String verb, String url) {
        return new AccessRequest(verb, "", "", "", "", "", Objects.requireNonNull(url, "url"));
    }

    public boolean isResourceRequest() {
        return nonResourceUrl == null;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
