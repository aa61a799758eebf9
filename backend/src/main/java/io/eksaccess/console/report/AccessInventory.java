package io.eksaccess.console.report;

import io.eksaccess.console.awsauth.AccountMapping;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.RoleMapping;
import io.eksaccess.console.awsauth.Section;
import io.eksaccess.console.awsauth.UserMapping;
import io.eksaccess.console.cluster.cache.ClusterSnapshot;
import io.eksaccess.console.rbac.EffectiveAccess;
import io.eksaccess.console.rbac.Identity;
import io.eksaccess.console.rbac.RbacIndex;
import io.eksaccess.console.rbac.RuleGrant;
import io.eksaccess.console.rbac.Subject;
import io.eksaccess.console.report.ReportContent.Binding;
import io.eksaccess.console.report.ReportContent.Permission;
import io.eksaccess.console.report.ReportContent.Principal;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who can reach a cluster through aws-auth and what they may do there, from a cached snapshot:
 * each IAM principal through the same chain as access-for ({@link EffectiveAccess}), and every
 * binding as it stands. Offline and deterministic: the same snapshot gives the same lists.
 */
final class AccessInventory {

    private static final Comparator<Permission> PERMISSION_ORDER = Comparator.comparing(Permission::namespace)
            .thenComparing(Permission::via).thenComparing(Permission::summary);

    private AccessInventory() {}

    static List<Principal> principals(ClusterSnapshot snapshot) {
        Map<String, String> data = snapshot.awsAuth().map(ConfigMap::getData).orElse(Map.of());
        AwsAuthConfig awsAuth = AwsAuthParser.parse(data == null ? Map.of() : data);
        RbacIndex index = RbacIndex.of(snapshot);
        Map<String, Principal> principals = new LinkedHashMap<>();
        for (RoleMapping role : awsAuth.roles()) {
            if (!role.roleArn().isEmpty()) {
                viaEngine(awsAuth, role.roleArn(), index, principals);
            } else {
                // An SSO pattern stands for many sessions; its username template stays as written.
                principals.putIfAbsent(role.displayArn(), direct(role.displayArn(), Section.MAP_ROLES, role.index(),
                        role.username(), role.groups(), index));
            }
        }
        for (UserMapping user : awsAuth.users()) {
            viaEngine(awsAuth, user.userArn(), index, principals);
        }
        for (AccountMapping account : awsAuth.accounts()) {
            String pattern = "arn:aws:iam::" + account.accountId() + ":*";
            principals.putIfAbsent(pattern, direct(pattern, Section.MAP_ACCOUNTS, account.index(),
                    "(the caller's ARN)", List.of(), index));
        }
        return List.copyOf(principals.values());
    }

    private static void viaEngine(AwsAuthConfig awsAuth, String arn, RbacIndex index, Map<String, Principal> into) {
        if (into.containsKey(arn)) {
            return;
        }
        EffectiveAccess.Chain chain;
        try {
            chain = EffectiveAccess.of(awsAuth, arn, index);
        } catch (IllegalArgumentException refused) {
            return; // the authenticator refuses this ARN: it reaches nothing (the findings say why)
        }
        if (chain.identity() == null) {
            return;
        }
        into.put(arn, new Principal(arn, mappedBy(chain.mapping().via(), chain.mapping().entryIndex()),
                chain.identity().user(), chain.identity().groups(), permissions(chain.rules())));
    }

    private static Principal direct(String arn, Section section, int entry, String username, List<String> groups,
            RbacIndex index) {
        List<String> all = new ArrayList<>(groups);
        if (!all.contains(Subject.AUTHENTICATED)) {
            all.add(Subject.AUTHENTICATED);
        }
        Identity identity = new Identity(username, all);
        return new Principal(arn, mappedBy(section, entry), username, identity.groups(),
                permissions(index.rulesFor(identity)));
    }

    private static String mappedBy(Section section, int entry) {
        return section.key() + "[" + entry + "]";
    }

    static List<Permission> permissions(List<RuleGrant> grants) {
        List<Permission> permissions = new ArrayList<>();
        for (RuleGrant grant : grants) {
            PolicyRule rule = grant.rule();
            String via = grant.binding() == null ? "group " + grant.via().name() : grant.binding().toString();
            permissions.add(new Permission(
                    grant.namespace() == null ? Permission.CLUSTER_WIDE : grant.namespace(),
                    list(rule.getVerbs()), list(rule.getApiGroups()), list(rule.getResources()),
                    list(rule.getResourceNames()), list(rule.getNonResourceURLs()), via));
        }
        permissions.sort(PERMISSION_ORDER);
        return permissions;
    }

    static List<Binding> bindings(ClusterSnapshot snapshot) {
        List<Binding> bindings = new ArrayList<>();
        snapshot.clusterRoleBindings().forEach(b -> bindings.add(binding("ClusterRoleBinding", null,
                b.getMetadata().getName(), b.getRoleRef(), b.getSubjects())));
        snapshot.roleBindings().forEach(b -> bindings.add(binding("RoleBinding", b.getMetadata().getNamespace(),
                b.getMetadata().getName(), b.getRoleRef(), b.getSubjects())));
        bindings.sort(Comparator.comparing((Binding b) -> b.namespace() == null ? "" : b.namespace())
                .thenComparing(Binding::kind).thenComparing(Binding::name));
        return bindings;
    }

    private static Binding binding(String kind, String namespace, String name, RoleRef role,
            List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects) {
        List<String> names = subjects == null ? List.of() : subjects.stream()
                .map(s -> s.getKind() + ":" + (s.getNamespace() == null || s.getNamespace().isEmpty()
                        ? "" : s.getNamespace() + "/") + s.getName())
                .toList();
        return new Binding(kind, namespace, name, role == null ? "" : role.getKind(), role == null ? "" : role.getName(),
                names);
    }

    private static List<String> list(List<String> values) {
        return values == null ? List.of() : List.copyOf(values);
    }
}
