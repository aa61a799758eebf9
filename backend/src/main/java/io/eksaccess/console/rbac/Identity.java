package io.eksaccess.console.rbac;

import java.util.List;

/** Who asks: a username and groups, exactly as a SubjectAccessReview carries them. */
public record Identity(String user, List<String> groups) {

    /** The user that stands for "a member of this group and nothing else". */
    public static final String PROBE_USER = "eks-access-console:probe";

    public Identity {
        user = user == null ? "" : user;
        groups = groups == null ? List.of() : List.copyOf(groups);
    }
}
