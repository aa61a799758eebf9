package io.eksaccess.console.cli;

import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.Subject;

/** Human-readable text for the RBAC commands' plain output. */
final class Describe {

    private Describe() {}

    static String request(AccessRequest request) {
        if (!request.isResourceRequest()) {
            return request.verb() + " non-resource URL " + request.nonResourceUrl();
        }
        StringBuilder text = new StringBuilder(request.verb()).append(' ').append(request.resource());
        if (!request.subresource().isEmpty()) {
            text.append('/').append(request.subresource());
        }
        text.append(" (apiGroup \"").append(request.apiGroup()).append("\")");
        if (!request.name().isEmpty()) {
            text.append(" named ").append(request.name());
        }
        text.append(request.namespace().isEmpty() ? " cluster-wide" : " in namespace " + request.namespace());
        return text.toString();
    }

    static String subject(Subject subject) {
        return subject.kind() + " " + (subject.namespace() == null ? "" : subject.namespace() + "/") + subject.name();
    }
}
