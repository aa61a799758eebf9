package io.eksaccess.console.report.findings;

import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.BindingRef;
import io.eksaccess.console.rbac.Identity;
import io.eksaccess.console.rbac.RbacIndex;
import io.eksaccess.console.rbac.RuleGrant;
import io.eksaccess.console.rbac.RuleMatch;
import io.eksaccess.console.rbac.Subject;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** RBAC-001 … RBAC-004 over a cluster's roles and bindings. */
final class RbacRules {

    /** Built-in ClusterRoles that grant * by design (RBAC-001 leaves them, and every system: role, alone). */
    static final Set<String> BUILT_IN_WILDCARD_ROLES = Set.of("cluster-admin", "admin", "edit");
    /**
     * Prefixes of names Kubernetes and EKS manage themselves: {@code system:} (the catalogue's
     * exclusion) and {@code eks:} (EKS's control-plane identities and roles, e.g. eks:addon-manager,
     * which EKS recreates if changed, so a finding about them could never be fixed).
     */
    static final List<String> PLATFORM_PREFIXES = List.of("system:", "eks:");
    static final Set<String> ANONYMOUS = Set.of("system:anonymous", "system:unauthenticated");
    static final String PUBLIC_INFO_VIEWER = "system:public-info-viewer";
    private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

    /** What RBAC-003 looks for, and the requests that prove it (any one suffices). */
    private enum Power {
        ESCALATE("escalate roles", false, List.of(
                AccessRequest.resource("escalate", RBAC_GROUP, "clusterroles", "", "", ""),
                AccessRequest.resource("escalate", RBAC_GROUP, "roles", "", "", ""))),
        BIND("bind roles", false, List.of(
                AccessRequest.resource("bind", RBAC_GROUP, "clusterroles", "", "", ""),
                AccessRequest.resource("bind", RBAC_GROUP, "roles", "", "", ""))),
        IMPERSONATE("impersonate users, groups or service accounts", false, List.of(
                AccessRequest.resource("impersonate", "", "users", "", "", ""),
                AccessRequest.resource("impersonate", "", "groups", "", "", ""),
                AccessRequest.resource("impersonate", "", "serviceaccounts", "", "", ""))),
        KUBE_SYSTEM_PODS("create pods or exec into pods in kube-system", false, List.of(
                AccessRequest.resource("create", "", "pods", "", "", "kube-system"),
                AccessRequest.resource("create", "", "pods", "exec", "", "kube-system"))),
        SECRETS("read secrets cluster-wide", true, List.of(
                AccessRequest.resource("get", "", "secrets", "", "", ""),
                AccessRequest.resource("list", "", "secrets", "", "", ""),
                AccessRequest.resource("watch", "", "secrets", "", "", "")));

        final String label;
        final boolean clusterWideOnly;
        final List<AccessRequest> probes;

        Power(String label, boolean clusterWideOnly, List<AccessRequest> probes) {
            this.label = label;
            this.clusterWideOnly = clusterWideOnly;
            this.probes = probes;
        }

        boolean grantedBy(RuleGrant grant) {
            if (clusterWideOnly && grant.namespace() != null) {
                return false;
            }
            if (this == KUBE_SYSTEM_PODS && grant.namespace() != null && !grant.namespace().equals("kube-system")) {
                return false;
            }
            return probes.stream().anyMatch(probe -> RuleMatch.allows(grant.rule(), probe));
        }
    }

    private RbacRules() {}

    static void check(FindingsInput input, RbacIndex index, List<SecurityFinding> into) {
        wildcardRoles(input, into);
        anonymousBindings(input, into);
        powerfulSubjects(index, into);
        for (BindingRef dangling : index.danglingBindings()) {
            into.add(FindingRule.RBAC_004.about(resource(dangling), dangling.kind() + " " + qualified(dangling)
                    + " refers to " + dangling.roleKind() + " " + dangling.roleName() + ", which does not exist, so it grants"
                    + " nothing today, and whoever creates a role of that name later grants it to the binding's subjects."
                    + " Delete the binding or point it at an existing role."));
        }
    }

    /**
     * RBAC-001. Skipped: the built-in wildcard roles, system:/eks: roles, and aggregated ClusterRoles
     * (their rules are copies of the roles they select, which are checked themselves).
     */
    private static void wildcardRoles(FindingsInput input, List<SecurityFinding> into) {
        input.clusterRoles().stream()
                .filter(role -> !BUILT_IN_WILDCARD_ROLES.contains(role.getMetadata().getName()))
                .filter(role -> role.getAggregationRule() == null)
                .forEach(role -> wildcardRole("ClusterRole/" + role.getMetadata().getName(), role.getMetadata(),
                        role.getRules(), into));
        input.roles().forEach(role -> wildcardRole(
                "Role/" + role.getMetadata().getNamespace() + "/" + role.getMetadata().getName(), role.getMetadata(),
                role.getRules(), into));
    }

