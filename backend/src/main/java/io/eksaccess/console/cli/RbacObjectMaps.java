package io.eksaccess.console.cli;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.rbac.AggregationRule;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * fabric8 RBAC objects from read (and trimmed) manifest maps, without Jackson: Jackson's
 * {@code convertValue} through fabric8's serialization costs more than reading the YAML. Only for
 * maps of exactly the expected shape (known keys, strings, lists of strings, no nulls), where the
 * result equals what Jackson builds (setters for the keys present, defaults for the rest); for
 * anything else the methods return null and the caller converts with Jackson, keeping its
 * coercions and error messages.
 */
final class RbacObjectMaps {

    private static final Set<String> ROLE_KEYS = Set.of("apiVersion", "kind", "metadata", "rules");
    private static final Set<String> CLUSTER_ROLE_KEYS = Set.of("apiVersion", "kind", "metadata", "rules", "aggregationRule");
    private static final Set<String> BINDING_KEYS = Set.of("apiVersion", "kind", "metadata", "roleRef", "subjects");
    private static final Set<String> METADATA_KEYS = Set.of("name", "namespace", "labels");
    private static final Set<String> RULE_KEYS = Set.of("apiGroups", "nonResourceURLs", "resourceNames", "resources", "verbs");
    private static final Set<String> ROLE_REF_KEYS = Set.of("apiGroup", "kind", "name");
    private static final Set<String> SUBJECT_KEYS = Set.of("apiGroup", "kind", "name", "namespace");
    private static final Set<String> SELECTOR_KEYS = Set.of("matchLabels", "matchExpressions");
    private static final Set<String> REQUIREMENT_KEYS = Set.of("key", "operator", "values");

    /** Not the expected shape: convert with Jackson. */
    private static final class Unexpected extends Exception {
        Unexpected() {
            super(null, null, false, false);
        }
    }

    private static final Unexpected UNEXPECTED = new Unexpected();

    private RbacObjectMaps() {}

    static Role role(Map<String, Object> object) {
        try {
            Role role = new Role();
            keys(object, ROLE_KEYS);
            role.setApiVersion(string(object.get("apiVersion")));
            role.setKind(string(object.get("kind")));
            if (object.containsKey("metadata")) {
                role.setMetadata(metadata(object.get("metadata")));
            }
            if (object.containsKey("rules")) {
                role.setRules(rules(object.get("rules")));
            }
            return role;
        } catch (Unexpected e) {
            return null;
        }
    }

    static ClusterRole clusterRole(Map<String, Object> object) {
        try {
            ClusterRole role = new ClusterRole();
            keys(object, CLUSTER_ROLE_KEYS);
            role.setApiVersion(string(object.get("apiVersion")));
            role.setKind(string(object.get("kind")));
            if (object.containsKey("metadata")) {
                role.setMetadata(metadata(object.get("metadata")));
            }
            if (object.containsKey("rules")) {
                role.setRules(rules(object.get("rules")));
            }
            if (object.containsKey("aggregationRule")) {
                Map<?, ?> rule = map(object.get("aggregationRule"), Set.of("clusterRoleSelectors"));
                AggregationRule aggregation = new AggregationRule();
                if (rule.containsKey("clusterRoleSelectors")) {
                    List<LabelSelector> selectors = new ArrayList<>();
                    for (Object selector : list(rule.get("clusterRoleSelectors"))) {
                        selectors.add(selector(selector));
                    }
                    aggregation.setClusterRoleSelectors(selectors);
                }
                role.setAggregationRule(aggregation);
            }
            return role;
        } catch (Unexpected e) {
            return null;
        }
    }

    static RoleBinding roleBinding(Map<String, Object> object) {
        try {
            RoleBinding binding = new RoleBinding();
            keys(object, BINDING_KEYS);
            binding.setApiVersion(string(object.get("apiVersion")));
            binding.setKind(string(object.get("kind")));
            if (object.containsKey("metadata")) {
                binding.setMetadata(metadata(object.get("metadata")));
            }
            if (object.containsKey("roleRef")) {
                binding.setRoleRef(roleRef(object.get("roleRef")));
            }
            if (object.containsKey("subjects")) {
                binding.setSubjects(subjects(object.get("subjects")));
            }
            return binding;
        } catch (Unexpected e) {
            return null;
        }
    }

    static ClusterRoleBinding clusterRoleBinding(Map<String, Object> object) {
        try {
            ClusterRoleBinding binding = new ClusterRoleBinding();
            keys(object, BINDING_KEYS);
            binding.setApiVersion(string(object.get("apiVersion")));
            binding.setKind(string(object.get("kind")));
            if (object.containsKey("metadata")) {
                binding.setMetadata(metadata(object.get("metadata")));
            }
            if (object.containsKey("roleRef")) {
                binding.setRoleRef(roleRef(object.get("roleRef")));
            }
            if (object.containsKey("subjects")) {
                binding.setSubjects(subjects(object.get("subjects")));
            }
            return binding;
        } catch (Unexpected e) {
            return null;
        }
    }

