package io.eksaccess.console.rbac;

import java.util.List;

/** Who asks: a username and groups, exactly as a SubjectAccessReview carries them. */
public record Identity(String user, List<String> groups) {

    /** The user that stands for "a member of this group and nothing else". */
    public static final String PROBE_USER = "eks-access-console:probe";

    /**
     * The identity that stands for a subject: a user as such; a group as an otherwise unbound
     * member of it; a ServiceAccount as the API server authenticates it (its username, the
     * {@code system:serviceaccounts[:ns]} groups and {@code system:authenticated}).
     */
    public static Identity of(Subject subject) {
        return switch (subject.kind()) {
            case Subject.USER -> new Identity(subject.name(), List.of());
            case Subject.GROUP -> new Identity(PROBE_USER, List.of(subject.name()));
            default -> {
                List<String> groups = new java.util.ArrayList<>(Subject.serviceAccountGroups(subject.namespace()));
                groups.add(Subject.AUTHENTICATED);
                yield new Identity(Subject.serviceAccountUsername(subject.namespace(), subject.name()), groups);
            }
        };
    }

    public Identity {
        user = user == null ? "" : user;
        groups = groups == null ? List.of() : List.copyOf(groups);
    }
}
