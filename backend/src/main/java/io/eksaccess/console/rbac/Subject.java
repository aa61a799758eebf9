package io.eksaccess.console.rbac;

import java.util.List;
import java.util.Objects;

/**
 * A binding subject after namespace defaulting: {@code namespace} is set only for ServiceAccounts
 * (null for others and for a ServiceAccount in a ClusterRoleBinding without one, which matches nobody).
 */
public record Subject(String kind, String name, String namespace) {

    public static final String USER = "User";
    public static final String GROUP = "Group";
    public static final String SERVICE_ACCOUNT = "ServiceAccount";
    /** The API server's superuser group (authorizerfactory.NewPrivilegedGroups): allowed everything. */
    public static final String MASTERS = "system:masters";
    public static final String AUTHENTICATED = "system:authenticated";

    /**
     * The record's own equality, written out: the generated one is linked through method handles on
     * first use, which an offline command pays on every start (issue 19). Same value as generated
     * ((0 × 31 + kind) × 31 + name) × 31 + namespace: hash-ordered output stays as it was.
     */
    @Override
    public int hashCode() {
        return (Objects.hashCode(kind) * 31 + Objects.hashCode(name)) * 31 + Objects.hashCode(namespace);
    }

    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof Subject subject && Objects.equals(kind, subject.kind)
                && Objects.equals(name, subject.name) && Objects.equals(namespace, subject.namespace);
    }

    public static Subject user(String name) {
        return new Subject(USER, name, null);
    }

    public static Subject group(String name) {
        return new Subject(GROUP, name, null);
    }

    public static Subject serviceAccount(String namespace, String name) {
        return new Subject(SERVICE_ACCOUNT, name, namespace);
    }

    /** The username a ServiceAccount authenticates as. */
    public static String serviceAccountUsername(String namespace, String name) {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    /** The groups the authenticator gives a ServiceAccount token (besides system:authenticated). */
    public static List<String> serviceAccountGroups(String namespace) {
        return List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace);
    }

    /** Whether this binding subject applies to the user (appliesToUser in rule.go). */
    boolean appliesTo(Identity identity) {
        return switch (kind) {
            case USER -> identity.user().equals(name);
            case GROUP -> identity.groups().contains(name);
            case SERVICE_ACCOUNT -> namespace != null && !namespace.isEmpty()
                    && identity.user().equals(serviceAccountUsername(namespace, name));
            default -> false;
        };
    }

    /** The identity that is this subject and nothing more (a group is probed by an unbound user). */
    Identity asIdentity() {
        return switch (kind) {
            case USER -> new Identity(name, List.of());
            case GROUP -> new Identity(Identity.PROBE_USER, List.of(name));
            default -> new Identity(serviceAccountUsername(namespace, name), List.of());
        };
    }
}