    private static ObjectMeta metadata(Object value) throws Unexpected {
        Map<?, ?> map = map(value, METADATA_KEYS);
        ObjectMeta metadata = new ObjectMeta();
        if (map.containsKey("name")) {
            metadata.setName(string(map.get("name")));
        }
        if (map.containsKey("namespace")) {
            metadata.setNamespace(string(map.get("namespace")));
        }
        if (map.containsKey("labels")) {
            metadata.setLabels(stringMap(map.get("labels")));
        }
        return metadata;
    }

    private static List<PolicyRule> rules(Object value) throws Unexpected {
        List<PolicyRule> rules = new ArrayList<>();
        for (Object item : list(value)) {
            Map<?, ?> map = map(item, RULE_KEYS);
            PolicyRule rule = new PolicyRule();
            if (map.containsKey("apiGroups")) {
                rule.setApiGroups(strings(map.get("apiGroups")));
            }
            if (map.containsKey("nonResourceURLs")) {
                rule.setNonResourceURLs(strings(map.get("nonResourceURLs")));
            }
            if (map.containsKey("resourceNames")) {
                rule.setResourceNames(strings(map.get("resourceNames")));
            }
            if (map.containsKey("resources")) {
                rule.setResources(strings(map.get("resources")));
            }
            if (map.containsKey("verbs")) {
                rule.setVerbs(strings(map.get("verbs")));
            }
            rules.add(rule);
        }
        return rules;
    }

    private static RoleRef roleRef(Object value) throws Unexpected {
        Map<?, ?> map = map(value, ROLE_REF_KEYS);
        RoleRef ref = new RoleRef();
        if (map.containsKey("apiGroup")) {
            ref.setApiGroup(string(map.get("apiGroup")));
        }
        if (map.containsKey("kind")) {
            ref.setKind(string(map.get("kind")));
        }
        if (map.containsKey("name")) {
            ref.setName(string(map.get("name")));
        }
        return ref;
    }

    private static List<Subject> subjects(Object value) throws Unexpected {
        List<Subject> subjects = new ArrayList<>();
        for (Object item : list(value)) {
            Map<?, ?> map = map(item, SUBJECT_KEYS);
            Subject subject = new Subject();
            if (map.containsKey("apiGroup")) {
                subject.setApiGroup(string(map.get("apiGroup")));
            }
            if (map.containsKey("kind")) {
                subject.setKind(string(map.get("kind")));
            }
            if (map.containsKey("name")) {
                subject.setName(string(map.get("name")));
            }
            if (map.containsKey("namespace")) {
                subject.setNamespace(string(map.get("namespace")));
            }
            subjects.add(subject);
        }
        return subjects;
    }

    private static LabelSelector selector(Object value) throws Unexpected {
        Map<?, ?> map = map(value, SELECTOR_KEYS);
        LabelSelector selector = new LabelSelector();
        if (map.containsKey("matchLabels")) {
            selector.setMatchLabels(stringMap(map.get("matchLabels")));
        }
        if (map.containsKey("matchExpressions")) {
            List<LabelSelectorRequirement> requirements = new ArrayList<>();
            for (Object item : list(map.get("matchExpressions"))) {
                Map<?, ?> fields = map(item, REQUIREMENT_KEYS);
                LabelSelectorRequirement requirement = new LabelSelectorRequirement();
                if (fields.containsKey("key")) {
                    requirement.setKey(string(fields.get("key")));
                }
                if (fields.containsKey("operator")) {
                    requirement.setOperator(string(fields.get("operator")));
                }
                if (fields.containsKey("values")) {
                    requirement.setValues(strings(fields.get("values")));
                }
                requirements.add(requirement);
            }
            selector.setMatchExpressions(requirements);
        }
        return selector;
    }

    private static void keys(Map<?, ?> map, Set<String> allowed) throws Unexpected {
        for (Object key : map.keySet()) {
            if (!(key instanceof String name) || !allowed.contains(name)) {
                throw UNEXPECTED;
            }
        }
    }

    private static Map<?, ?> map(Object value, Set<String> allowed) throws Unexpected {
        if (!(value instanceof Map<?, ?> map)) {
            throw UNEXPECTED;
        }
        keys(map, allowed);
        return map;
    }

    private static List<?> list(Object value) throws Unexpected {
        if (!(value instanceof List<?> list)) {
            throw UNEXPECTED;
        }
        return list;
    }

    private static String string(Object value) throws Unexpected {
        if (!(value instanceof String text)) {
            throw UNEXPECTED;
        }
        return text;
    }

    private static List<String> strings(Object value) throws Unexpected {
        List<?> list = list(value);
        List<String> strings = new ArrayList<>(list.size());
        for (Object item : list) {
            strings.add(string(item));
        }
        return strings;
    }

    private static Map<String, String> stringMap(Object value) throws Unexpected {
        if (!(value instanceof Map<?, ?> map)) {
            throw UNEXPECTED;
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            result.put(string(entry.getKey()), string(entry.getValue()));
        }
        return result;
    }
}
