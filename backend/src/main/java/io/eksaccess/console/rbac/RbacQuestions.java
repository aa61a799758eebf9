package io.eksaccess.console.rbac;

/**
 * Turns the fields of a question (API parameters, page forms) into the engine's terms, with
 * messages that say what to change. Mirrors the CLI: {@code resource} may be
 * {@code RESOURCE/SUBRESOURCE}; an empty namespace is a cluster-scoped question.
 */
public final class RbacQuestions {

    private RbacQuestions() {}

    /** @throws IllegalArgumentException with a message for the person who asked */
    public static AccessRequest request(String verb, String resource, String apiGroup, String namespace, String name,
            String nonResourceUrl) {
        if (blank(verb)) {
            throw new IllegalArgumentException("Give a verb (get, list, watch, create, update, patch, delete, … or *).");
        }
        if (!blank(nonResourceUrl)) {
            if (!blank(resource) || !blank(apiGroup) || !blank(namespace) || !blank(name)) {
                throw new IllegalArgumentException("A non-resource URL goes without resource, API group, namespace"
                        + " and name: non-resource URLs are cluster-wide and are granted only by ClusterRoles.");
            }
            if (!nonResourceUrl.startsWith("/")) {
                throw new IllegalArgumentException("A non-resource URL is a path starting with '/', such as /healthz.");
            }
            return AccessRequest.nonResource(verb.trim(), nonResourceUrl.trim());
        }
        if (blank(resource)) {
            throw new IllegalArgumentException(
                    "Give a resource (such as pods, or pods/log for a subresource) or a non-resource URL.");
        }
        String plain = resource.trim();
        String subresource = "";
        int slash = plain.indexOf('/');
        if (slash >= 0) {
            subresource = plain.substring(slash + 1);
            plain = plain.substring(0, slash);
        }
        if (plain.isEmpty()) {
            throw new IllegalArgumentException("The resource before '/' is empty; write RESOURCE/SUBRESOURCE, as pods/log.");
        }
        return AccessRequest.resource(verb.trim(), trim(apiGroup), plain, subresource, trim(name), trim(namespace));
    }

    /**
     * Exactly one of user, group and ServiceAccount ({@code NAMESPACE:NAME}).
     *
     * @throws IllegalArgumentException with a message for the person who asked
     */
    public static Subject subject(String user, String group, String serviceAccount) {
        int given = (blank(user) ? 0 : 1) + (blank(group) ? 0 : 1) + (blank(serviceAccount) ? 0 : 1);
        if (given != 1) {
            throw new IllegalArgumentException(
                    "Give exactly one subject: a user, a group, or a ServiceAccount as NAMESPACE:NAME.");
        }
        if (!blank(user)) {
            return Subject.user(user.trim());
        }
        if (!blank(group)) {
            return Subject.group(group.trim());
        }
        String sa = serviceAccount.trim();
        int colon = sa.indexOf(':');
        if (colon <= 0 || colon == sa.length() - 1) {
            throw new IllegalArgumentException("Write the ServiceAccount as NAMESPACE:NAME, as kube-system:coredns.");
        }
        return Subject.serviceAccount(sa.substring(0, colon), sa.substring(colon + 1));
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
