package io.eksaccess.console.migration;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.rbac.RbacJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The plan as issue 16 writes it: {@code entries}, {@code skipped}, {@code unmigratable},
 * {@code notes}, in that order, in the EKS API's field names. {@code username} and
 * {@code kubernetesGroups} appear only on STANDARD entries (EKS refuses them on node types);
 * a STANDARD entry's {@code username} is null when EKS's default applies.
 */
public final class MigrationPlanJson {

    private MigrationPlanJson() {}

    public static ObjectNode of(MigrationPlan plan) {
        ObjectNode root = RbacJson.JSON.createObjectNode();
        ArrayNode entries = root.putArray("entries");
        for (MigrationPlan.Planned planned : plan.entries()) {
            AccessEntry entry = planned.entry();
            ObjectNode node = entries.addObject();
            node.put("principalArn", entry.principalArn());
            node.put("type", entry.type());
            if (entry.type().equals(AccessEntry.STANDARD)) {
                node.put("username", entry.username());
                ArrayNode groups = node.putArray("kubernetesGroups");
                entry.kubernetesGroups().forEach(groups::add);
            }
            ArrayNode policies = node.putArray("accessPolicies");
            for (AssociatedAccessPolicy policy : entry.associatedAccessPolicies()) {
                ObjectNode p = policies.addObject();
                p.put("policyArn", policy.policyArn());
                ObjectNode scope = p.putObject("accessScope");
                scope.put("type", policy.accessScope().type());
                if (!policy.accessScope().isCluster()) {
                    ArrayNode namespaces = scope.putArray("namespaces");
                    policy.accessScope().namespaces().forEach(namespaces::add);
                }
            }
            ObjectNode from = node.putObject("from");
            from.put("key", planned.from().key());
            from.put("index", planned.index());
        }
        ArrayNode skipped = root.putArray("skipped");
        for (MigrationPlan.Skipped skip : plan.skipped()) {
            ObjectNode node = skipped.addObject();
            node.put("key", skip.key().key());
            node.put("index", skip.index());
            node.put("reason", skip.reason().text());
        }
        ArrayNode unmigratable = root.putArray("unmigratable");
        for (MigrationPlan.Unmigratable u : plan.unmigratable()) {
            ObjectNode node = unmigratable.addObject();
            node.put("key", u.key().key());
            if (u.index() == null) {
                node.putNull("index");
            } else {
                node.put("index", u.index());
            }
            node.put("reason", u.reason().text());
        }
        ArrayNode notes = root.putArray("notes");
        plan.notes().forEach(note -> notes.add(note.text()));
        return root;
    }
}
