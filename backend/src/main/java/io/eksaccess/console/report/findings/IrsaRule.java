package io.eksaccess.console.report.findings;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * IRSA-001: the trust policy of every role a ServiceAccount names in {@code eks.amazonaws.com/role-arn}
 * must let only that ServiceAccount assume it through the cluster's OIDC provider: each statement
 * allowing {@code sts:AssumeRoleWithWebIdentity} needs a {@code …:sub} condition, compared exactly
 * or with a pattern without wildcards.
 */
final class IrsaRule {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What IRSA-001 could not check, for the evaluation's notes. */
    record Outcome(List<String> unknownRoles) {}

    private IrsaRule() {}

    static Outcome check(FindingsInput input, TrustPolicies policies, List<SecurityFinding> into) {
        Map<String, Optional<String>> documents = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (ServiceAccount account : input.serviceAccounts()) {
            String role = WorkloadRules.irsaRoleOf(account);
            if (role == null) {
                continue;
            }
            Optional<String> document = documents.computeIfAbsent(role, policies::trustPolicyOf);
            if (document.isEmpty()) {
                if (!unknown.contains(role)) {
                    unknown.add(role);
                }
                continue;
            }
            String name = account.getMetadata().getNamespace() + "/" + account.getMetadata().getName();
            problem(document.get()).ifPresent(problem -> into.add(FindingRule.IRSA_001.about(
                    "ServiceAccount/" + name, "IAM role " + role + " (used by ServiceAccount " + name + "): "
                            + problem + " Add a StringEquals condition on <oidc-provider>:sub with the value"
                            + " system:serviceaccount:" + account.getMetadata().getNamespace() + ":"
                            + account.getMetadata().getName() + ".")));
        }
        return new Outcome(List.copyOf(unknown));
    }

    /** Why the trust policy is not scoped to one ServiceAccount, or empty when it is. */
    static Optional<String> problem(String document) {
        JsonNode policy;
        try {
            policy = JSON.readTree(document);
        } catch (JacksonException e) {
            return Optional.of("its trust policy is not valid JSON.");
        }
        List<JsonNode> statements = listOf(policy.get("Statement"));
        for (int i = 0; i < statements.size(); i++) {
            JsonNode statement = statements.get(i);
            if (!"Allow".equals(text(statement.get("Effect"))) || !allowsWebIdentity(statement)) {
                continue;
            }
            String where = statements.size() == 1 ? "its trust policy" : "statement " + (i + 1) + " of its trust policy";
            List<String> subs = new ArrayList<>();
            boolean wildcard = false;
            JsonNode conditions = statement.get("Condition");
            if (conditions != null && conditions.isObject()) {
                for (Map.Entry<String, JsonNode> operator : conditions.properties()) {
                    String op = operator.getKey().replaceFirst("^For(Any|All)Values?:", "").replaceFirst("IfExists$", "");
                    boolean scoping = op.equals("StringEquals") || op.equals("StringEqualsIgnoreCase") || op.equals("StringLike");
                    if (!scoping || !operator.getValue().isObject()) {
                        continue;
                    }
                    for (Map.Entry<String, JsonNode> key : operator.getValue().properties()) {
                        if (!key.getKey().toLowerCase(Locale.ROOT).endsWith(":sub")) {
                            continue;
                        }
                        for (JsonNode value : listOf(key.getValue())) {
                            String sub = text(value);
                            subs.add(sub);
                            wildcard |= op.equals("StringLike") && (sub.contains("*") || sub.contains("?"));
                        }
                    }
                }
            }
            if (subs.isEmpty()) {
                return Optional.of(where + " lets sts:AssumeRoleWithWebIdentity through without a :sub condition, so"
                        + " any ServiceAccount of the cluster (and of any cluster trusting the same provider) can assume it.");
            }
            if (wildcard) {
                return Optional.of(where + " matches :sub with a wildcard (" + String.join(", ", subs) + "), so"
                        + " more ServiceAccounts than this one can assume it.");
            }
        }
        return Optional.empty();
    }

    private static boolean allowsWebIdentity(JsonNode statement) {
        return listOf(statement.get("Action")).stream().map(IrsaRule::text)
                .anyMatch(action -> action.equals("*") || action.equalsIgnoreCase("sts:*")
                        || action.equalsIgnoreCase("sts:AssumeRoleWithWebIdentity"));
    }

    private static List<JsonNode> listOf(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(items::add);
            return items;
        }
        return List.of(node);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? "" : node.isValueNode() ? node.asString() : node.toString();
    }
}
