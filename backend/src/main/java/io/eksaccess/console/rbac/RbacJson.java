package io.eksaccess.console.rbac;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON shapes of the RBAC answers, shared by the CLI's {@code --json} (README, "Command line")
 * and the JSON API (openapi.yaml), so the two cannot drift apart.
 */
public final class RbacJson {

    /** Builds and writes the answers' JSON; see {@link Json}. */
    public static final Json JSON = new Json();

    /**
     * The three things the answers need of a JsonMapper (nodes, compact text, and tests' readTree),
     * without building one for the first two: a JsonMapper's set-up is ~80 ms of CPU in a fresh JVM,
     * half of an offline command's cache hit (issue 19). Trees of objects, arrays, strings, ints,
     * longs, booleans and nulls are written by walking them here, as a default JsonMapper's
     * generator writes them (RbacJsonTest compares the two, every char included); anything else
     * goes through the mapper, made on first use.
     */
    public static final class Json {
        private static final class Mapper {
            static final JsonMapper MAPPER = JsonMapper.builder().build();
        }

        private Json() {}

        public ObjectNode createObjectNode() {
            return JsonNodeFactory.instance.objectNode();
        }

        public ArrayNode createArrayNode() {
            return JsonNodeFactory.instance.arrayNode();
        }

        public String writeValueAsString(Object value) {
            if (!(value instanceof JsonNode node) || !plain(node)) {
                return Mapper.MAPPER.writeValueAsString(value);
            }
            // Written here, as the generator writes them (RbacJsonTest compares every char): loading
            // and starting Jackson's generator was ~15% of an offline --json cache hit (issue 19).
            StringBuilder text = new StringBuilder(256);
            write(node, text);
            return text.toString();
        }

        private static final char[] HEX = "0123456789ABCDEF".toCharArray();

        private static void write(JsonNode node, StringBuilder out) {
            if (node.isObject()) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> property : node.properties()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(property.getKey(), out);
                    out.append(':');
                    write(property.getValue(), out);
                }
                out.append('}');
            } else if (node.isArray()) {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out);
                }
                out.append(']');
            } else if (node.isString()) {
                string(node.stringValue(), out);
            } else if (node.isInt()) {
                out.append(node.intValue());
            } else if (node.isLong()) {
                out.append(node.longValue());
            } else if (node.isBoolean()) {
                out.append(node.booleanValue());
            } else {
                out.append("null");
            }
        }

        /** Jackson's default escaping: quote, backslash and control characters; nothing else. */
        private static void string(String text, StringBuilder out) {
            out.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\b' -> out.append("\\b");
                    case '\t' -> out.append("\\t");
                    case '\f' -> out.append("\\f");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    default -> {
                        if (c < 0x20) {
                            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }

        public JsonNode readTree(String content) {
            return Mapper.MAPPER.readTree(content);
        }

        private static boolean plain(JsonNode node) {
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> property : node.properties()) {
                    if (!plain(property.getValue())) {
                        return false;
                    }
                }
                return true;
            }
            if (node.isArray()) {
                for (JsonNode element : node) {
                    if (!plain(element)) {
                        return false;
                    }
                }
                return true;
            }
            return node.isString() || node.isInt() || node.isLong() || node.isBoolean() || node.isNull();
        }
    }

    private RbacJson() {}

    public static ObjectNode subject(Subject subject) {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", subject.kind());
        node.put("name", subject.name());
        if (subject.namespace() != null) {
            node.put("namespace", subject.namespace());
        }
        return node;
    }

    public static ObjectNode binding(BindingRef binding) {
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

    public static ObjectNode identity(Identity identity) {
        ObjectNode node = JSON.createObjectNode();
        node.put("user", identity.user());
        ArrayNode groups = node.putArray("groups");
        identity.groups().forEach(groups::add);
        return node;
    }

    public static ObjectNode rule(PolicyRule rule) {
        ObjectNode node = JSON.createObjectNode();
        putList(node, "verbs", rule.getVerbs());
        putList(node, "apiGroups", rule.getApiGroups());
        putList(node, "resources", rule.getResources());
        putList(node, "resourceNames", rule.getResourceNames());
        putList(node, "nonResourceURLs", rule.getNonResourceURLs());
        return node;
    }

    /** {@code [{"namespace": null|"ns", "rules": [{"binding": {…}|null, "via": {subject}, "rule": {…}}]}]}, cluster-wide first. */
    public static ArrayNode scopes(List<RuleGrant> grants) {
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

    /** who-can: {@code {"subjects":[…],"bindings":[…]}}. */
    public static ObjectNode whoCan(WhoCanAnswer answer) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode subjects = root.putArray("subjects");
        answer.subjects().forEach(subject -> subjects.add(subject(subject)));
        ArrayNode bindings = root.putArray("bindings");
        answer.bindings().forEach(binding -> bindings.add(binding(binding)));
        return root;
    }

    /**
     * who-can as the API answers it: also {@code "likelyGroup":{"apiGroup","resource","message"}} when the
     * question is in the core group about a resource another built-in group serves (as the page says).
     */
    public static ObjectNode whoCan(AccessRequest request, WhoCanAnswer answer) {
        ObjectNode root = whoCan(answer);
        RbacQuestions.groupHint(request).ifPresent(hint -> {
            ObjectNode node = root.putObject("likelyGroup"); // as the API's record writes it
            node.put("apiGroup", hint.apiGroup());
            node.put("resource", hint.resource());
            node.put("message", hint.message());
        });
        return root;
    }

    /** can-i: {@code {"allowed":…,"reason":…,"binding":{…}?}}. */
    public static ObjectNode canI(Decision decision) {
        ObjectNode root = JSON.createObjectNode();
        root.put("allowed", decision.allowed());
        root.put("reason", decision.reason());
        if (decision.binding() != null) {
            root.set("binding", binding(decision.binding()));
        }
        return root;
    }

    /** rules-for: {@code {"subject":…,"identity":…,"scopes":[…]}}. */
    public static ObjectNode rulesFor(Subject subject, Identity identity, List<RuleGrant> grants) {
        ObjectNode root = JSON.createObjectNode();
        root.set("subject", subject(subject));
        root.set("identity", identity(identity));
        root.set("scopes", scopes(grants));
        return root;
    }

    /** access-for: {@code {"arn","mapped","mapping"?,"identity"?,"scopes"?,"notes"}}. */
    public static ObjectNode accessFor(EffectiveAccess.Chain chain) {
        ObjectNode root = JSON.createObjectNode();
        root.put("arn", chain.callerArn());
        root.put("mapped", chain.mapping().mapped());
        if (chain.mapping().mapped()) {
            ObjectNode mapping = root.putObject("mapping");
            mapping.put("via", chain.mapping().via().key());
            mapping.put("index", chain.mapping().entryIndex());
            mapping.put("username", chain.mapping().username());
            ArrayNode groups = mapping.putArray("groups");
            chain.mapping().groups().forEach(groups::add);
            root.set("identity", identity(chain.identity()));
            root.set("scopes", scopes(chain.rules()));
        }
        ArrayNode notes = root.putArray("notes");
        chain.mapping().notes().forEach(notes::add);
        return root;
    }

    /** One line per rule, kubectl-describe style, for the text output ({@link RbacText#line}). */
    public static String ruleText(PolicyRule rule) {
        return RbacText.line(rule);
    }

    private static void putList(ObjectNode node, String field, List<String> values) {
        if (values != null && !values.isEmpty()) {
            ArrayNode array = node.putArray(field);
            values.forEach(array::add);
        }
    }
}
