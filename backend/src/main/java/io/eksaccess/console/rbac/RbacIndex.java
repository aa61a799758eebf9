package io.eksaccess.console.rbac;

import io.eksaccess.console.cluster.cache.ClusterSnapshot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One cluster's RBAC, ready for questions, answering as the kube-apiserver does
 * ({@code DefaultRuleResolver.VisitRulesFor} + {@code RuleAllows}, behind the {@code system:masters}
 * superuser authorizer): ClusterRoleBindings apply everywhere, RoleBindings only to requests in
 * their namespace (a RoleBinding to a ClusterRole grants that role's rules there), and a binding
 * whose role is missing grants nothing (kept in {@link #danglingBindings()}).
 *
 * <p>Immutable once built; bindings are kept in name order so answers are deterministic.
 */
public final class RbacIndex {

    /** A binding with its subjects (ServiceAccount namespaces defaulted) and its role's rules (null: role missing). */
    record Binding(BindingRef ref, List<Subject> subjects, List<PolicyRule> rules) {}

    /**
     * A binding as who-can walks it: its role's number (bindings of one role share it, so each
     * role's rules are matched once per question; -1 when the role is missing) and, per subject,
     * the user or group name the API server would see (null: matches nobody).
     */
    private record WhoCanEntry(Binding binding, int role, String[] users, String[] groups) {}

    /**
     * A binding ready for who-can: its role's number (see {@link WhoCanEntry}) and in {@code reaches}
     * the numbers (see {@link #subjectOrder}) of every subject whose identity one of the binding's
     * subjects grants, so an answer is a bit set read in order: de-duplicated and sorted without
     * hashing or sorting per question.
     */
    record Grantees(Binding binding, int role, boolean grantsSomeone, int[] reaches) {}

    private static final BitSet EMPTY = new BitSet();

    /** who-can's output order: kind, then name, then namespace. */
    static final Comparator<Subject> SUBJECT_ORDER = Comparator.comparing(Subject::kind).thenComparing(Subject::name)
            .thenComparing(subject -> subject.namespace() == null ? "" : subject.namespace());

    final List<Binding> clusterBindings;
    final Map<String, List<Binding>> bindingsByNamespace;
    final Map<String, List<PolicyRule>> clusterRoleRules;
    /** The by-role, dangling and subject look-ups; a restored index (see {@link PreparedIndex}) makes them on first use. */
    private volatile ByBinding byBinding;
    /** The rules of each role some binding refers to, by role number. */
    final List<List<PolicyRule>> roleRules = new ArrayList<>();
    /** Subjects by the identity they stand for: Users and ServiceAccounts by username, Groups by name. */
    private final Map<String, List<Subject>> subjectsByUsername = new HashMap<>();
    private final Map<String, List<Subject>> subjectsByGroup = new HashMap<>();
    /** Every subject of every binding, in who-can's output order; a subject's number is its place here. */
    final List<Subject> subjectOrder;
    final List<Grantees> clusterGrantees;
    final Map<String, List<Grantees>> granteesByNamespace = new HashMap<>();
    /**
     * Role numbers by each verb and each resource string their rules name, wildcard forms included
     * as written: a role must name the verb and the resource in some rule to allow a request, so
     * who-can matches the rules of only those roles.
     */
    final Map<String, BitSet> rolesByVerb = new HashMap<>();
    final Map<String, BitSet> rolesByResource = new HashMap<>();
    /** rules-for's look-up, made on first use (racing threads make equal ones): see {@link BindingsBySubject}. */
    private volatile BindingsBySubject bindingsBySubject;

    /**
     * By username and group, the numbers (in rules-for's order: ClusterRoleBindings, then
     * RoleBindings by namespace) of the bindings with a subject that names it: rules-for visits
     * only the bindings that can apply to the identity instead of all of them (the findings ask it
     * for every subject of a cluster: 10,000 subjects × 20,000 bindings).
     */
    record BindingsBySubject(Map<String, int[]> byUsername, Map<String, int[]> byGroup) {}

    /**
     * Where rules-for's binding numbers fall: the namespaces with bindings, in order, and the
     * number of each one's first binding. Made from the lists' sizes, so a kept index builds only
     * the namespaces whose bindings an identity's numbers point into.
     */
    private record Positions(String[] namespaces, int[] starts, int total) {}

    /** The kept index's look-up ({@link PreparedIndex}), read on first use; null when built here. */
    private final java.util.function.Supplier<BindingsBySubject> keptLookup;
    private volatile Positions positions;

    private RbacIndex(List<Binding> clusterBindings, Map<String, List<Binding>> bindingsByNamespace,
            Map<String, List<PolicyRule>> clusterRoleRules) {
        this.clusterBindings = clusterBindings;
        this.bindingsByNamespace = bindingsByNamespace;
        this.clusterRoleRules = clusterRoleRules;
        this.keptLookup = null;
        Set<Subject> allSubjects = byBinding().allSubjects();
        Map<List<PolicyRule>, Integer> roleNumbers = new java.util.IdentityHashMap<>();
        List<WhoCanEntry> clusterEntries = new ArrayList<>();
        for (Binding binding : clusterBindings) {
            clusterEntries.add(whoCanEntry(binding, roleNumbers));
        }
        Map<String, List<WhoCanEntry>> entriesByNamespace = new HashMap<>();
        bindingsByNamespace.forEach((namespace, bindings) -> entriesByNamespace.put(namespace,
                bindings.stream().map(binding -> whoCanEntry(binding, roleNumbers)).toList()));
        for (Subject subject : allSubjects) {
            switch (subject.kind()) {
                case Subject.USER -> subjectsByUsername.computeIfAbsent(subject.name(), k -> new ArrayList<>()).add(subject);
                case Subject.GROUP -> subjectsByGroup.computeIfAbsent(subject.name(), k -> new ArrayList<>()).add(subject);
                case Subject.SERVICE_ACCOUNT -> {
                    if (subject.namespace() != null && !subject.namespace().isEmpty()) {
                        subjectsByUsername.computeIfAbsent(Subject.serviceAccountUsername(subject.namespace(),
                                subject.name()), k -> new ArrayList<>()).add(subject);
                    }
                }
                default -> { }
            }
        }
        subjectOrder = allSubjects.stream().sorted(SUBJECT_ORDER).toList();
        Map<Subject, Integer> numbers = new HashMap<>();
        for (int i = 0; i < subjectOrder.size(); i++) {
            numbers.put(subjectOrder.get(i), i);
        }
        for (int role = 0; role < roleRules.size(); role++) {
            for (PolicyRule rule : roleRules.get(role)) {
                markRole(rolesByVerb, rule.getVerbs(), role);
                markRole(rolesByResource, rule.getResources(), role);
            }
        }
        clusterGrantees = clusterEntries.stream().map(entry -> grantees(entry, numbers)).toList();
        entriesByNamespace.forEach((namespace, entries) -> granteesByNamespace.put(namespace,
                entries.stream().map(entry -> grantees(entry, numbers)).toList()));
    }

    /**
     * An index as {@link PreparedIndex} kept it: what the constructor above computed, as it was,
     * with only the by-role, dangling and subject look-ups derived again from the bindings.
     */
    RbacIndex(List<Binding> clusterBindings, Map<String, List<Binding>> bindingsByNamespace,
            Map<String, List<PolicyRule>> clusterRoleRules, List<List<PolicyRule>> roleRules, List<Subject> subjectOrder,
            List<Grantees> clusterGrantees, Map<String, List<Grantees>> granteesByNamespace,
            Map<String, BitSet> rolesByVerb, Map<String, BitSet> rolesByResource,
            java.util.function.Supplier<BindingsBySubject> keptLookup) {
        this.keptLookup = keptLookup;
        this.clusterBindings = clusterBindings;
        this.bindingsByNamespace = bindingsByNamespace;
        this.clusterRoleRules = clusterRoleRules;
        this.roleRules.addAll(roleRules);
        this.subjectOrder = subjectOrder;
        this.clusterGrantees = clusterGrantees;
        this.granteesByNamespace.putAll(granteesByNamespace);
        this.rolesByVerb.putAll(rolesByVerb);
        this.rolesByResource.putAll(rolesByResource);
    }

    /** Bindings by role, those whose role is missing, and every subject in first-seen order (racing threads make equal ones). */
    private record ByBinding(Map<String, List<Binding>> bindingsByRole, List<BindingRef> danglingBindings,
            Set<Subject> allSubjects) {}

    private ByBinding byBinding() {
        ByBinding made = byBinding;
        if (made == null) {
            Map<String, List<Binding>> bindingsByRole = new HashMap<>();
            List<BindingRef> danglingBindings = new ArrayList<>();
            Set<Subject> allSubjects = new LinkedHashSet<>();
            List<Binding> all = new ArrayList<>(clusterBindings);
            bindingsByNamespace.values().forEach(all::addAll);
            for (Binding binding : all) {
                String roleKey = roleKey(binding.ref().roleKind(), binding.ref().namespace(), binding.ref().roleName());
                bindingsByRole.computeIfAbsent(roleKey, key -> new ArrayList<>()).add(binding);
                if (binding.rules() == null) {
                    danglingBindings.add(binding.ref());
                }
                allSubjects.addAll(binding.subjects());
            }
            made = new ByBinding(bindingsByRole, danglingBindings, allSubjects);
            byBinding = made;
        }
        return made;
    }

    private static void markRole(Map<String, BitSet> roles, List<String> names, int role) {
        if (names != null) {
            for (String name : names) {
                roles.computeIfAbsent(name, key -> new BitSet()).set(role);
            }
        }
    }

    /** The roles that could allow the request: a necessary condition only, RuleMatch decides. */
    private BitSet candidateRoles(AccessRequest request) {
        BitSet candidates = union(rolesByVerb, request.verb(), "*");
        if (request.isResourceRequest()) {
            String combined = request.subresource().isEmpty()
                    ? request.resource() : request.resource() + "/" + request.subresource();
            BitSet byResource = union(rolesByResource, combined, "*");
            if (!request.subresource().isEmpty()) {
                byResource.or(rolesByResource.getOrDefault("*/" + request.subresource(), EMPTY));
            }
            candidates.and(byResource);
        }
        return candidates;
    }

    private static BitSet union(Map<String, BitSet> roles, String name, String wildcard) {
        BitSet result = (BitSet) roles.getOrDefault(name, EMPTY).clone();
        result.or(roles.getOrDefault(wildcard, EMPTY));
        return result;
    }

    private Grantees grantees(WhoCanEntry entry, Map<Subject, Integer> numbers) {
        boolean grantsSomeone = false;
        List<Integer> reaches = new ArrayList<>();
        for (int i = 0; i < entry.users().length; i++) {
            List<Subject> same = List.of();
            if (entry.users()[i] != null) {
                same = subjectsByUsername.getOrDefault(entry.users()[i], List.of());
                grantsSomeone = true;
            } else if (entry.groups()[i] != null) {
                same = subjectsByGroup.getOrDefault(entry.groups()[i], List.of());
                grantsSomeone = true;
            }
            same.forEach(subject -> reaches.add(numbers.get(subject)));
        }
        return new Grantees(entry.binding(), entry.role(), grantsSomeone,
                reaches.stream().mapToInt(Integer::intValue).toArray());
    }

    private WhoCanEntry whoCanEntry(Binding binding, Map<List<PolicyRule>, Integer> roleNumbers) {
        int role = -1;
        if (binding.rules() != null) {
            role = roleNumbers.computeIfAbsent(binding.rules(), rules -> {
                roleRules.add(rules);
                return roleRules.size() - 1;
            });
        }
        int count = binding.subjects().size();
        String[] users = new String[count];
        String[] groups = new String[count];
        for (int i = 0; i < count; i++) {
            Subject subject = binding.subjects().get(i);
            switch (subject.kind()) {
                case Subject.USER -> users[i] = subject.name();
                case Subject.GROUP -> groups[i] = subject.name().equals(Subject.MASTERS) ? null : subject.name();
                case Subject.SERVICE_ACCOUNT -> users[i] = subject.namespace() == null || subject.namespace().isEmpty()
                        ? null : Subject.serviceAccountUsername(subject.namespace(), subject.name());
                default -> { }
            }
        }
        return new WhoCanEntry(binding, role, users, groups);
    }

    /** The index of what a cluster's cache held (aggregated roles may be filled or not). */
    public static RbacIndex of(ClusterSnapshot snapshot) {
        return build(snapshot.roles(), snapshot.clusterRoles(), snapshot.roleBindings(), snapshot.clusterRoleBindings());
    }

    public static RbacIndex build(List<Role> roles, List<ClusterRole> clusterRoles, List<RoleBinding> roleBindings,
            List<ClusterRoleBinding> clusterRoleBindings) {
        Map<String, List<PolicyRule>> clusterRoleRules = Aggregation.effectiveRules(clusterRoles);
        Map<String, List<PolicyRule>> roleRules = new HashMap<>();
        for (Role role : roles) {
            roleRules.put(roleKey("Role", role.getMetadata().getNamespace(), role.getMetadata().getName()),
                    role.getRules() == null ? List.of() : role.getRules());
        }
        List<Binding> cluster = new ArrayList<>();
        for (ClusterRoleBinding crb : sortedByName(clusterRoleBindings)) {
            BindingRef ref = ref(BindingRef.CLUSTER_ROLE_BINDING, crb.getMetadata().getName(), null, crb.getRoleRef());
            cluster.add(new Binding(ref, subjects(crb.getSubjects(), null),
                    resolve(ref, clusterRoleRules, roleRules)));
        }
        Map<String, List<Binding>> byNamespace = new TreeMap<>();
        for (RoleBinding rb : sortedByName(roleBindings)) {
            String namespace = rb.getMetadata().getNamespace();
            BindingRef ref = ref(BindingRef.ROLE_BINDING, rb.getMetadata().getName(), namespace, rb.getRoleRef());
            byNamespace.computeIfAbsent(namespace, ns -> new ArrayList<>())
                    .add(new Binding(ref, subjects(rb.getSubjects(), namespace), resolve(ref, clusterRoleRules, roleRules)));
        }
        return new RbacIndex(List.copyOf(cluster), byNamespace, clusterRoleRules);
    }

    /** can-i: the whole API server's answer for this identity. */
    public Decision canI(Identity identity, AccessRequest request) {
        if (identity.groups().contains(Subject.MASTERS)) {
            return new Decision(true, "member of " + Subject.MASTERS + " (the API server's superuser group)", null, null);
        }
        List<String> missing = new ArrayList<>();
        for (Binding binding : bindingsFor(request)) {
            Subject via = firstApplying(binding, identity);
            if (via == null) {
                continue;
            }
            if (binding.rules() == null) {
                missing.add(binding.ref().roleKind() + " " + binding.ref().roleName() + " not found");
                continue;
            }
            for (PolicyRule rule : binding.rules()) {
                if (RuleMatch.allows(rule, request)) {
                    return new Decision(true, "allowed by " + binding.ref() + " (subject " + via.kind() + " "
                            + via.name() + ")", binding.ref(), via);
                }
            }
        }
        String reason = "no RBAC rule allows it";
        if (!missing.isEmpty()) {
            reason += "; bindings that apply refer to missing roles: " + String.join(", ", missing);
        }
        return new Decision(false, reason, null, null);
    }

    /**
     * who-can: every subject named in any binding whose own identity (a user; a group probed by an
     * otherwise unbound user; a ServiceAccount's username) the API server would allow, and the
     * bindings that grant it. The superuser group system:masters is left out.
     */
    public WhoCanAnswer whoCan(AccessRequest request) {
        BitSet granted = new BitSet(subjectOrder.size());
        List<BindingRef> granting = new ArrayList<>();
        byte[] roleAllows = new byte[roleRules.size()]; // 0 not yet matched, 1 allows, 2 does not
        BitSet candidates = candidateRoles(request);
        collectGrants(clusterGrantees, request, candidates, roleAllows, granted, granting);
        if (!request.namespace().isEmpty()) {
            collectGrants(granteesByNamespace.getOrDefault(request.namespace(), List.of()), request, candidates,
                    roleAllows, granted, granting);
        }
        // Any subject anywhere whose identity is granted counts (e.g. a User named like a ServiceAccount).
        List<Subject> subjects = new ArrayList<>(granted.cardinality());
        for (int i = granted.nextSetBit(0); i >= 0; i = granted.nextSetBit(i + 1)) {
            subjects.add(subjectOrder.get(i));
        }
        return new WhoCanAnswer(Collections.unmodifiableList(subjects), Collections.unmodifiableList(granting));
    }

    /** Bindings in index order; a role's rules are matched against the request once. */
    private void collectGrants(List<Grantees> entries, AccessRequest request, BitSet candidates, byte[] roleAllows,
            BitSet granted, List<BindingRef> granting) {
        for (Grantees grantees : entries) {
            int role = grantees.role();
            if (role < 0) {
                continue;
            }
            if (roleAllows[role] == 0) {
                boolean allows = candidates.get(role) && anyRuleAllows(roleRules.get(role), request);
                roleAllows[role] = allows ? (byte) 1 : (byte) 2;
            }
            if (roleAllows[role] == 2 || !grantees.grantsSomeone()) {
                continue;
            }
            for (int subject : grantees.reaches()) {
                granted.set(subject);
            }
            granting.add(grantees.binding().ref());
        }
    }

    private static boolean anyRuleAllows(List<PolicyRule> rules, AccessRequest request) {
        for (PolicyRule rule : rules) {
            if (RuleMatch.allows(rule, request)) {
                return true;
            }
        }
        return false;
    }

    /**
     * rules-for: every rule the identity holds, cluster-wide ones first (namespace null), then per
     * namespace those from RoleBindings. Rules of bindings to missing roles are absent.
     */
    public List<RuleGrant> rulesFor(Identity identity) {
        List<RuleGrant> grants = new ArrayList<>();
        if (identity.groups().contains(Subject.MASTERS)) {
            PolicyRule everything = new PolicyRuleBuilder()
                    .withApiGroups("*").withResources("*").withVerbs("*").build();
            PolicyRule allUrls = new PolicyRuleBuilder()
                    .withNonResourceURLs("*").withVerbs("*").build();
            grants.add(new RuleGrant(null, null, Subject.group(Subject.MASTERS), everything));
            grants.add(new RuleGrant(null, null, Subject.group(Subject.MASTERS), allUrls));
        }
        BindingsBySubject lookup = bindingsBySubject();
        // Small sorted lists per name (a BitSet per name would be as long as the bindings are many).
        int[] candidates = lookup.byUsername().getOrDefault(identity.user(), NONE);
        for (String group : identity.groups()) {
            int[] more = lookup.byGroup().getOrDefault(group, NONE);
            if (more.length > 0) {
                candidates = java.util.stream.IntStream.concat(java.util.Arrays.stream(candidates), java.util.Arrays.stream(more))
                        .sorted().distinct().toArray();
            }
        }
        Positions at = positions();
        int clusterCount = clusterBindings.size();
        int block = -1;
        for (int i : candidates) {
            if (i >= at.total()) {
                continue; // only a kept look-up could hold one, and PreparedIndex checks them
            }
            String namespace = null;
            Binding binding;
            if (i < clusterCount) {
                binding = clusterBindings.get(i);
            } else {
                // Candidates ascend: the namespace holding i is this one or a later one.
                while (block + 1 < at.starts().length && at.starts()[block + 1] <= i) {
                    block++;
                }
                namespace = at.namespaces()[block];
                binding = bindingsByNamespace.get(namespace).get(i - at.starts()[block]);
            }
            Subject via = firstApplying(binding, identity);
            if (via != null && binding.rules() != null) {
                String scope = namespace;
                binding.rules().forEach(rule -> grants.add(new RuleGrant(scope, binding.ref(), via, rule)));
            }
        }
        return grants;
    }

    private Positions positions() {
        Positions made = positions;
        if (made == null) {
            List<String> namespaces = new ArrayList<>();
            List<Integer> starts = new ArrayList<>();
            int next = clusterBindings.size();
            for (Map.Entry<String, List<Binding>> entry : bindingsByNamespace.entrySet()) {
                int size = entry.getValue().size(); // a kept namespace knows its size unbuilt
                if (size > 0) {
                    namespaces.add(entry.getKey());
                    starts.add(next);
                    next += size;
                }
            }
            made = new Positions(namespaces.toArray(String[]::new), starts.stream().mapToInt(Integer::intValue).toArray(),
                    next);
            positions = made;
        }
        return made;
    }

    private static final int[] NONE = new int[0];

    private static Map<String, int[]> toArrays(Map<String, List<Integer>> lists) {
        Map<String, int[]> arrays = new HashMap<>(lists.size() * 2);
        lists.forEach((key, numbers) -> arrays.put(key, numbers.stream().mapToInt(Integer::intValue).toArray()));
        return arrays;
    }

    /** rules-for's look-up: the kept one when it reads, else made from every binding. */
    BindingsBySubject bindingsBySubject() {
        BindingsBySubject lookup = bindingsBySubject;
        if (lookup == null && keptLookup != null) {
            lookup = keptLookup.get(); // null: not readable, made below as for a built index
            bindingsBySubject = lookup;
        }
        if (lookup == null) {
            List<Binding> ordered = new ArrayList<>(clusterBindings);
            bindingsByNamespace.values().forEach(ordered::addAll);
            Map<String, List<Integer>> byUsername = new HashMap<>();
            Map<String, List<Integer>> byGroup = new HashMap<>();
            for (int i = 0; i < ordered.size(); i++) {
                for (Subject subject : ordered.get(i).subjects()) {
                    // The names Subject.appliesTo compares with the identity's user or groups.
                    String key = null;
                    Map<String, List<Integer>> into = byUsername;
                    switch (subject.kind()) {
                        case Subject.USER -> key = subject.name();
                        case Subject.GROUP -> {
                            key = subject.name();
                            into = byGroup;
                        }
                        case Subject.SERVICE_ACCOUNT -> {
                            if (subject.namespace() != null && !subject.namespace().isEmpty()) {
                                key = Subject.serviceAccountUsername(subject.namespace(), subject.name());
                            }
                        }
                        default -> { }
                    }
                    if (key != null) {
                        List<Integer> numbers = into.computeIfAbsent(key, k -> new ArrayList<>(2));
                        if (numbers.isEmpty() || numbers.get(numbers.size() - 1) != i) {
                            numbers.add(i);
                        }
                    }
                }
            }
            lookup = new BindingsBySubject(toArrays(byUsername), toArrays(byGroup));
            bindingsBySubject = lookup;
        }
        return lookup;
    }

    /** Bindings whose roleRef names a role that does not exist (they grant nothing). */
    public List<BindingRef> danglingBindings() {
        return List.copyOf(byBinding().danglingBindings());
    }

    /** Bindings referring to this role; namespace is the Role's namespace (null for a ClusterRole). */
    public List<BindingRef> bindingsOf(String roleKind, String namespace, String roleName) {
        return byBinding().bindingsByRole().getOrDefault(roleKey(roleKind, namespace, roleName), List.of()).stream()
                .map(Binding::ref).toList();
    }

    /** A ClusterRole's rules with aggregation applied; null when there is no such ClusterRole. */
    public List<PolicyRule> clusterRoleRules(String name) {
        return clusterRoleRules.get(name);
    }

    /** Every subject named in any binding (ServiceAccount namespaces defaulted), in first-seen order. */
    public Set<Subject> subjects() {
        return Collections.unmodifiableSet(byBinding().allSubjects());
    }

    private List<Binding> bindingsFor(AccessRequest request) {
        // VisitRulesFor: cluster role bindings, then role bindings of the request's namespace, if any.
        if (request.namespace().isEmpty()) {
            return clusterBindings;
        }
        List<Binding> result = new ArrayList<>(clusterBindings);
        result.addAll(bindingsByNamespace.getOrDefault(request.namespace(), List.of()));
        return result;
    }

    private static Subject firstApplying(Binding binding, Identity identity) {
        for (Subject subject : binding.subjects()) {
            if (subject.appliesTo(identity)) {
                return subject;
            }
        }
        return null;
    }

    private static List<Subject> subjects(List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects,
            String bindingNamespace) {
        if (subjects == null) {
            return List.of();
        }
        List<Subject> result = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.rbac.Subject subject : subjects) {
            String kind = subject.getKind() == null ? "" : subject.getKind();
            String name = subject.getName() == null ? "" : subject.getName();
            if (kind.equals(Subject.SERVICE_ACCOUNT)) {
                // A ServiceAccount without a namespace is the one in the RoleBinding's namespace;
                // in a ClusterRoleBinding it matches nobody.
                String namespace = subject.getNamespace() == null || subject.getNamespace().isEmpty()
                        ? bindingNamespace : subject.getNamespace();
                result.add(new Subject(kind, name, namespace));
            } else {
                result.add(new Subject(kind, name, null));
            }
        }
        return List.copyOf(result);
    }

    private static List<PolicyRule> resolve(BindingRef ref, Map<String, List<PolicyRule>> clusterRoleRules,
            Map<String, List<PolicyRule>> roleRules) {
        return switch (ref.roleKind()) {
            case "ClusterRole" -> clusterRoleRules.get(ref.roleName());
            case "Role" -> ref.namespace() == null ? null
                    : roleRules.get(roleKey("Role", ref.namespace(), ref.roleName()));
            default -> null; // "unsupported role reference kind": grants nothing
        };
    }

    private static BindingRef ref(String kind, String name, String namespace, RoleRef roleRef) {
        String roleKind = roleRef == null || roleRef.getKind() == null ? "" : roleRef.getKind();
        String roleName = roleRef == null || roleRef.getName() == null ? "" : roleRef.getName();
        return new BindingRef(kind, name, namespace, roleKind, roleName);
    }

    private static String roleKey(String kind, String namespace, String name) {
        return kind.equals("Role") ? "Role/" + namespace + "/" + name : kind + "//" + name;
    }

    private static <T extends HasMetadata> List<T> sortedByName(List<T> objects) {
        return objects.stream().sorted(Comparator.comparing((T o) -> String.valueOf(o.getMetadata().getNamespace()))
                .thenComparing(o -> o.getMetadata().getName())).toList();
    }
}
