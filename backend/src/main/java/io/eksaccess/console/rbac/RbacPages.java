package io.eksaccess.console.rbac;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** What the RBAC tabs show, computed from one cluster's {@link ClusterRbacIndexes.View}. */
final class RbacPages {

    private RbacPages() {}

    /**
     * One binding of the bindings browser.
     *
     * @param rules the role's rules (ClusterRole aggregation applied); null when the role is missing
     */
    /**
     * @param searchText the subjects' names (and namespace:name of service accounts) and the role's
     *     name, lower-cased once here: filters scan every row of a cluster on each page view
     */
    record BindingRow(BindingRef ref, List<Subject> subjects, List<PolicyRule> rules, String subjectText,
            String roleText) {

        BindingRow(BindingRef ref, List<Subject> subjects, List<PolicyRule> rules) {
            this(ref, subjects, rules, subjectText(subjects), ref.roleName().toLowerCase(Locale.ROOT));
        }

        private static String subjectText(List<Subject> subjects) {
            StringBuilder text = new StringBuilder();
            for (Subject subject : subjects) {
                text.append(subject.name()).append('\n');
                if (subject.namespace() != null) {
                    text.append(subject.namespace()).append(':').append(subject.name()).append('\n');
                }
            }
            return text.toString().toLowerCase(Locale.ROOT);
        }

        public String anchor() {
            return (ref.namespace() == null ? "crb-" : "rb-" + ref.namespace() + "-") + ref.name();
        }
    }

    /** A subject who-can found, with the binding that grants it (as can-i finds it first). */
    record WhoCanRow(Subject subject, BindingRef binding) {}

    /** Every binding, ClusterRoleBindings first, each with its role's rules. */
    static List<BindingRow> bindings(ClusterRbacIndexes.View view) {
        Map<String, List<PolicyRule>> roleRules = new HashMap<>();
        for (Role role : view.snapshot().roles()) {
            roleRules.put(role.getMetadata().getNamespace() + "/" + role.getMetadata().getName(),
                    role.getRules() == null ? List.of() : role.getRules());
        }
        List<BindingRow> rows = new ArrayList<>();
        view.snapshot().clusterRoleBindings().stream()
                .sorted(Comparator.comparing((ClusterRoleBinding b) -> b.getMetadata().getName()))
                .forEach(binding -> rows.add(row(BindingRef.CLUSTER_ROLE_BINDING, binding.getMetadata().getName(), null,
                        binding.getRoleRef(), binding.getSubjects(), view.index(), roleRules)));
        view.snapshot().roleBindings().stream()
                .sorted(Comparator.comparing((RoleBinding b) -> b.getMetadata().getNamespace())
                        .thenComparing(b -> b.getMetadata().getName()))
                .forEach(binding -> rows.add(row(BindingRef.ROLE_BINDING, binding.getMetadata().getName(),
                        binding.getMetadata().getNamespace(), binding.getRoleRef(), binding.getSubjects(), view.index(),
                        roleRules)));
        return rows;
    }

    /**
     * Filters: {@code subject} and {@code role} match case-insensitive parts of names;
     * {@code namespace} "" is any, {@value #CLUSTER_WIDE} only ClusterRoleBindings.
     */
    /**
     * Bindings per page: a cluster can hold tens of thousands, and one page of them all ran to
     * megabytes; 200 rows with their rules inline were still 320 KB.
     */
    static final int PAGE_SIZE = 50;

    /** One page of a list: {@code page} 1-based, clamped to the pages there are; {@code from}/{@code to} 1-based, inclusive. */
    record Slice<T>(List<T> rows, int page, int pages, int from, int to) {}

    static <T> Slice<T> page(List<T> all, int requested, int size) {
        int pages = Math.max(1, (all.size() + size - 1) / size);
        int page = Math.min(Math.max(1, requested), pages);
        int from = (page - 1) * size;
        int to = Math.min(all.size(), from + size);
        return new Slice<>(all.subList(from, to), page, pages, all.isEmpty() ? 0 : from + 1, to);
    }

    static List<BindingRow> filter(List<BindingRow> rows, String subject, String role, String namespace) {
        String s = subject.trim().toLowerCase(Locale.ROOT);
        String r = role.trim().toLowerCase(Locale.ROOT);
        return rows.stream()
                .filter(row -> namespace.isEmpty()
                        || (namespace.equals(CLUSTER_WIDE) ? row.ref().namespace() == null
                                : namespace.equals(row.ref().namespace())))
                .filter(row -> r.isEmpty() || row.roleText().contains(r))
                // Names end in a newline, so a filter without one never matches across two names.
                .filter(row -> s.isEmpty() || (s.indexOf('\n') < 0 && row.subjectText().contains(s)))
                .toList();
    }

    static final String CLUSTER_WIDE = "-";

    /** The namespaces to filter by: the cluster's and those any binding names. */
    static List<String> namespaces(ClusterRbacIndexes.View view) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        view.snapshot().namespaces().forEach(ns -> names.add(ns.getMetadata().getName()));
        view.snapshot().roleBindings().forEach(rb -> names.add(rb.getMetadata().getNamespace()));
        return List.copyOf(names);
    }

    /** Who-can's subjects, each with the first binding that grants it. */
    static List<WhoCanRow> whoCan(RbacIndex index, WhoCanAnswer answer, AccessRequest request) {
        List<WhoCanRow> rows = new ArrayList<>();
        for (Subject subject : answer.subjects()) {
            rows.add(new WhoCanRow(subject, index.canI(Identity.of(subject), request).binding()));
        }
        return rows;
    }

    /** Grants grouped per scope: key "" is cluster-wide, first. */
    static Map<String, List<RuleGrant>> scopes(List<RuleGrant> grants) {
        Map<String, List<RuleGrant>> byScope = new LinkedHashMap<>();
        for (RuleGrant grant : grants) {
            byScope.computeIfAbsent(Objects.requireNonNullElse(grant.namespace(), ""), key -> new ArrayList<>()).add(grant);
        }
        return byScope;
    }

    private static BindingRow row(String kind, String name, String namespace,
            io.fabric8.kubernetes.api.model.rbac.RoleRef roleRef,
            List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects, RbacIndex index,
            Map<String, List<PolicyRule>> roleRules) {
        String roleKind = roleRef == null || roleRef.getKind() == null ? "" : roleRef.getKind();
        String roleName = roleRef == null || roleRef.getName() == null ? "" : roleRef.getName();
        BindingRef ref = new BindingRef(kind, name, namespace, roleKind, roleName);
        List<PolicyRule> rules = switch (roleKind) {
            case "ClusterRole" -> index.clusterRoleRules(roleName);
            case "Role" -> namespace == null ? null : roleRules.get(namespace + "/" + roleName);
            default -> null;
        };
        List<Subject> converted = new ArrayList<>();
        if (subjects != null) {
            for (io.fabric8.kubernetes.api.model.rbac.Subject s : subjects) {
                String subjectKind = Objects.requireNonNullElse(s.getKind(), "");
                String subjectNamespace = subjectKind.equals(Subject.SERVICE_ACCOUNT)
                        ? (s.getNamespace() == null || s.getNamespace().isEmpty() ? namespace : s.getNamespace())
                        : null;
                converted.add(new Subject(subjectKind, Objects.requireNonNullElse(s.getName(), ""), subjectNamespace));
            }
        }
        return new BindingRow(ref, converted, rules);
    }
}
