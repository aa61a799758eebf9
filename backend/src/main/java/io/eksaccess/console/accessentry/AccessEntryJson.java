package io.eksaccess.console.accessentry;

import io.eksaccess.console.awsauth.WhoIs;
import io.eksaccess.console.rbac.RbacJson;
import io.eksaccess.console.rbac.RuleGrant;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON shapes of the answers for IAM callers (README, "Access entries"), in the EKS API's field
 * names where they show EKS objects, beside {@link RbacJson}'s shapes for RBAC.
 */
public final class AccessEntryJson {

    private AccessEntryJson() {}

    /** {@code {"type": "cluster"|"namespace", "namespaces": [...]}}, as the EKS API writes it. */
    public static ObjectNode accessScope(AccessScope scope) {
        ObjectNode node = RbacJson.JSON.createObjectNode();
        node.put("type", scope.type());
        ArrayNode namespaces = node.putArray("namespaces");
        scope.namespaces().forEach(namespaces::add);
        return node;
    }

    /** {@code {"policyArn", "accessScope"}}. */
    public static ObjectNode accessPolicy(AssociatedAccessPolicy policy) {
        ObjectNode node = RbacJson.JSON.createObjectNode();
        node.put("policyArn", policy.policyArn());
        node.set("accessScope", accessScope(policy.accessScope()));
        return node;
    }

    /** {@code {"principalArn","type","username","kubernetesGroups"}}; the username as EKS reports it (its default when unset). */
    public static ObjectNode accessEntry(AccessEntry entry) {
        ObjectNode node = RbacJson.JSON.createObjectNode();
        node.put("principalArn", entry.principalArn());
        node.put("type", entry.type());
        node.put("username", entry.effectiveUsername());
        ArrayNode groups = node.putArray("kubernetesGroups");
        entry.kubernetesGroups().forEach(groups::add);
        return node;
    }

    /** can-i --arn: {@code {"allowed","reason","identity":{…}|null,"via":…|null,"binding"?,"accessPolicy"?}}. */
    public static ObjectNode canI(IamDecision decision) {
        ObjectNode root = RbacJson.JSON.createObjectNode();
        root.put("allowed", decision.allowed());
        root.put("reason", decision.reason());
        if (decision.identity() == null) {
            root.putNull("identity");
        } else {
            root.set("identity", RbacJson.identity(decision.identity()));
        }
        if (decision.via() == null) {
            root.putNull("via");
        } else {
            root.put("via", decision.via());
        }
        if (decision.binding() != null) {
            root.set("binding", RbacJson.binding(decision.binding()));
        }
        if (decision.accessPolicy() != null) {
            root.set("accessPolicy", accessPolicy(decision.accessPolicy()));
        }
        return root;
    }

    /**
     * access-for: {@code {"arn","mapped","mapping"?,"accessEntry","shadowedMapping","accessPolicies",
     * "identity"?,"scopes"?,"notes"}}; {@code mapping} only when aws-auth mapped the caller.
     */
    public static ObjectNode accessFor(IamIdentity who, List<RuleGrant> rules) {
        ObjectNode root = RbacJson.JSON.createObjectNode();
        root.put("arn", who.callerArn());
        root.put("mapped", who.mapped());
        if (who.mapping() != null) {
            ObjectNode mapping = root.putObject("mapping");
            mapping.put("via", who.mapping().via().key());
            mapping.put("index", who.mapping().entryIndex());
            mapping.put("username", who.mapping().username());
            ArrayNode groups = mapping.putArray("groups");
            who.mapping().groups().forEach(groups::add);
        }
        if (who.entry() == null) {
            root.putNull("accessEntry");
        } else {
            root.set("accessEntry", accessEntry(who.entry()));
        }
        WhoIs.Answer shadowed = who.shadowedMapping();
        if (shadowed == null) {
            root.putNull("shadowedMapping");
        } else {
            ObjectNode node = root.putObject("shadowedMapping");
            node.put("via", shadowed.via().key());
            node.put("index", shadowed.entryIndex());
        }
        ArrayNode policies = root.putArray("accessPolicies");
        who.accessPolicies().forEach(policy -> policies.add(accessPolicy(policy)));
        if (who.mapped()) {
            root.set("identity", RbacJson.identity(who.identity()));
            root.set("scopes", RbacJson.scopes(rules));
        }
        ArrayNode notes = root.putArray("notes");
        who.notes().forEach(notes::add);
        return root;
    }

    /** who-can's {@code "iamPrincipals": [{"arn","source","grant"}]}. */
    public static ArrayNode iamPrincipals(List<IamPrincipal> principals) {
        ArrayNode array = RbacJson.JSON.createArrayNode();
        for (IamPrincipal principal : principals) {
            ObjectNode node = array.addObject();
            node.put("arn", principal.arn());
            node.put("source", principal.source());
            node.put("grant", principal.grant());
        }
        return array;
    }
}
