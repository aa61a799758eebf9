package io.eksaccess.console.accessentry;

import io.eksaccess.console.awsauth.goyaml.Echo;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a cluster's access entries in the EKS API's own field names:
 * <pre>{"cluster": {"name": "prod", "accessConfig": {"authenticationMode": "API_AND_CONFIG_MAP"}},
 *  "accessEntries": [{"principalArn", "type", "username", "kubernetesGroups",
 *                     "associatedAccessPolicies": [{"policyArn", "accessScope": {"type", "namespaces"}}]}]}</pre>
 * Other fields EKS returns (createdAt, tags, accessEntryArn, …) are ignored. Anything ambiguous or
 * malformed is refused whole with one line (input quoted at most {@link Echo#MAX_CHARS} characters):
 * duplicate keys, wrong types, an unknown mode or scope type, two entries for one principal.
 */
public final class AccessEntriesReader {

    /** 3,000 entries (the EKS quota) with generous policies fit in a few MiB. */
    public static final int MAX_BYTES = 8 * 1024 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(50).build()).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private AccessEntriesReader() {}

    /** @param bytes the file's content, at most {@link #MAX_BYTES} */
    public static ClusterAccessEntries read(byte[] bytes) throws AccessEntriesUnreadableException {
        if (bytes.length > MAX_BYTES) {
            throw new AccessEntriesUnreadableException("larger than " + MAX_BYTES / (1024 * 1024)
                    + " MiB; 3,000 entries (the EKS quota) fit in far less");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new AccessEntriesUnreadableException("not UTF-8 text (binary?), not the access-entries JSON");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            String message = Echo.message(e.getOriginalMessage()).replace("Duplicate Object property", "duplicate key");
            throw new AccessEntriesUnreadableException("not valid JSON: " + message
                    + (message.startsWith("duplicate key") ? " (which one counts is ambiguous; keep one)" : ""));
        }
        if (root == null || !root.isObject()) {
            throw new AccessEntriesUnreadableException("not the access-entries JSON: expected an object"
                    + " {\"cluster\": {…}, \"accessEntries\": […]}");
        }
        JsonNode cluster = object(root, "cluster", true, "");
        String name = string(cluster, "name", "cluster", false);
        JsonNode accessConfig = object(cluster, "accessConfig", true, "cluster");
        String modeText = string(accessConfig, "authenticationMode", "cluster.accessConfig", true);
        AuthenticationMode mode;
        try {
            mode = AuthenticationMode.valueOf(modeText);
        } catch (IllegalArgumentException e) {
            throw new AccessEntriesUnreadableException("cluster.accessConfig.authenticationMode '" + Echo.of(modeText)
                    + "' is not one of CONFIG_MAP, API_AND_CONFIG_MAP, API");
        }
        JsonNode entries = root.get("accessEntries");
        if (entries == null || entries.isNull()) {
            return new ClusterAccessEntries(name, mode, List.of());
        }
        if (!entries.isArray()) {
            throw new AccessEntriesUnreadableException("accessEntries is not a list");
        }
        List<AccessEntry> result = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            AccessEntry entry = entry(entries.get(i), "accessEntries[" + i + "]");
            for (int j = 0; j < result.size(); j++) {
                if (result.get(j).principal().samePrincipal(entry.principal())) {
                    throw new AccessEntriesUnreadableException("accessEntries[" + i + "] and accessEntries[" + j
                            + "] are for the same principal " + Echo.of(entry.principalArn())
                            + " (EKS keeps one entry per principal; keep one)");
                }
            }
            result.add(entry);
        }
        return new ClusterAccessEntries(name, mode, result);
    }

    private static AccessEntry entry(JsonNode node, String where) throws AccessEntriesUnreadableException {
        if (!node.isObject()) {
            throw new AccessEntriesUnreadableException(where + " is not an object");
        }
        String principalArn = string(node, "principalArn", where, true);
        if (PrincipalArn.parse(principalArn) == null) {
            throw new AccessEntriesUnreadableException(where + ".principalArn '" + Echo.of(principalArn)
                    + "' is not an IAM role or user ARN (arn:aws:iam::ACCOUNT:role/NAME or …:user/NAME)");
        }
        String type = string(node, "type", where, false);
        if (type != null && !AccessEntry.TYPES.contains(type)) {
            throw new AccessEntriesUnreadableException(where + ".type '" + Echo.of(type) + "' is not one of "
                    + String.join(", ", AccessEntry.TYPES));
        }
        String username = string(node, "username", where, false);
        List<String> groups = strings(node, "kubernetesGroups", where);
        List<AssociatedAccessPolicy> policies = new ArrayList<>();
        JsonNode associated = node.get("associatedAccessPolicies");
        if (associated != null && !associated.isNull()) {
            if (!associated.isArray()) {
                throw new AccessEntriesUnreadableException(where + ".associatedAccessPolicies is not a list");
            }
            for (int p = 0; p < associated.size(); p++) {
                String policyWhere = where + ".associatedAccessPolicies[" + p + "]";
                AssociatedAccessPolicy policy = policy(associated.get(p), policyWhere);
                for (AssociatedAccessPolicy earlier : policies) {
                    if (earlier.policyArn().equals(policy.policyArn())) {
                        throw new AccessEntriesUnreadableException(policyWhere + " associates "
                                + Echo.of(policy.policyArn()) + " again (EKS keeps one scope per policy; keep one)");
                    }
                }
                policies.add(policy);
            }
        }
        return new AccessEntry(principalArn, type, username, groups, policies);
    }

    private static AssociatedAccessPolicy policy(JsonNode node, String where) throws AccessEntriesUnreadableException {
        if (!node.isObject()) {
            throw new AccessEntriesUnreadableException(where + " is not an object");
        }
        String policyArn = string(node, "policyArn", where, true);
        if (!policyArn.startsWith("arn:") || policyArn.endsWith("/") || !policyArn.contains("/")) {
            throw new AccessEntriesUnreadableException(where + ".policyArn '" + Echo.of(policyArn)
                    + "' is not an access policy ARN (arn:aws:eks::aws:cluster-access-policy/NAME)");
        }
        JsonNode scope = object(node, "accessScope", true, where);
        String type = string(scope, "type", where + ".accessScope", true);
        List<String> namespaces = strings(scope, "namespaces", where + ".accessScope");
        switch (type) {
            case AccessScope.CLUSTER -> {
                if (!namespaces.isEmpty()) {
                    throw new AccessEntriesUnreadableException(where + ".accessScope is cluster-wide but lists"
                            + " namespaces (drop them, or use type namespace)");
                }
            }
            case AccessScope.NAMESPACE -> {
                if (namespaces.isEmpty()) {
                    throw new AccessEntriesUnreadableException(where + ".accessScope has type namespace but no"
                            + " namespaces (list them, or use type cluster)");
                }
            }
            default -> throw new AccessEntriesUnreadableException(where + ".accessScope.type '" + Echo.of(type)
                    + "' is not cluster or namespace");
        }
        return new AssociatedAccessPolicy(policyArn, new AccessScope(type, namespaces));
    }

    private static JsonNode object(JsonNode parent, String field, boolean required, String where)
            throws AccessEntriesUnreadableException {
        String path = where.isEmpty() ? field : where + "." + field;
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new AccessEntriesUnreadableException("missing " + path);
            }
            return null;
        }
        if (!node.isObject()) {
            throw new AccessEntriesUnreadableException(path + " is not an object");
        }
        return node;
    }

    private static String string(JsonNode parent, String field, String where, boolean required)
            throws AccessEntriesUnreadableException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new AccessEntriesUnreadableException("missing " + where + "." + field);
            }
            return null;
        }
        if (!node.isString()) {
            throw new AccessEntriesUnreadableException(where + "." + field + " is not a string");
        }
        String value = node.asString();
        if (required && value.isEmpty()) {
            throw new AccessEntriesUnreadableException(where + "." + field + " is empty");
        }
        return value;
    }

    private static List<String> strings(JsonNode parent, String field, String where)
            throws AccessEntriesUnreadableException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new AccessEntriesUnreadableException(where + "." + field + " is not a list of strings");
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isString()) {
                throw new AccessEntriesUnreadableException(where + "." + field + "[" + i + "] is not a string");
            }
            values.add(node.get(i).asString());
        }
        return values;
    }
}