    private static void wildcardRole(String resource, ObjectMeta metadata, List<PolicyRule> rules,
            List<SecurityFinding> into) {
        if (isPlatform(metadata.getName()) || rules == null) {
            return;
        }
        List<String> wild = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            PolicyRule rule = rules.get(i);
            boolean verbs = rule.getVerbs() != null && rule.getVerbs().contains("*");
            boolean resources = rule.getResources() != null && rule.getResources().contains("*");
            if (verbs || resources) {
                wild.add("rules[" + i + "] (" + (verbs && resources ? "* verbs on * resources" : verbs ? "* verbs" : "* resources") + ")");
            }
        }
        if (!wild.isEmpty()) {
            into.add(FindingRule.RBAC_001.about(resource, resource + " grants wildcards in " + String.join(", ", wild)
                    + "; * also covers verbs and resources added in future Kubernetes versions. List the verbs and"
                    + " resources its users need instead."));
        }
    }

    /** RBAC-002. */
    private static void anonymousBindings(FindingsInput input, List<SecurityFinding> into) {
        input.clusterRoleBindings().forEach(binding -> anonymous("ClusterRoleBinding/" + binding.getMetadata().getName(),
                binding.getRoleRef(), binding.getSubjects(), into));
        input.roleBindings().forEach(binding -> anonymous("RoleBinding/" + binding.getMetadata().getNamespace() + "/"
                + binding.getMetadata().getName(), binding.getRoleRef(), binding.getSubjects(), into));
    }

    private static void anonymous(String resource, io.fabric8.kubernetes.api.model.rbac.RoleRef roleRef,
            List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects, List<SecurityFinding> into) {
        if (subjects == null || roleRef == null) {
            return;
        }
        if ("ClusterRole".equals(roleRef.getKind()) && PUBLIC_INFO_VIEWER.equals(roleRef.getName())) {
            return;
        }
        List<String> who = subjects.stream().map(io.fabric8.kubernetes.api.model.rbac.Subject::getName)
                .filter(ANONYMOUS::contains).distinct().toList();
        if (!who.isEmpty()) {
            into.add(FindingRule.RBAC_002.about(resource, resource + " grants " + roleRef.getKind() + " "
                    + roleRef.getName() + " to " + String.join(" and ", who) + ": anyone who can reach the API server"
                    + " gets it without signing in. Remove those subjects (only " + PUBLIC_INFO_VIEWER
                    + " is meant for them)."));
        }
    }

    /**
     * RBAC-003. Left out: Users and Groups named system:… or eks:… (Kubernetes' and EKS's own
     * components) and the ServiceAccounts of kube-system (the control plane's controllers and EKS add-ons).
     */
    private static void powerfulSubjects(RbacIndex index, List<SecurityFinding> into) {
        for (Subject subject : index.subjects()) {
            Identity identity = identityOf(subject);
            if (identity == null) {
                continue;
            }
            Map<Power, BindingRef> powers = new LinkedHashMap<>();
            for (RuleGrant grant : index.rulesFor(identity)) {
                for (Power power : Power.values()) {
                    if (!powers.containsKey(power) && power.grantedBy(grant)) {
                        powers.put(power, grant.binding());
                    }
                }
            }
            if (powers.isEmpty()) {
                continue;
            }
            List<String> what = new ArrayList<>();
            powers.forEach((power, binding) -> what.add(power.label + " (through " + binding.kind() + " "
                    + qualified(binding) + ")"));
            String name = subjectResource(subject);
            into.add(FindingRule.RBAC_003.about(name, name + " can " + String.join("; ", what) + ". Each of these"
                    + " lets it gain more access than it was given. Bind a narrower role that leaves these verbs out."));
        }
    }

    private static Identity identityOf(Subject subject) {
        return switch (subject.kind()) {
            case Subject.USER -> isPlatform(subject.name()) ? null : new Identity(subject.name(), List.of());
            case Subject.GROUP -> isPlatform(subject.name()) ? null
                    : new Identity(Identity.PROBE_USER, List.of(subject.name()));
            case Subject.SERVICE_ACCOUNT -> subject.namespace() == null || subject.namespace().isEmpty()
                    || subject.namespace().equals("kube-system") ? null
                    : new Identity(Subject.serviceAccountUsername(subject.namespace(), subject.name()), List.of());
            default -> null;
        };
    }

    private static boolean isPlatform(String name) {
        return PLATFORM_PREFIXES.stream().anyMatch(name::startsWith);
    }

    static String subjectResource(Subject subject) {
        return subject.kind() + "/" + (subject.namespace() == null ? "" : subject.namespace() + "/") + subject.name();
    }

    static String resource(BindingRef binding) {
        return binding.kind() + "/" + qualified(binding);
    }

    private static String qualified(BindingRef binding) {
        return (binding.namespace() == null ? "" : binding.namespace() + "/") + binding.name();
    }
}
