package io.eksaccess.console.apply;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The requests that would take access-entry drift back to its baseline, as {@link RevertLinks} does
 * for aws-auth: prefilled request forms (ordinary requests, through the approvals). An entry that
 * appeared is deleted; one that disappeared is created again as it was, then each of its policies
 * associated again; a changed username or groups are updated back; a policy that appeared is
 * disassociated, one that disappeared or was re-scoped is associated again with its baseline scope.
 * An entry deleted and created again with the same shape has nothing a request could take back.
 */
final class AccessEntryRevertLinks {

    private AccessEntryRevertLinks() {}

    static List<DriftEvent.RevertLink> of(String cluster, AccessEntryState before, AccessEntryState after) {
        List<DriftEvent.RevertLink> links = new ArrayList<>();
        TreeSet<String> principals = new TreeSet<>(before.entries().keySet());
        principals.addAll(after.entries().keySet());
        for (String arn : principals) {
            AccessEntryState.Entry was = before.entries().get(arn);
            AccessEntryState.Entry now = after.entries().get(arn);
            if (was == null) {
                links.add(link(cluster, "DELETE_ACCESS_ENTRY", arn, arn, Map.of()));
                continue;
            }
            if (now == null || !Objects.equals(was.type(), now.type())) {
                if (now != null) {
                    links.add(link(cluster, "DELETE_ACCESS_ENTRY", arn, arn, Map.of()));
                }
                links.add(link(cluster, "CREATE_ACCESS_ENTRY", arn, arn, identity(was, true)));
                was.policies().forEach((policy, scope) -> links.add(associate(cluster, arn, policy, scope)));
                continue;
            }
            if (!Objects.equals(was.username(), now.username()) || !was.groups().equals(now.groups())) {
                links.add(link(cluster, "UPDATE_ACCESS_ENTRY", arn, arn, identity(was, false)));
            }
            now.policies().keySet().stream().filter(policy -> !was.policies().containsKey(policy))
                    .forEach(policy -> links.add(link(cluster, "DISASSOCIATE_ACCESS_POLICY", arn,
                            name(policy) + " from " + arn, Map.of("policyArn", policy))));
            was.policies().forEach((policy, scope) -> {
                if (!scope.equals(now.policies().get(policy))) {
                    links.add(associate(cluster, arn, policy, scope));
                }
            });
        }
        return links;
    }

    private static Map<String, String> identity(AccessEntryState.Entry entry, boolean withType) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        if (withType) {
            fields.put("type", entry.type());
        }
        if ("STANDARD".equals(entry.type())) {
            if (entry.username() != null) {
                fields.put("username", entry.username());
            }
            fields.put("groups", String.join(",", entry.groups()));
        }
        return fields;
    }

    private static DriftEvent.RevertLink associate(String cluster, String arn, String policy, AccessEntryState.Scope scope) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("policyArn", policy);
        fields.put("scopeType", scope.type());
        if (!scope.namespaces().isEmpty()) {
            fields.put("namespaces", String.join(",", scope.namespaces()));
        }
        return link(cluster, "ASSOCIATE_ACCESS_POLICY", arn, name(policy) + " (" + scope.describe() + ") with " + arn, fields);
    }

    /** @param label what the link's text names: the principal, or the policy and the principal */
    private static DriftEvent.RevertLink link(String cluster, String kind, String arn, String label,
            Map<String, String> fields) {
        StringBuilder href = new StringBuilder("/requests/new?cluster=").append(encode(cluster))
                .append("&kind=").append(kind).append("&arn=").append(encode(arn));
        fields.forEach((name, value) -> href.append('&').append(name).append('=').append(encode(value)));
        return new DriftEvent.RevertLink(kind, label, href.toString());
    }

    private static String name(String policyArn) {
        return policyArn.substring(policyArn.lastIndexOf('/') + 1);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
