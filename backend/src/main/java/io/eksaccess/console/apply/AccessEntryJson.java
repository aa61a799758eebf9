package io.eksaccess.console.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eksaccess.console.accessentry.AccessScope;
import io.eksaccess.console.accessentry.AuthenticationMode;
import java.util.ArrayList;
import java.util.List;

/** The access-entry half of {@link MappingChangeJson} (the one codec); its kinds and shapes are listed there. */
final class AccessEntryJson {

    private AccessEntryJson() {}

    static String kindOf(AccessEntryChange change) {
        if (change instanceof AccessEntryChange.CreateAccessEntry) {
            return "CREATE_ACCESS_ENTRY";
        } else if (change instanceof AccessEntryChange.UpdateAccessEntry) {
            return "UPDATE_ACCESS_ENTRY";
        } else if (change instanceof AccessEntryChange.DeleteAccessEntry) {
            return "DELETE_ACCESS_ENTRY";
        } else if (change instanceof AccessEntryChange.AssociateAccessPolicy) {
            return "ASSOCIATE_ACCESS_POLICY";
        } else if (change instanceof AccessEntryChange.DisassociateAccessPolicy) {
            return "DISASSOCIATE_ACCESS_POLICY";
        } else if (change instanceof AccessEntryChange.Batch) {
            return "ACCESS_ENTRY_BATCH";
        }
        return "SET_AUTHENTICATION_MODE";
    }

    static void write(AccessEntryChange change, ObjectNode node) {
        if (change instanceof AccessEntryChange.SetAuthenticationMode c) {
            node.put("authenticationMode", c.mode().name());
            return;
        }
        if (change instanceof AccessEntryChange.Batch batch) {
            ArrayNode items = node.putArray("changes");
            for (AccessEntryChange item : batch.changes()) {
                ObjectNode itemNode = items.addObject();
                itemNode.put("kind", kindOf(item));
                write(item, itemNode);
            }
            return;
        }
        node.put("principalArn", change.principal());
        if (change instanceof AccessEntryChange.CreateAccessEntry c) {
            node.put("type", c.type());
            if (c.username() != null) {
                node.put("username", c.username());
            }
            groups(node, c.kubernetesGroups());
        } else if (change instanceof AccessEntryChange.UpdateAccessEntry c) {
            if (c.username() != null) {
                node.put("username", c.username());
            }
            groups(node, c.kubernetesGroups());
        } else if (change instanceof AccessEntryChange.AssociateAccessPolicy c) {
            node.put("policyArn", c.policyArn());
            ObjectNode scope = node.putObject("accessScope");
            scope.put("type", c.accessScope().type());
            if (!c.accessScope().isCluster()) {
                ArrayNode namespaces = scope.putArray("namespaces");
                c.accessScope().namespaces().forEach(namespaces::add);
            }
        } else if (change instanceof AccessEntryChange.DisassociateAccessPolicy c) {
            node.put("policyArn", c.policyArn());
        }
    }

    static AccessEntryChange read(String kind, JsonNode node) {
        return switch (kind) {
            case "CREATE_ACCESS_ENTRY" -> new AccessEntryChange.CreateAccessEntry(text(node, "principalArn"),
                    text(node, "type"), optional(node, "username"), groups(node));
            case "UPDATE_ACCESS_ENTRY" -> new AccessEntryChange.UpdateAccessEntry(text(node, "principalArn"),
                    optional(node, "username"), groups(node));
            case "DELETE_ACCESS_ENTRY" -> new AccessEntryChange.DeleteAccessEntry(text(node, "principalArn"));
            case "ASSOCIATE_ACCESS_POLICY" -> {
                JsonNode scope = node.get("accessScope");
                if (scope == null || !scope.isObject()) {
                    throw new IllegalArgumentException("not a stored change: 'accessScope' is missing");
                }
                List<String> namespaces = new ArrayList<>();
                JsonNode array = scope.get("namespaces");
                if (array != null && array.isArray()) {
                    array.forEach(n -> namespaces.add(n.asText()));
                }
                yield new AccessEntryChange.AssociateAccessPolicy(text(node, "principalArn"), text(node, "policyArn"),
                        new AccessScope(text(scope, "type"), namespaces));
            }
            case "DISASSOCIATE_ACCESS_POLICY" -> new AccessEntryChange.DisassociateAccessPolicy(
                    text(node, "principalArn"), text(node, "policyArn"));
            case "SET_AUTHENTICATION_MODE" -> {
                String mode = text(node, "authenticationMode");
                try {
                    yield new AccessEntryChange.SetAuthenticationMode(AuthenticationMode.valueOf(mode));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("not a stored change: unknown authentication mode '" + mode + "'");
                }
            }
            case "ACCESS_ENTRY_BATCH" -> {
                JsonNode items = node.get("changes");
                if (items == null || !items.isArray()) {
                    throw new IllegalArgumentException("not a stored change: 'changes' is missing");
                }
                List<AccessEntryChange> changes = new ArrayList<>();
                for (JsonNode item : items) {
                    String itemKind = text(item, "kind");
                    if (itemKind.equals("ACCESS_ENTRY_BATCH") || itemKind.equals("SET_AUTHENTICATION_MODE")) {
                        throw new IllegalArgumentException("not a stored change: a batch holds no " + itemKind);
                    }
                    changes.add(read(itemKind, item));
                }
                yield new AccessEntryChange.Batch(changes);
            }
            default -> throw new IllegalArgumentException("not a mapping change: unknown kind '" + kind + "'");
        };
    }

    private static String text(JsonNode node, String field) {
        return MappingChangeJson.text(node, field);
    }

    private static String optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void groups(ObjectNode node, List<String> groups) {
        ArrayNode array = node.putArray("kubernetesGroups");
        groups.forEach(array::add);
    }

    private static List<String> groups(JsonNode node) {
        List<String> groups = new ArrayList<>();
        JsonNode array = node.get("kubernetesGroups");
        if (array != null && array.isArray()) {
            array.forEach(g -> groups.add(g.asText()));
        }
        return groups;
    }
}
