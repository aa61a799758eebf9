package io.eksaccess.console.cli;

import io.eksaccess.console.rbac.BindingRef;
import io.eksaccess.console.rbac.Identity;
import io.eksaccess.console.rbac.RuleGrant;
import io.eksaccess.console.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON shapes of the RBAC commands (documented in README, "Command line"). */
final class RbacJson {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private RbacJson() {}

    static ObjectNode subject(Subject subject) {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", subject.kind());
        node.put("name", subject.name());
        if (subject.namespace() != null) {
            node.put("namespace", subject.namespace());
        }
        return node;
    }

    static ObjectNode binding(BindingRef binding) {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", binding.kind());
        node.put("name", binding.name());
        if (binding.namespace() != null) {
            node.put("namespace", binding.namespace());
        }
        ObjectNode roleRef = node.putObject("roleRef");
        roleRef.put("kind", binding.roleKind());
        roleRef.put("name", binding.roleName());
        return node;
    }

    static ObjectNode identity(Identity identity) {
        ObjectNode node = JSON.createObjectNode();
        node.put("user", identity.user());
        ArrayNode groups = node.putArray("groups");
        identity.groups().forEach(groups::add);
        return node;
    }

    static ObjectNode rule(PolicyRule rule) {
        ObjectNode node = JSON.createObjectNode();
        putList(node, "verbs", rule.getVerbs());
        putList(node, "apiGroups", rule.getApiGroups());
        putList(node, "resources", rule.getResources());
        putList(node, "resourceNames", rule.getResourceNames());
        putList(node, "nonResourceURLs", rule.getNonResourceURLs());
        return node;
    }

    /** {@code [{"namespace": null|"ns", "rules": [{"binding": {…}|null, "via": {subject}, "rule": {…}}]}]}, cluster-wide first. */
    static ArrayNode scopes(List<RuleGrant> grants) {
        Map<String, List<RuleGrant>> byScope = new LinkedHashMap<>();
        for (RuleGrant grant : grants) {
            byScope.computeIfAbsent(Objects.requireNonNullElse(grant.namespace(), ""), key -> new ArrayList<>()).add(grant);
        }
        ArrayNode scopes = JSON.createArrayNode();
        byScope.forEach((namespace, scopeGrants) -> {
            ObjectNode scope = scopes.addObject();
            if (namespace.isEmpty()) {
                scope.putNull("namespace");
            } else {
                scope.put("namespace", namespace);
            }
            ArrayNode rules = scope.putArray("rules");
            for (RuleGrant grant : scopeGrants) {
                ObjectNode node = rules.addObject();
                if (grant.binding() == null) {
                    node.putNull("binding");
                } else {
                    node.set("binding", binding(grant.binding()));
                }
                node.set("via", subject(grant.via()));
                node.set("rule", rule(grant.rule()));
            }
        });
        return scopes;
    }

    static ArrayNode errors(List<RbacManifests.Problem> problems) {
        ArrayNode errors = JSON.createArrayNode();
        for (RbacManifests.Problem problem : problems) {
            ObjectNode node = errors.addObject();
            node.put("file", problem.file());
            if (problem.document() == null) {
                node.putNull("document");
            } else {
                node.put("document", problem.document().intValue());
            }
            node.put("message", problem.message());
        }
        return errors;
    }

    /** One line per rule, kubectl-describe style, for the text output. */
    static String ruleText(PolicyRule rule) {
        StringBuilder text = new StringBuilder();
        text.append(String.join(",", nonNull(rule.getVerbs())));
        if (!nonNull(rule.getNonResourceURLs()).isEmpty()) {
            text.append(" nonResourceURLs=").append(String.join(",", rule.getNonResourceURLs()));
        }
        if (!nonNull(rule.getResources()).isEmpty() || !nonNull(rule.getApiGroups()).isEmpty()) {
            text.append(" resources=").append(String.join(",", nonNull(rule.getResources())));
            text.append(" apiGroups=").append(String.join(",", nonNull(rule.getApiGroups()).stream()
                    .map(group -> group.isEmpty() ? "\"\"" : group).toList()));
        }
        if (!nonNull(rule.getResourceNames()).isEmpty()) {
            text.append(" resourceNames=").append(String.join(",", rule.getResourceNames()));
        }
        return text.toString();
    }

    private static void putList(ObjectNode node, String field, List<String> values) {
        if (values != null && !values.isEmpty()) {
            ArrayNode array = node.putArray(field);
            values.forEach(array::add);
        }
    }

    private static List<String> nonNull(List<String> values) {
        return values == null ? List.of() : values;
    }
}
