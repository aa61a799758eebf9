package io.eksaccess.console.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eksaccess.console.awsauth.AwsAuthEdit.RoleEntry;
import io.eksaccess.console.awsauth.AwsAuthEdit.UserEntry;
import io.eksaccess.console.awsauth.SsoMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a {@link Change} (apply intents, access requests and their inverses, the
 * audit's {@code change} detail); the one codec for it, aws-auth and access-entry kinds alike. It is a contract: rows written today are read
 * back after upgrades, so fields are only ever added. Requests' rows written before this codec served
 * them have the same shape (an SSO role had no form there), so they read back unchanged.
 *
 * <pre>
 * {"kind":"MAP_ROLE","arn":"arn:aws:iam::1:role/x","username":"x:{{SessionName}}","groups":["g"]}
 * {"kind":"MAP_ROLE","sso":{"permissionSetName":"P","accountId":"1","partition":""},"username":"…","groups":[…]}
 * {"kind":"UNMAP_ROLE","arn":"…"}   {"kind":"MAP_USER","arn":"…","username":"…","groups":[…]}
 * {"kind":"UNMAP_USER","arn":"…"}   {"kind":"MAP_ACCOUNT","accountId":"1"}   {"kind":"UNMAP_ACCOUNT","accountId":"1"}
 * role and user kinds as a way back: ,"granted":{"username":"…","groups":[…]} (what the change they undo left;
 *  {} when it left no mapping; absent: a plain change)
 * {"kind":"CREATE_ACCESS_ENTRY","principalArn":"…","type":"STANDARD","username":"…"(absent: EKS's default),"kubernetesGroups":[…]
 *  ,"accessPolicies":[{"policyArn":"…","accessScope":{…}}](absent: none; a delete's way back)}
 * {"kind":"UPDATE_ACCESS_ENTRY","principalArn":"…","username":"…","kubernetesGroups":[…]}
 * {"kind":"DELETE_ACCESS_ENTRY","principalArn":"…","granted":{"type":…,"username":…,"kubernetesGroups":[…],"accessPolicies":[…]}(absent: all of it)}
 * {"kind":"ASSOCIATE_ACCESS_POLICY","principalArn":"…","policyArn":"…","accessScope":{"type":"namespace","namespaces":["dev"]}}
 * {"kind":"DISASSOCIATE_ACCESS_POLICY","principalArn":"…","policyArn":"…","grantedScope":{…}(absent: whatever its scope)}
 * {"kind":"SET_AUTHENTICATION_MODE","authenticationMode":"API_AND_CONFIG_MAP"}
 * {"kind":"ACCESS_ENTRY_BATCH","changes":[{"kind":"CREATE_ACCESS_ENTRY",…},{"kind":"ASSOCIATE_ACCESS_POLICY",…}]}
 * </pre>
 * The access-entry kinds carry the EKS API's field names, as {@code POST /api/v1/requests} takes them.
 */
public final class MappingChangeJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MappingChangeJson() {}

    /** The kind names, also used by the request form's {@code kind} parameter. */
    public static String kindOf(Change change) {
        if (change instanceof AccessEntryChange entry) {
            return AccessEntryJson.kindOf(entry);
        }
        if (change instanceof MappingChange.MapRole) {
            return "MAP_ROLE";
        } else if (change instanceof MappingChange.UnmapRole) {
            return "UNMAP_ROLE";
        } else if (change instanceof MappingChange.MapUser) {
            return "MAP_USER";
        } else if (change instanceof MappingChange.UnmapUser) {
            return "UNMAP_USER";
        } else if (change instanceof MappingChange.MapAccount) {
            return "MAP_ACCOUNT";
        }
        return "UNMAP_ACCOUNT";
    }

    /** @return the JSON text, or null for no change (a request without an inverse) */
    public static String write(Change change) {
        if (change == null) {
            return null;
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", kindOf(change));
        if (change instanceof AccessEntryChange entry) {
            AccessEntryJson.write(entry, node);
        } else if (change instanceof MappingChange.MapRole c) {
            if (c.entry().sso() != null) {
                ObjectNode sso = node.putObject("sso");
                sso.put("permissionSetName", c.entry().sso().permissionSetName());
                sso.put("accountId", c.entry().sso().accountId());
                sso.put("partition", c.entry().sso().partition());
            } else {
                node.put("arn", c.entry().roleArn());
            }
            identity(node, c.entry().username(), c.entry().groups());
        } else if (change instanceof MappingChange.MapUser c) {
            node.put("arn", c.entry().userArn());
            identity(node, c.entry().username(), c.entry().groups());
        } else if (change instanceof MappingChange.MapAccount c) {
            node.put("accountId", c.accountId());
        } else if (change instanceof MappingChange.UnmapAccount c) {
            node.put("accountId", c.accountId());
        } else {
            node.put("arn", change.principal());
        }
        if (change instanceof MappingChange mapping && mapping.granted() != null) {
            ObjectNode granted = node.putObject("granted");
            if (mapping.granted().mapped()) {
                identity(granted, mapping.granted().username(), mapping.granted().groups());
            }
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @return the change, or null for null text (a column left empty)
     * @throws IllegalArgumentException when the text is not a change this codec wrote
     */
    public static Change read(String json) {
        if (json == null) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a mapping change: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a mapping change: expected a JSON object");
        }
        String kind = text(node, "kind");
        return switch (kind) {
            case "MAP_ROLE" -> {
                JsonNode sso = node.get("sso");
                SsoMatcher matcher = sso == null || sso.isNull() ? null : new SsoMatcher(
                        text(sso, "permissionSetName"), text(sso, "accountId"), text(sso, "partition"));
                yield new MappingChange.MapRole(new RoleEntry(matcher == null ? text(node, "arn") : null, matcher,
                        text(node, "username"), groups(node)), granted(node));
            }
            case "MAP_USER" -> new MappingChange.MapUser(new UserEntry(text(node, "arn"), text(node, "username"), groups(node)),
                    granted(node));
            case "UNMAP_ROLE" -> new MappingChange.UnmapRole(text(node, "arn"), granted(node));
            case "UNMAP_USER" -> new MappingChange.UnmapUser(text(node, "arn"), granted(node));
            case "MAP_ACCOUNT" -> new MappingChange.MapAccount(text(node, "accountId"));
            case "UNMAP_ACCOUNT" -> new MappingChange.UnmapAccount(text(node, "accountId"));
            default -> AccessEntryJson.read(kind, node);
        };
    }

    private static MappingChange.Granted granted(JsonNode node) {
        JsonNode granted = node.get("granted");
        if (granted == null || granted.isNull()) {
            return null;
        }
        if (!granted.isObject()) {
            throw new IllegalArgumentException("not a mapping change: 'granted' is not an object");
        }
        return granted.hasNonNull("username") ? new MappingChange.Granted(text(granted, "username"), groups(granted))
                : MappingChange.Granted.NONE;
    }

    private static void identity(ObjectNode node, String username, List<String> groups) {
        node.put("username", username);
        ArrayNode array = node.putArray("groups");
        groups.forEach(array::add);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("not a mapping change: '" + field + "' is missing");
        }
        return value.asText();
    }

    private static List<String> groups(JsonNode node) {
        List<String> groups = new ArrayList<>();
        JsonNode array = node.get("groups");
        if (array != null && array.isArray()) {
            array.forEach(g -> groups.add(g.asText()));
        }
        return groups;
    }
}
