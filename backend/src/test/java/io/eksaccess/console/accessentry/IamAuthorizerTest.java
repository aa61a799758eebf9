package io.eksaccess.console.accessentry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.BindingRef;
import io.eksaccess.console.rbac.RbacIndex;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Identity resolution and evaluation for IAM callers, one test per rule of ACCESS-ENTRIES.md. */
class IamAuthorizerTest {

    private static final String ACCOUNT = "111122223333";
    private static final String VIEW = AccessPolicyTable.ARN_PREFIX + "AmazonEKSViewPolicy";
    private static final String CLUSTER_ADMIN = AccessPolicyTable.ARN_PREFIX + "AmazonEKSClusterAdminPolicy";

    /** aws-auth maps the Viewer role (path-less, as aws-auth wants it) and the user bob. */
    private static final AwsAuthConfig AWS_AUTH = AwsAuthParser.parse(Map.of(
            "mapRoles", """
                    - rolearn: arn:aws:iam::111122223333:role/Viewer
                      username: legacy:{{SessionName}}
                      groups: [legacy-admins]
                    - rolearn: arn:aws:iam::111122223333:role/Ops
                      username: ops
                      groups: [system:masters]
                    """,
            "mapUsers", """
                    - userarn: arn:aws:iam::111122223333:user/bob
                      username: bob
                      groups: [devs]
                    """));

    /** The Viewer role has a path; its entry wins over the aws-auth mapping in API_AND_CONFIG_MAP. */
    private static final List<AccessEntry> ENTRIES = List.of(
            new AccessEntry("arn:aws:iam::111122223333:role/teams/Viewer", "STANDARD", null, List.of("viewers"),
                    List.of(new AssociatedAccessPolicy(VIEW, AccessScope.namespaces("team-*", "dev")))),
            new AccessEntry("arn:aws:iam::111122223333:user/carol", null, null, List.of(), List.of()),
            new AccessEntry("arn:aws:iam::111122223333:role/Root", "STANDARD", "root:{{SessionName}}", List.of(),
                    List.of(new AssociatedAccessPolicy(CLUSTER_ADMIN, AccessScope.cluster()),
                            new AssociatedAccessPolicy(AccessPolicyTable.ARN_PREFIX + "AmazonEKSAutoNodePolicy",
                                    AccessScope.cluster()))),
            new AccessEntry("arn:aws:iam::111122223333:role/Mystery", "STANDARD", "mystery", List.of(),
                    List.of(new AssociatedAccessPolicy(AccessPolicyTable.ARN_PREFIX + "AmazonEKSNewPolicy",
                            AccessScope.cluster()))));

    private static final String VIEWER_SESSION = "arn:aws:sts::111122223333:assumed-role/Viewer/jane@example.com";

