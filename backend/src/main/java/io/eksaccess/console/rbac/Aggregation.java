package io.eksaccess.console.rbac;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * ClusterRole aggregation as kube-controller-manager's clusterroleaggregation controller does it:
 * a role with an aggregationRule gets, in place of its rules, the de-duplicated rules of every
 * other ClusterRole its selectors pick (per selector, roles in name order). A snapshot of a real
 * cluster already has them filled, and recomputing gives the same rules, so this is idempotent.
 * Chains (an aggregated role picking another) are repeated to a fixed point, as the controller
 * converges on them.
 */
final class Aggregation {

    private static final int MAX_ROUNDS = 16;

    private Aggregation() {}

    /** The rules of every ClusterRole by name, aggregation applied. */
    static Map<String, List<PolicyRule>> effectiveRules(List<ClusterRole> clusterRoles) {
        List<ClusterRole> sorted = clusterRoles.stream()
                .sorted(Comparator.comparing(role -> role.getMetadata().getName())).toList();
        Map<String, List<PolicyRule>> rules = new HashMap<>();
        sorted.forEach(role -> rules.put(role.getMetadata().getName(), nonNull(role.getRules())));
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean changed = false;
            for (ClusterRole role : sorted) {
                if (role.getAggregationRule() == null) {
                    continue;
                }
                List<PolicyRule> aggregated = aggregate(role, sorted, rules);
                if (aggregated != null && !aggregated.equals(rules.get(role.getMetadata().getName()))) {
                    rules.put(role.getMetadata().getName(), aggregated);
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
        }
        return rules;
    }

    /** Null when a selector is invalid: the controller then leaves the role as it is. */
    private static List<PolicyRule> aggregate(ClusterRole target, List<ClusterRole> all,
            Map<String, List<PolicyRule>> rules) {
        List<PolicyRule> result = new ArrayList<>();
        for (LabelSelector selector : nonNull(target.getAggregationRule().getClusterRoleSelectors())) {
            for (ClusterRole source : all) {
                String name = source.getMetadata().getName();
                if (name.equals(target.getMetadata().getName())) {
                    continue;
                }
                Boolean selected = matches(selector, source.getMetadata().getLabels());
                if (selected == null) {
                    return null;
                }
                if (selected) {
                    for (PolicyRule rule : rules.get(name)) {
                        if (!result.contains(rule)) {
                            result.add(rule);
                        }
                    }
                }
            }
        }
        return result;
    }

    /**
     * metav1.LabelSelectorAsSelector: an empty selector matches everything; null when invalid.
     */
    static Boolean matches(LabelSelector selector, Map<String, String> labels) {
        Map<String, String> have = labels == null ? Map.of() : labels;
        if (selector == null) {
            return false;
        }
        Map<String, String> matchLabels = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        for (Map.Entry<String, String> label : matchLabels.entrySet()) {
            if (!Objects.equals(have.get(label.getKey()), label.getValue())) {
                return false;
            }
        }
        for (LabelSelectorRequirement requirement : nonNull(selector.getMatchExpressions())) {
            String value = have.get(requirement.getKey());
            List<String> values = nonNull(requirement.getValues());
            String operator = requirement.getOperator() == null ? "" : requirement.getOperator();
            boolean ok;
            switch (operator) {
                case "In" -> {
                    if (values.isEmpty()) {
                        return null;
                    }
                    ok = value != null && values.contains(value);
                }
                case "NotIn" -> {
                    if (values.isEmpty()) {
                        return null;
                    }
                    ok = value == null || !values.contains(value);
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        return null; // labels.NewRequirement refuses values here
                    }
                    ok = have.containsKey(requirement.getKey()) == operator.equals("Exists");
                }
                default -> {
                    return null;
                }
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
