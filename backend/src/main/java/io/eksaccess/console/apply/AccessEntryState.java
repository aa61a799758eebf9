package io.eksaccess.console.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eksaccess.console.cluster.cache.EksAccessEntries;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A cluster's access entries and policy associations as drift compares them: what decides who is
 * mapped and what they may do (type, username, groups, policies with scopes) plus each entry's
 * creation time (a delete and re-create outside the console is a change: EKS binds the entry to the
 * principal's id of that moment). EKS's other timestamps are left out; lists are sorted.
 */
record AccessEntryState(TreeMap<String, Entry> entries) {

    record Entry(String type, String username, List<String> groups, String createdAt, TreeMap<String, Scope> policies) {}

    /** @param type {@code cluster} or {@code namespace} */
    record Scope(String type, List<String> namespaces) {

        String describe() {
            return "namespace".equals(type) ? "namespaces " + String.join(", ", namespaces) : "cluster-wide";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static AccessEntryState of(EksAccessEntries synced) {
        TreeMap<String, Entry> entries = new TreeMap<>();
        for (EksAccessEntries.Entry entry : synced.entries()) {
            TreeMap<String, Scope> policies = new TreeMap<>();
            for (EksAccessEntries.Association association : entry.policies()) {
                policies.put(association.policyArn(), new Scope(association.scopeType(),
                        List.copyOf(new TreeSet<>(association.namespaces()))));
            }
            entries.put(entry.principalArn(), new Entry(entry.type(), entry.username(),
                    List.copyOf(new TreeSet<>(entry.kubernetesGroups())),
                    entry.createdAt() == null ? null : entry.createdAt().toString(), policies));
        }
        return new AccessEntryState(entries);
    }

    String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static AccessEntryState parse(String json) {
        try {
            return JSON.readValue(json, AccessEntryState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored access-entry baseline is not in the expected form", e);
        }
    }

    String hash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What changed from {@code before} to {@code after}, one readable line each: {@code +} added,
     * {@code -} removed, {@code ~} changed; entries in ARN order, each entry's policies after it.
     */
    static List<String> diff(AccessEntryState before, AccessEntryState after) {
        List<String> lines = new ArrayList<>();
        TreeSet<String> principals = new TreeSet<>(before.entries().keySet());
        principals.addAll(after.entries().keySet());
        for (String arn : principals) {
            Entry old = before.entries().get(arn);
            Entry now = after.entries().get(arn);
            if (old == null) {
                lines.add("+ access entry " + arn + ": " + describe(now));
            } else if (now == null) {
                lines.add("- access entry " + arn + ": " + describe(old));
            } else {
                if (!Objects.equals(old.type(), now.type())) {
                    lines.add("~ access entry " + arn + ": type " + old.type() + " → " + now.type());
                } else if (!Objects.equals(old.createdAt(), now.createdAt())) {
                    lines.add("~ access entry " + arn + ": deleted and created again (created " + now.createdAt()
                            + ", was " + old.createdAt() + ")");
                }
                if (!Objects.equals(old.username(), now.username())) {
                    lines.add("~ access entry " + arn + ": username " + quoted(old.username()) + " → " + quoted(now.username()));
                }
                if (!old.groups().equals(now.groups())) {
                    lines.add("~ access entry " + arn + ": groups " + old.groups() + " → " + now.groups());
                }
            }
            policies(lines, arn, old == null ? Map.of() : old.policies(), now == null ? Map.of() : now.policies());
        }
        return lines;
    }

    private static void policies(List<String> lines, String arn, Map<String, Scope> before, Map<String, Scope> after) {
        TreeSet<String> policies = new TreeSet<>(before.keySet());
        policies.addAll(after.keySet());
        for (String policy : policies) {
            Scope old = before.get(policy);
            Scope now = after.get(policy);
            String what = "policy " + name(policy) + " on " + arn + ": ";
            if (old == null) {
                lines.add("+ " + what + now.describe());
            } else if (now == null) {
                lines.add("- " + what + old.describe());
            } else if (!old.equals(now)) {
                lines.add("~ " + what + old.describe() + " → " + now.describe());
            }
        }
    }

    private static String describe(Entry entry) {
        return "type " + entry.type() + ", username " + quoted(entry.username()) + ", groups " + entry.groups();
    }

    private static String quoted(String value) {
        return value == null ? "(none)" : "\"" + value + "\"";
    }

    /** {@code arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy} → {@code AmazonEKSViewPolicy}. */
    private static String name(String policyArn) {
        return policyArn.substring(policyArn.lastIndexOf('/') + 1);
    }
}