    /** RBAC: group "viewers" may list configmaps in team-a; user bob (aws-auth) may get nodes. */
    private static final RbacIndex RBAC = RbacIndex.build(List.of(),
            List.of(new ClusterRoleBuilder().withNewMetadata().withName("cm-reader").endMetadata().addNewRule()
                            .withApiGroups("").withResources("configmaps").withVerbs("list").endRule().build(),
                    new ClusterRoleBuilder().withNewMetadata().withName("node-reader").endMetadata().addNewRule()
                            .withApiGroups("").withResources("nodes").withVerbs("get").endRule().build()),
            List.of(new RoleBindingBuilder().withNewMetadata().withNamespace("team-a").withName("viewers-cm").endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cm-reader")
                    .addNewSubject().withKind("Group").withName("viewers").endSubject().build()),
            List.of(new ClusterRoleBindingBuilder().withNewMetadata().withName("bob-nodes").endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "node-reader")
                    .addNewSubject().withKind("User").withName("bob").endSubject()
                    .addNewSubject().withKind("User").withName("legacy:jane-example.com").endSubject().build()));

    private static IamIdentity resolve(AuthenticationMode mode, String arn) {
        return IamResolver.resolve(mode, ENTRIES, AWS_AUTH, arn);
    }

    private static AccessRequest pods(String verb, String namespace) {
        return AccessRequest.resource(verb, "", "pods", "", "", namespace);
    }

    @Test
    void configMapModeReadsAwsAuthOnlyAndIgnoresEntries() {
        IamIdentity who = resolve(AuthenticationMode.CONFIG_MAP, VIEWER_SESSION);
        assertThat(who.source()).isEqualTo(IamIdentity.Source.AWS_AUTH);
        assertThat(who.entry()).isNull();
        assertThat(who.identity().user()).isEqualTo("legacy:jane-example.com");
        assertThat(who.identity().groups()).containsExactly("legacy-admins", "system:authenticated");
        assertThat(who.notes()).contains("the cluster is in CONFIG_MAP mode: access entries are ignored");
        // carol has only an entry: not mapped in CONFIG_MAP
        assertThat(resolve(AuthenticationMode.CONFIG_MAP, "arn:aws:iam::111122223333:user/carol").mapped()).isFalse();
    }

    @Test
    void apiAndConfigMapModeTheEntryWinsAndItsAwsAuthMappingIsShadowed() {
        IamIdentity who = resolve(AuthenticationMode.API_AND_CONFIG_MAP, VIEWER_SESSION);
        assertThat(who.source()).isEqualTo(IamIdentity.Source.ACCESS_ENTRY);
        assertThat(who.mapping()).isNull();
        assertThat(who.shadowedMapping().via().key()).isEqualTo("mapRoles");
        assertThat(who.shadowedMapping().entryIndex()).isZero();
        assertThat(who.identity().groups()).containsExactly("viewers", "system:authenticated");
        // a principal without an entry still goes through aws-auth
        IamIdentity bob = resolve(AuthenticationMode.API_AND_CONFIG_MAP, "arn:aws:iam::111122223333:user/bob");
        assertThat(bob.source()).isEqualTo(IamIdentity.Source.AWS_AUTH);
        assertThat(bob.identity().user()).isEqualTo("bob");
        assertThat(bob.shadowedMapping()).isNull();
    }

    @Test
    void apiModeIgnoresAwsAuthEntirely() {
        assertThat(resolve(AuthenticationMode.API, "arn:aws:iam::111122223333:user/bob").mapped()).isFalse();
        IamIdentity who = resolve(AuthenticationMode.API, VIEWER_SESSION);
        assertThat(who.source()).isEqualTo(IamIdentity.Source.ACCESS_ENTRY);
        assertThat(who.shadowedMapping()).isNull();
        assertThat(who.notes()).contains("the cluster is in API mode: aws-auth is ignored");
        IamDecision denied = IamAuthorizer.canI(resolve(AuthenticationMode.API, "arn:aws:iam::111122223333:user/bob"),
                AccessRequest.resource("get", "", "nodes", "", "", ""), RBAC);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.identity()).isNull();
        assertThat(denied.reason()).contains("aws-auth is ignored in API mode");
    }

    @Test
    void defaultUsernamesDropTheRolePathAndUseTheUserArn() {
        IamIdentity role = resolve(AuthenticationMode.API, VIEWER_SESSION);
        assertThat(role.identity().user()).isEqualTo("arn:aws:sts::111122223333:assumed-role/Viewer/jane-example.com");
        assertThat(role.entry().effectiveUsername())
                .isEqualTo("arn:aws:sts::111122223333:assumed-role/Viewer/{{SessionName}}");
        IamIdentity user = resolve(AuthenticationMode.API, "arn:aws:iam::111122223333:user/carol");
        assertThat(user.identity().user()).isEqualTo("arn:aws:iam::111122223333:user/carol");
        assertThat(user.identity().groups()).containsExactly("system:authenticated");
    }

    @Test
    void usernameTemplatesRenderLikeAwsAuth() {
        IamIdentity who = resolve(AuthenticationMode.API, "arn:aws:sts::111122223333:assumed-role/Root/ops@corp");
        assertThat(who.identity().user()).isEqualTo("root:ops-corp");
    }

    @Test
    void anAssumedRoleCallerMatchesTheEntryOfAPathCarryingRoleByName() {
        IamIdentity who = resolve(AuthenticationMode.API, VIEWER_SESSION);
        assertThat(who.entry().principalArn()).isEqualTo("arn:aws:iam::111122223333:role/teams/Viewer");
        // another account's role of the same name does not match
        assertThat(resolve(AuthenticationMode.API, "arn:aws:sts::444455556666:assumed-role/Viewer/jane").mapped())
                .isFalse();
        assertThatThrownBy(() -> resolve(AuthenticationMode.API, "not-an-arn"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rbacIsAskedFirstThenAccessPoliciesWithinTheirScope() {
        IamIdentity viewer = resolve(AuthenticationMode.API_AND_CONFIG_MAP, VIEWER_SESSION);
        IamDecision rbac = IamAuthorizer.canI(viewer, AccessRequest.resource("list", "", "configmaps", "", "", "team-a"), RBAC);
        assertThat(rbac.via()).isEqualTo(IamDecision.RBAC);
        assertThat(rbac.binding()).isEqualTo(new BindingRef("RoleBinding", "viewers-cm", "team-a", "ClusterRole", "cm-reader"));
        IamDecision policy = IamAuthorizer.canI(viewer, pods("list", "team-b"), RBAC);
        assertThat(policy.allowed()).isTrue();
        assertThat(policy.via()).isEqualTo(IamDecision.ACCESS_POLICY);
        assertThat(policy.accessPolicy().policyArn()).isEqualTo(VIEW);
        assertThat(policy.reason()).isEqualTo("allowed by access policy AmazonEKSViewPolicy, namespaces team-*, dev");
        IamDecision secrets = IamAuthorizer.canI(viewer, AccessRequest.resource("get", "", "secrets", "", "", "team-b"), RBAC);
        assertThat(secrets.allowed()).isFalse();
        assertThat(secrets.via()).isNull();
        assertThat(secrets.reason()).contains("no associated access policy allows it");
    }

    @Test
    void namespaceScopesArePrefixGlobsAndNeverAllowClusterScopedRequests() {
        IamIdentity viewer = resolve(AuthenticationMode.API, VIEWER_SESSION);
        assertThat(IamAuthorizer.canI(viewer, pods("get", "team-"), RBAC).allowed()).isTrue();
        assertThat(IamAuthorizer.canI(viewer, pods("get", "team"), RBAC).allowed()).isFalse();
        assertThat(IamAuthorizer.canI(viewer, pods("get", "dev"), RBAC).allowed()).isTrue();
        assertThat(IamAuthorizer.canI(viewer, pods("get", "dev2"), RBAC).allowed()).isFalse();
        // all-namespaces list and a cluster-scoped resource: outside any namespace scope
        assertThat(IamAuthorizer.canI(viewer, pods("list", ""), RBAC).allowed()).isFalse();
        assertThat(IamAuthorizer.canI(viewer, AccessRequest.resource("get", "", "namespaces", "", "", ""), RBAC)
                .allowed()).isFalse();
        assertThat(IamAuthorizer.canI(viewer, AccessRequest.nonResource("get", "/healthz"), RBAC).allowed()).isFalse();
        // a cluster scope allows them
        IamIdentity root = resolve(AuthenticationMode.API, "arn:aws:sts::111122223333:assumed-role/Root/s1");
        assertThat(IamAuthorizer.canI(root, AccessRequest.resource("delete", "", "namespaces", "", "x", ""), RBAC).via())
                .isEqualTo(IamDecision.ACCESS_POLICY);
        assertThat(IamAuthorizer.canI(root, AccessRequest.nonResource("get", "/metrics"), RBAC).allowed()).isTrue();
    }

    @Test
    void systemMastersThroughAwsAuthIsTheSuperuser() {
        IamDecision decision = IamAuthorizer.canI(resolve(AuthenticationMode.CONFIG_MAP,
                "arn:aws:sts::111122223333:assumed-role/Ops/x"), pods("delete", "kube-system"), RBAC);
        assertThat(decision.via()).isEqualTo(IamDecision.SUPERUSER);
        assertThat(decision.binding()).isNull();
    }

    @Test
    void anUnknownPolicyIsNotModelledAndNeverGuessed() {
        assertThat(AccessPolicyTable.rules(AccessPolicyTable.ARN_PREFIX + "AmazonEKSNewPolicy")).isNull();
        assertThat(AccessPolicyTable.modelled(VIEW)).isTrue();
        IamIdentity mystery = resolve(AuthenticationMode.API, "arn:aws:sts::111122223333:assumed-role/Mystery/s");
        IamDecision decision = IamAuthorizer.canI(mystery, pods("get", "default"), RBAC);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).contains("not modelled, so not counted: AmazonEKSNewPolicy");
        assertThat(mystery.notes()).anyMatch(note -> note.contains("AmazonEKSNewPolicy is not modelled"));
    }

    @Test
    void whoCanListsIamPrincipalsAsWrittenWithSourceAndGrantSortedByArn() {
        AccessRequest getNodes = AccessRequest.resource("get", "", "nodes", "", "", "");
        List<IamPrincipal> mixed = IamAuthorizer.whoCan(getNodes, RBAC.whoCan(getNodes),
                AuthenticationMode.API_AND_CONFIG_MAP, ENTRIES, AWS_AUTH);
        // the Viewer role's aws-auth mapping (legacy:{{SessionName}} is bound) is overridden by its entry
        assertThat(mixed).containsExactly(
                new IamPrincipal("arn:aws:iam::111122223333:role/Ops", "aws-auth", "superuser"),
                new IamPrincipal("arn:aws:iam::111122223333:role/Root", "accessEntry", "accessPolicy"),
                new IamPrincipal("arn:aws:iam::111122223333:user/bob", "aws-auth", "rbac"));
        List<IamPrincipal> configMap = IamAuthorizer.whoCan(getNodes, RBAC.whoCan(getNodes),
                AuthenticationMode.CONFIG_MAP, ENTRIES, AWS_AUTH);
        // in CONFIG_MAP the Viewer mapping counts: some session's username legacy:jane-example.com is bound
        assertThat(configMap).extracting(IamPrincipal::arn).containsExactly("arn:aws:iam::111122223333:role/Ops",
                "arn:aws:iam::111122223333:role/Viewer", "arn:aws:iam::111122223333:user/bob");
        AccessRequest listPods = pods("list", "team-x");
        assertThat(IamAuthorizer.whoCan(listPods, RBAC.whoCan(listPods), AuthenticationMode.API, ENTRIES, AWS_AUTH))
                .containsExactly(new IamPrincipal("arn:aws:iam::111122223333:role/Root", "accessEntry", "accessPolicy"),
                        new IamPrincipal("arn:aws:iam::111122223333:role/teams/Viewer", "accessEntry", "accessPolicy"));
    }

    @Test
    void templatePatternsStandForEverySessionName() {
        assertThat(IamAuthorizer.templatePattern("legacy:{{SessionName}}").matcher("legacy:jane-example.com").matches())
                .isTrue();
        assertThat(IamAuthorizer.templatePattern("legacy:{{SessionName}}").matcher("legacy:jane@example.com").matches())
                .isFalse();
        assertThat(IamAuthorizer.templatePattern("a.{{SessionNameRaw}}").matcher("a.j@x").matches()).isTrue();
        assertThat(IamAuthorizer.templatePattern("a.{{SessionNameRaw}}").matcher("aXj@x").matches()).isFalse();
    }
}
