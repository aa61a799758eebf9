package io.eksaccess.console.rbac;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;

/**
 * The RBAC authorizer's rule matching, transcribed from Kubernetes'
 * {@code pkg/apis/rbac/v1/evaluation_helpers.go} and {@code RuleAllows} in
 * {@code plugin/pkg/auth/authorizer/rbac/rbac.go} (v1.34). Only these forms are wildcards:
 * verb {@code *}, apiGroup {@code *}, resource {@code *}, resource {@code *}/SUB (for that
 * subresource) and a nonResourceURL ending in {@code *} (a prefix). {@code pods/*}, {@code app*}
 * or {@code get*} are literal strings.
 */
public final class RuleMatch {

    private RuleMatch() {}

    public static boolean allows(PolicyRule rule, AccessRequest request) {
        if (!verbMatches(rule, request.verb())) {
            return false;
        }
        if (request.isResourceRequest()) {
            String combined = request.subresource().isEmpty()
                    ? request.resource() : request.resource() + "/" + request.subresource();
            return apiGroupMatches(rule, request.apiGroup())
                    && resourceMatches(rule, combined, request.subresource())
                    && resourceNameMatches(rule, request.name());
        }
        return nonResourceUrlMatches(rule, request.nonResourceUrl());
    }

    // Plain loops, not streams: these run for every rule of every bound role on each question.
    static boolean verbMatches(PolicyRule rule, String verb) {
        return containsOrWildcard(rule.getVerbs(), verb);
    }

    static boolean apiGroupMatches(PolicyRule rule, String group) {
        return containsOrWildcard(rule.getApiGroups(), group);
    }

    private static boolean containsOrWildcard(List<String> values, String wanted) {
        if (values == null) {
            return false;
        }
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value.equals("*") || value.equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    static boolean resourceMatches(PolicyRule rule, String combinedResource, String subresource) {
        for (String resource : list(rule.getResources())) {
            if (resource.equals("*") || resource.equals(combinedResource)) {
                return true;
            }
            if (!subresource.isEmpty() && resource.length() == subresource.length() + 2
                    && resource.startsWith("*/") && resource.endsWith(subresource)) {
                return true;
            }
        }
        return false;
    }

    /** No resourceNames means any name; with some, a request without a name (list, create, …) never matches. */
    static boolean resourceNameMatches(PolicyRule rule, String name) {
        List<String> names = list(rule.getResourceNames());
        return names.isEmpty() || names.contains(name);
    }

    static boolean nonResourceUrlMatches(PolicyRule rule, String url) {
        for (String ruleUrl : list(rule.getNonResourceURLs())) {
            if (ruleUrl.equals("*") || ruleUrl.equals(url)) {
                return true;
            }
            // Go's strings.TrimRight: every trailing '*' goes, so "/api**" is the prefix "/api".
            if (ruleUrl.endsWith("*") && url.startsWith(trimTrailingStars(ruleUrl))) {
                return true;
            }
        }
        return false;
    }

    private static String trimTrailingStars(String value) {
        int end = value.length();
        while (end > 0 && value.charAt(end - 1) == '*') {
            end--;
        }
        return value.substring(0, end);
    }

    private static List<String> list(List<String> values) {
        return values == null ? List.of() : values;
    }
}
