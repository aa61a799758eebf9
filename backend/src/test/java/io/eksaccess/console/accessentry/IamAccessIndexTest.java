package io.eksaccess.console.accessentry;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.RoleMapping;
import io.eksaccess.console.awsauth.UserMapping;
import io.eksaccess.console.bench.AccessEntriesBenchmark;
import io.eksaccess.console.bench.SyntheticRbacWorld;
import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.RbacIndex;
import io.eksaccess.console.rbac.Subject;
import io.eksaccess.console.rbac.WhoCanAnswer;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The precomputed {@link IamAccessIndex} against who-can's plain definition, principal by principal
 * (each mapping's and entry's identity derived afresh and checked against the RBAC answer's
 * subjects, then its policies), on generated worlds in every mode: the index may only be faster.
 * The worlds bind usernames that session templates render to, users, system:masters and shared
 * groups, so every way in is exercised.
 */
class IamAccessIndexTest {

    private static final String ACCOUNT = "111122223333";

    @Test
    void whoCanEqualsThePerPrincipalDefinitionInEveryMode() throws Exception {
        SyntheticRbacWorld world = new SyntheticRbacWorld("idx", 300, 1500, 20, 5);
        Random random = new Random(3);
        List<AccessEntry> entries = new ArrayList<>(AccessEntriesBenchmark.entries(world, 400, random));
        entries.add(new AccessEntry("arn:aws:iam::" + ACCOUNT + ":role/Breakglass", null, "bg:{{SessionName}}",
                List.of("ops"), List.of()));
        // Default usernames: the role's assumed-role ARN with {{SessionName}}, its path dropped.
        entries.add(new AccessEntry("arn:aws:iam::" + ACCOUNT + ":role/Deployer", null, null, List.of(), List.of()));
        entries.add(new AccessEntry("arn:aws:iam::" + ACCOUNT + ":role/teams/PathDeployer", null, null, List.of(),
                List.of()));
        AwsAuthConfig awsAuth = AwsAuthParser.read(Map.of("mapRoles", """
                - rolearn: arn:aws:iam::111122223333:role/mapped-1
                  username: mapped-1:{{SessionName}}
                  groups: [ops]
                - rolearn: arn:aws:iam::111122223333:role/Admins
                  username: admin:{{SessionNameRaw}}
                  groups: [system:masters]
                - rolearn: arn:aws:iam::111122223333:role/entry-3
                  username: legacy
                  groups: [legacy]
                - rolearn: arn:aws:iam::111122223333:role/teams/PathRole
                  username: path
                - rolearn: arn:aws:iam::111122223333:role/acct-{{AccountID}}
                  username: "{{AccountID}}:{{SessionName}}"
                """, "mapUsers", """
                - userarn: arn:aws:iam::111122223333:user/carol
                  username: carol:{{SessionName}}
                  groups: [devs]
                - userarn: arn:aws:iam::111122223333:user/entry-user-7
                  username: shadowed
                """));
        // Who the world's RBAC allows, besides its own users and groups: renderings of the templates above.
        List<String> bound = List.of("arn:aws:sts::" + ACCOUNT + ":assumed-role/Deployer/alice",
                "arn:aws:sts::" + ACCOUNT + ":assumed-role/PathDeployer/x", "user-3", "arn:aws:iam::" + ACCOUNT + ":user/entry-user-7",
                "mapped-1:ci-job", "bg:someone", "carol:", "legacy", ACCOUNT + ":s1", "user-5");
        // Read-only on everything, so that most questions' answers hold these users (and the groups, half of them).
        world.clusterRoles.add(new ClusterRoleBuilder().withNewMetadata().withName("idx-read").endMetadata().addNewRule()
                .withApiGroups("*").withResources("*").withVerbs("get", "list", "watch").endRule().build());
        for (int i = 0; i < bound.size(); i++) {
            world.clusterRoleBindings.add(new ClusterRoleBindingBuilder().withNewMetadata().withName("idx-bound-" + i)
                    .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "idx-read")
                    .addNewSubject().withKind("User").withName(bound.get(i)).withApiGroup("rbac.authorization.k8s.io")
                    .endSubject().build());
        }
        world.clusterRoleBindings.add(new ClusterRoleBindingBuilder().withNewMetadata().withName("idx-groups")
                .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "idx-read")
                .addNewSubject().withKind("Group").withName("ops").withApiGroup("rbac.authorization.k8s.io").endSubject()
                .addNewSubject().withKind("Group").withName("devs").withApiGroup("rbac.authorization.k8s.io").endSubject()
                .build());
        RbacIndex rbac = RbacIndex.build(world.roles, world.clusterRoles, world.roleBindings, world.clusterRoleBindings);
        int compared = 0;
        int granted = 0;
        for (AuthenticationMode mode : AuthenticationMode.values()) {
            IamAccessIndex index = IamAccessIndex.of(mode, entries, awsAuth);
            Random questions = new Random(mode.ordinal());
            for (int q = 0; q < 150; q++) {
                AccessRequest request = world.question(questions);
                WhoCanAnswer answer = rbac.whoCan(request);
                List<IamPrincipal> expected = definition(request, answer, mode, entries, awsAuth);
                assertThat(index.whoCan(request, answer)).as("%s %s", mode, request).isEqualTo(expected);
                compared++;
                granted += expected.size();
            }
        }
        assertThat(compared).isEqualTo(450);
        assertThat(granted).as("the worlds grant something, or the comparison proves little").isPositive();
    }

    @Test
    void resolveFindsTheEntryOfAnAssumedRoleWhateverItsPathAndCase() {
        List<AccessEntry> entries = List.of(new AccessEntry("arn:aws:iam::" + ACCOUNT + ":role/teams/Viewer", null, null,
                List.of("viewers"), List.of()));
        IamAccessIndex index = IamAccessIndex.of(AuthenticationMode.API, entries, null);
        IamIdentity who = index.resolve("arn:aws:sts::" + ACCOUNT + ":assumed-role/viewer/jane");
        assertThat(who.entry()).isEqualTo(entries.get(0));
        assertThat(who.identity().groups()).containsExactly("viewers", "system:authenticated");
        assertThat(index.resolve("arn:aws:sts::" + ACCOUNT + ":assumed-role/Other/jane").mapped()).isFalse();
    }

    // ---- who-can's definition, one principal at a time (what IamAuthorizer computed per question before) ----

    private static List<IamPrincipal> definition(AccessRequest request, WhoCanAnswer rbac, AuthenticationMode mode,
            List<AccessEntry> entries, AwsAuthConfig awsAuth) {
        List<IamPrincipal> result = new ArrayList<>();
        if (awsAuth != null && mode.readsAwsAuth()) {
            Map<String, RoleMapping> roles = new LinkedHashMap<>();
            awsAuth.roles().forEach(role -> roles.put(role.key(), role));
            for (RoleMapping role : roles.values()) {
                PrincipalArn principal = PrincipalArn.parse(role.roleArn());
                if (principal != null && principal.path().equals("/") && !overridden(principal, mode, entries)) {
                    add(result, role.roleArn(), "aws-auth",
                            grant(rbac, role.username(), role.groups(), principal, List.of(), request));
                }
            }
            Map<String, UserMapping> users = new LinkedHashMap<>();
            awsAuth.users().forEach(user -> users.put(user.key(), user));
            for (UserMapping user : users.values()) {
                PrincipalArn principal = PrincipalArn.parse(user.userArn());
                if (principal != null && !overridden(principal, mode, entries)) {
                    add(result, user.userArn(), "aws-auth",
                            grant(rbac, user.username(), user.groups(), principal, List.of(), request));
                }
            }
        }
        if (mode.readsAccessEntries()) {
            for (AccessEntry entry : entries) {
                add(result, entry.principalArn(), "accessEntry", grant(rbac, entry.effectiveUsername(),
                        entry.effectiveGroups(), entry.principal(), entry.associatedAccessPolicies(), request));
            }
        }
        result.sort(Comparator.comparing(IamPrincipal::arn).thenComparing(IamPrincipal::source));
        return result;
    }

    private static boolean overridden(PrincipalArn principal, AuthenticationMode mode, List<AccessEntry> entries) {
        return mode == AuthenticationMode.API_AND_CONFIG_MAP
                && entries.stream().anyMatch(entry -> principal.samePrincipal(entry.principal()));
    }

    private static void add(List<IamPrincipal> into, String arn, String source, String grant) {
        if (grant != null) {
            into.add(new IamPrincipal(arn, source, grant));
        }
    }

    private static String grant(WhoCanAnswer rbac, String username, List<String> groups, PrincipalArn principal,
            List<AssociatedAccessPolicy> policies, AccessRequest request) {
        if (groups.contains(Subject.MASTERS)) {
            return "superuser";
        }
        String rendered = (principal.isRole() ? username
                : username.replace("{{SessionNameRaw}}", "").replace("{{SessionName}}", ""))
                .replace("{{AccountID}}", principal.account());
        Pattern pattern = IamAuthorizer.templatePattern(rendered);
        for (Subject subject : rbac.subjects()) {
            boolean allows = switch (subject.kind()) {
                case Subject.GROUP -> subject.name().equals(Subject.AUTHENTICATED) || groups.contains(subject.name());
                case Subject.USER -> pattern.matcher(subject.name()).matches();
                default -> pattern.matcher(Subject.serviceAccountUsername(subject.namespace(), subject.name())).matches();
            };
            if (allows) {
                return "rbac";
            }
        }
        for (AssociatedAccessPolicy policy : policies) {
            if (AccessPolicyTable.allows(policy, request)) {
                return "accessPolicy";
            }
        }
        return null;
    }
}
