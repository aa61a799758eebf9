package io.eksaccess.console.rbac;

import io.eksaccess.console.system.InvalidInput;
import io.eksaccess.console.system.Sentence;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the fields of a question (API parameters, page forms) into the engine's terms, with
 * messages that say what to change. Mirrors the CLI: {@code resource} may be
 * {@code RESOURCE/SUBRESOURCE}, and as in kubectl {@code RESOURCE.GROUP}; an empty namespace is a
 * cluster-scoped question.
 */
public final class RbacQuestions {

    private static final Pattern VERSION = Pattern.compile("v[0-9]+((alpha|beta)[0-9]+)?");

    private RbacQuestions() {}

    /** @throws IllegalArgumentException with a message for the person who asked */
    public static AccessRequest request(String verb, String resource, String apiGroup, String namespace, String name,
            String nonResourceUrl) {
        if (blank(verb)) {
            throw new InvalidInput("error.question.verb");
        }
        if (!blank(nonResourceUrl)) {
            if (!blank(resource) || !blank(apiGroup) || !blank(namespace) || !blank(name)) {
                throw new InvalidInput("error.question.non-resource-alone");
            }
            if (!nonResourceUrl.startsWith("/")) {
                throw new InvalidInput("error.question.non-resource-path");
            }
            return AccessRequest.nonResource(verb.trim(), nonResourceUrl.trim());
        }
        if (blank(resource)) {
            throw new InvalidInput("error.question.resource");
        }
        String plain = resource.trim();
        String subresource = "";
        int slash = plain.indexOf('/');
        if (slash >= 0) {
            subresource = plain.substring(slash + 1);
            plain = plain.substring(0, slash);
        }
        if (plain.isEmpty()) {
            throw new InvalidInput("error.question.resource-empty");
        }
        String group = trim(apiGroup);
        int dot = plain.indexOf('.');
        if (dot >= 0) {
            // kubectl's RESOURCE.GROUP (and RESOURCE.VERSION.GROUP): resource names hold no dot, so
            // "deployments.apps" asked as a core resource would only ever find the "*" rules.
            String named = groupOf(plain.substring(dot + 1));
            plain = plain.substring(0, dot);
            if (plain.isEmpty() || named.isEmpty()) {
                throw new InvalidInput("error.question.resource-group-form");
            }
            if (!group.isEmpty() && !group.equals(named)) {
                throw new InvalidInput("error.question.resource-group-conflict", shown(resource.trim()), named,
                        shown(group));
            }
            group = named;
        }
        return AccessRequest.resource(verb.trim(), group, plain, subresource, trim(name), trim(namespace));
    }

    /** "apps" from "apps", and from "v1.apps" (the version is not part of an RBAC question). */
    private static String groupOf(String afterResource) {
        int dot = afterResource.indexOf('.');
        if (dot > 0 && VERSION.matcher(afterResource.substring(0, dot)).matches()) {
            return afterResource.substring(dot + 1);
        }
        return afterResource;
    }

    /** Echoed input, capped. */
    private static String shown(String value) {
        return value.length() > 100 ? value.substring(0, 100) + "…" : value;
    }

    /**
     * Exactly one of user, group and ServiceAccount ({@code NAMESPACE:NAME}).
     *
     * @throws IllegalArgumentException with a message for the person who asked
     */
    public static Subject subject(String user, String group, String serviceAccount) {
        int given = (blank(user) ? 0 : 1) + (blank(group) ? 0 : 1) + (blank(serviceAccount) ? 0 : 1);
        if (given != 1) {
            throw new InvalidInput("error.question.one-subject");
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
            throw new InvalidInput("error.question.service-account");
        }
        return Subject.serviceAccount(sa.substring(0, colon), sa.substring(colon + 1));
    }

    /**
     * The API group of a built-in resource that is not in the core group. kubectl finds it by discovery; a
     * question without the group asks about the core group, where rules for these name only "*".
     */
    private static final Map<String, String> BUILT_IN_GROUPS = builtInGroups(Map.of(
            "apps", "deployments replicasets statefulsets daemonsets controllerrevisions",
            "batch", "jobs cronjobs",
            "autoscaling", "horizontalpodautoscalers",
            "networking.k8s.io", "ingresses ingressclasses networkpolicies",
            "policy", "poddisruptionbudgets",
            "rbac.authorization.k8s.io", "roles rolebindings clusterroles clusterrolebindings",
            "storage.k8s.io", "storageclasses volumeattachments csidrivers csinodes csistoragecapacities",
            "apiextensions.k8s.io", "customresourcedefinitions",
            "admissionregistration.k8s.io", "mutatingwebhookconfigurations validatingwebhookconfigurations"
                    + " validatingadmissionpolicies validatingadmissionpolicybindings",
            "coordination.k8s.io", "leases"), Map.of(
            "certificates.k8s.io", "certificatesigningrequests",
            "discovery.k8s.io", "endpointslices",
            "scheduling.k8s.io", "priorityclasses",
            "node.k8s.io", "runtimeclasses",
            "apiregistration.k8s.io", "apiservices",
            "flowcontrol.apiserver.k8s.io", "flowschemas prioritylevelconfigurations"));

    @SafeVarargs
    private static Map<String, String> builtInGroups(Map<String, String>... byGroup) {
        Map<String, String> groups = new HashMap<>();
        for (Map<String, String> part : byGroup) {
            part.forEach((group, resources) -> {
                for (String resource : resources.split(" ")) {
                    groups.put(resource, group);
                }
            });
        }
        return Map.copyOf(groups);
    }

    /**
     * The group a question asked in the core group most likely meant: the resource is a built-in one of
     * another group ("deployments" is apps'). Empty for core resources, named groups and custom resources.
     */
    public static Optional<String> likelyGroup(AccessRequest request) {
        if (request.nonResourceUrl() != null || !request.apiGroup().isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(BUILT_IN_GROUPS.get(request.resource()));
    }

    /**
     * What the page says when {@link #likelyGroup} finds a group, for the API and the CLI: the group, the
     * question as kubectl writes it with that group, and the page's sentence.
     */
    public record GroupHint(String apiGroup, String resource, String message) {}

    public static Optional<GroupHint> groupHint(AccessRequest request) {
        return likelyGroup(request).map(group -> {
            String sub = request.subresource().isEmpty() ? "" : "/" + request.subresource();
            return new GroupHint(group, request.resource() + "." + group + sub,
                    Sentence.of("rbac.whoCan.likelyGroup", request.resource() + sub, group).text());
        });
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
