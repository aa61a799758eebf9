package io.eksaccess.console.report.findings;

import static io.eksaccess.console.report.findings.FindingsFixtures.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.awsauth.IamPrincipalLookup;
import io.eksaccess.console.awsauth.Severity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each rule of the catalogue on clusters written to provoke it, and on look-alikes it must leave alone. */
class FindingsEngineTest {

    static final String WILDCARD_ROLES = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: do-anything}
            rules:
            - {apiGroups: [""], resources: [pods], verbs: [get]}
            - {apiGroups: ["apps"], resources: [deployments], verbs: ["*"]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: all-things, namespace: apps}
            rules:
            - {apiGroups: [""], resources: ["*"], verbs: [get, list]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: reader, namespace: apps}
            rules:
            - {apiGroups: [""], resources: [pods], verbs: [get, list]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: cluster-admin}
            rules:
            - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: admin}
            rules:
            - {apiGroups: [""], resources: ["*"], verbs: ["*"]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: edit}
            rules:
            - {apiGroups: [""], resources: ["*"], verbs: ["*"]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: "system:controller:everything"}
            rules:
            - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: "eks:addon-manager"}
            rules:
            - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: aggregated}
            aggregationRule:
              clusterRoleSelectors: [{matchLabels: {agg: "yes"}}]
            rules:
            - {apiGroups: ["apps"], resources: [deployments], verbs: ["*"]}
            """;

    @Test
    void rbac001FlagsWildcardRolesButNotTheBuiltInOnesSystemOrEksRolesOrAggregates() {
        List<SecurityFinding> findings = only("RBAC-001", WILDCARD_ROLES);
        assertThat(findings).extracting(SecurityFinding::resource)
                .containsExactly("ClusterRole/do-anything", "Role/apps/all-things");
        assertThat(findings.get(0).severity()).isEqualTo(Severity.HIGH);
        assertThat(findings.get(0).message()).contains("rules[1] (* verbs)").doesNotContain("rules[0]");
        assertThat(findings.get(1).message()).contains("rules[0] (* resources)");
        assertThat(findings.get(0).guideSection()).startsWith("Employ least privileged access when creating RoleBindings");
    }

    @Test
    void rbac002FlagsAnonymousBindingsExceptPublicInfoViewer() {
        List<SecurityFinding> findings = only("RBAC-002", """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: anonymous-view}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
                subjects:
                - {kind: Group, name: "system:unauthenticated", apiGroup: rbac.authorization.k8s.io}
                - {kind: User, name: "system:anonymous", apiGroup: rbac.authorization.k8s.io}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: anon, namespace: web}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
                subjects:
                - {kind: User, name: "system:anonymous", apiGroup: rbac.authorization.k8s.io}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: "system:public-info-viewer"}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:public-info-viewer"}
                subjects:
                - {kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io}
                - {kind: Group, name: "system:unauthenticated", apiGroup: rbac.authorization.k8s.io}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: authenticated-view}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
                subjects:
                - {kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io}
                """);
        assertThat(findings).extracting(SecurityFinding::resource)
                .containsExactly("ClusterRoleBinding/anonymous-view", "RoleBinding/web/anon");
        assertThat(findings.get(0).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(findings.get(0).message()).contains("system:unauthenticated and system:anonymous", "ClusterRole view");
    }

    static final String POWERS = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: cluster-admin}
            rules:
            - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: secret-reader}
            rules:
            - {apiGroups: [""], resources: [secrets], verbs: [get]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: pod-maker}
            rules:
            - {apiGroups: [""], resources: [pods, pods/exec], verbs: [create]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: devs-admin}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects:
            - {kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}
            - {kind: Group, name: "system:nodes", apiGroup: rbac.authorization.k8s.io}
            - {kind: User, name: "eks:addon-manager", apiGroup: rbac.authorization.k8s.io}
            - {kind: ServiceAccount, name: operator, namespace: kube-system}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: bob-secrets}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
            subjects:
            - {kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: carol-secrets, namespace: web}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
            subjects:
            - {kind: User, name: carol, apiGroup: rbac.authorization.k8s.io}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: deployer-pods, namespace: kube-system}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-maker}
            subjects:
            - {kind: ServiceAccount, name: deployer, namespace: ci}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: dave-pods, namespace: web}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-maker}
            subjects:
            - {kind: User, name: dave, apiGroup: rbac.authorization.k8s.io}
            """;

    @Test
    void rbac003FlagsSubjectsThatCanEscalateOrReachKubeSystemOrAllSecretsButNotSystemSubjects() {
        List<SecurityFinding> findings = only("RBAC-003", POWERS);
        assertThat(findings).extracting(SecurityFinding::resource)
                .containsExactly("Group/devs", "ServiceAccount/ci/deployer", "User/bob");
        String devs = findings.get(0).message();
        assertThat(devs).contains("escalate roles", "bind roles", "impersonate", "in kube-system",
                "read secrets cluster-wide", "ClusterRoleBinding devs-admin");
        assertThat(findings.get(1).message()).contains("create pods or exec into pods in kube-system",
                "RoleBinding kube-system/deployer-pods").doesNotContain("secrets");
        assertThat(findings.get(2).message()).contains("read secrets cluster-wide").doesNotContain("escalate");
    }

    @Test
    void rbac004FlagsBindingsToMissingRoles() {
        List<SecurityFinding> findings = only("RBAC-004", """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: orphan, namespace: web}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: gone}
                subjects:
                - {kind: User, name: erin, apiGroup: rbac.authorization.k8s.io}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: fine}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
                subjects:
                - {kind: User, name: erin, apiGroup: rbac.authorization.k8s.io}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: reader}
                rules:
                - {apiGroups: [""], resources: [pods], verbs: [get]}
                """);
        assertThat(findings).extracting(SecurityFinding::resource).containsExactly("RoleBinding/web/orphan");
        assertThat(findings.get(0).message()).contains("Role gone, which does not exist");
        assertThat(findings.get(0).severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void sa001FlagsAutoMountingDefaultAccountsAndPodsUsingThem() {
        List<SecurityFinding> findings = only("SA-001", """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: default, namespace: web}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: default, namespace: locked}
                automountServiceAccountToken: false
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: default, namespace: quiet}
                automountServiceAccountToken: false
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: api, namespace: quiet}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: legacy, namespace: locked}
                spec:
                  containers: [{name: app, image: app}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: good, namespace: quiet}
                spec:
                  serviceAccountName: api
                  containers: [{name: app, image: app}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: kube-apiserver-node1, namespace: kube-system, annotations: {kubernetes.io/config.mirror: x}}
                spec:
                  containers: [{name: apiserver, image: k8s}]
                """);
        assertThat(findings).extracting(SecurityFinding::resource)
                .containsExactly("ServiceAccount/locked/default", "ServiceAccount/web/default");
        assertThat(findings.get(0).message()).contains("1 pod(s) use it: legacy").doesNotContain("auto-mounts");
        assertThat(findings.get(1).message()).contains("auto-mounts its token").doesNotContain("pod(s)");
    }

    @Test
    void sa002FlagsTokenSecretsWhenSecretMetadataIsThereAndSaysWhenItIsNot() {
        FindingsEngine.Evaluation withSecrets = FindingsEngine.offline().evaluate(cluster("""
                apiVersion: v1
                kind: Secret
                metadata: {name: ci-token, namespace: ci, annotations: {kubernetes.io/service-account.name: deployer}}
                type: kubernetes.io/service-account-token
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: app-config, namespace: ci}
                type: Opaque
                """));
        assertThat(ids(withSecrets.findings(), "SA-002")).extracting(SecurityFinding::resource)
                .containsExactly("Secret/ci/ci-token");
        assertThat(ids(withSecrets.findings(), "SA-002").get(0).message()).contains("ServiceAccount deployer");
        assertThat(withSecrets.notChecked()).noneMatch(note -> note.startsWith("SA-002"));

        FindingsEngine.Evaluation without = FindingsEngine.offline().evaluate(cluster(POWERS));
        assertThat(without.notChecked()).anyMatch(note -> note.startsWith("SA-002: no Secret metadata"));
    }

    @Test
    void sa003FlagsRootPodsHoldingAnIrsaRoleOnly() {
        List<SecurityFinding> findings = only("SA-003", """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: s3-reader, namespace: web, annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::111122223333:role/s3"}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: root-pod, namespace: web}
                spec:
                  serviceAccountName: s3-reader
                  initContainers: [{name: init, image: busybox, securityContext: {runAsUser: 1000}}]
                  containers: [{name: app, image: app}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: explicit-root, namespace: web}
                spec:
                  serviceAccountName: s3-reader
                  securityContext: {runAsNonRoot: true}
                  containers: [{name: app, image: app, securityContext: {runAsUser: 0}}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: non-root, namespace: web}
                spec:
                  serviceAccountName: s3-reader
                  securityContext: {runAsNonRoot: true}
                  containers: [{name: app, image: app}, {name: sidecar, image: s, securityContext: {runAsUser: 65532}}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: root-without-irsa, namespace: web}
                spec:
                  containers: [{name: app, image: app}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: injected, namespace: batch}
                spec:
                  serviceAccountName: not-in-dump
                  containers: [{name: job, image: j, env: [{name: AWS_ROLE_ARN, value: "arn:aws:iam::111122223333:role/batch"}]}]
                """);
        assertThat(findings).extracting(SecurityFinding::resource)
                .containsExactly("ServiceAccount/batch/not-in-dump", "ServiceAccount/web/s3-reader");
        assertThat(findings.get(0).message()).contains("role/batch", "injected (job)");
        assertThat(findings.get(1).message()).contains("role/s3", "explicit-root (app)", "root-pod (app)")
                .doesNotContain("non-root").doesNotContain("init");
    }

    @Test
    void irsa001FlagsTrustPoliciesWithoutSubOrWithAWildcardSub() {
        String provider = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";
        Map<String, String> policies = Map.of(
                "arn:aws:iam::111122223333:role/open", webIdentity(provider, "StringEquals", provider + ":aud", "sts.amazonaws.com"),
                "arn:aws:iam::111122223333:role/wild", webIdentity(provider, "StringLike", provider + ":sub", "system:serviceaccount:web:*"),
                "arn:aws:iam::111122223333:role/scoped", webIdentity(provider, "StringEquals", provider + ":sub", "system:serviceaccount:web:scoped"));
        TrustPolicies iam = roleArn -> Optional.ofNullable(policies.get(roleArn));
        FindingsEngine.Evaluation evaluation = new FindingsEngine(IamPrincipalLookup.NONE, iam).evaluate(cluster("""
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: open, namespace: web, annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::111122223333:role/open"}}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: wild, namespace: web, annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::111122223333:role/wild"}}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: scoped, namespace: web, annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::111122223333:role/scoped"}}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: elsewhere, namespace: web, annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::999999999999:role/x"}}
                """));
        List<SecurityFinding> findings = ids(evaluation.findings(), "IRSA-001");
        assertThat(findings).extracting(SecurityFinding::resource).containsExactly("ServiceAccount/web/open", "ServiceAccount/web/wild");
        assertThat(findings.get(0).message()).contains("without a :sub condition", "system:serviceaccount:web:open");
        assertThat(findings.get(1).message()).contains("wildcard (system:serviceaccount:web:*)");
        assertThat(evaluation.notChecked()).anyMatch(note -> note.startsWith("IRSA-001") && note.contains("role/x"));

        assertThat(FindingsEngine.offline().evaluate(cluster("""
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: open, namespace: web, annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::111122223333:role/open"}}
                """)).notChecked()).anyMatch(note -> note.startsWith("IRSA-001: no IAM access"));
    }

    @Test
    void irsa001ReadsStatementListsAndLeavesNonWebIdentityStatementsAlone() {
        assertThat(IrsaRule.problem("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},
                  {"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/x"},
                   "Action":["sts:AssumeRoleWithWebIdentity"],
                   "Condition":{"StringEquals":{"x:sub":["system:serviceaccount:a:b"],"x:aud":"sts.amazonaws.com"}}}]}
                """)).isEmpty();
        assertThat(IrsaRule.problem("""
                {"Statement":{"Effect":"Allow","Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"x:sub":"system:serviceaccount:a:*"}}}}
                """)).as("StringEquals compares * literally").isEmpty();
        assertThat(IrsaRule.problem("""
                {"Statement":[{"Effect":"Allow","Action":"sts:*"},{"Effect":"Deny","Action":"sts:AssumeRoleWithWebIdentity"}]}
                """)).get().asString().contains("without a :sub condition");
        assertThat(IrsaRule.problem("not json")).get().asString().contains("not valid JSON");
    }

    @Test
    void eks001AndEks002ComeFromTheStoredDescribeCluster() {
        FindingsInput.EksSettings open = new FindingsInput.EksSettings("prod", "CONFIG_MAP", false, true, List.of("0.0.0.0/0"));
        List<SecurityFinding> findings = FindingsEngine.offline().evaluate(cluster("", Optional.of(open))).findings();
        assertThat(findings).extracting(SecurityFinding::id, SecurityFinding::resource, SecurityFinding::severity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("EKS-001", "Cluster/prod", Severity.MEDIUM),
                        org.assertj.core.groups.Tuple.tuple("EKS-002", "Cluster/prod", Severity.INFO));

        FindingsInput.EksSettings closed = new FindingsInput.EksSettings("prod", "API_AND_CONFIG_MAP", false, true, List.of("203.0.113.0/24"));
        assertThat(FindingsEngine.offline().evaluate(cluster("", Optional.of(closed))).findings()).isEmpty();
        FindingsInput.EksSettings privateOnly = new FindingsInput.EksSettings("prod", "API", false, false, List.of("0.0.0.0/0"));
        assertThat(FindingsEngine.offline().evaluate(cluster("", Optional.of(privateOnly))).findings()).isEmpty();
        assertThat(FindingsEngine.offline().evaluate(cluster("")).notChecked())
                .anyMatch(note -> note.startsWith("EKS-001, EKS-002, EKS-003: no EKS DescribeCluster details"));
    }

    /** Every EKS authentication mode, and none reported. */
    @ParameterizedTest(name = "mode {0}")
    @NullSource
    @ValueSource(strings = {"CONFIG_MAP", "API_AND_CONFIG_MAP", "API"})
    void eks003FlagsTheBootstrapCreatorAdminInEachAuthenticationMode(String mode) {
        FindingsEngine.Evaluation flagged = eks(mode, true);
        assertThat(flagged.findings()).as(mode).filteredOn(f -> f.id().equals("EKS-003"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.resource()).isEqualTo("Cluster/prod");
                    assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
                    assertThat(f.guideSection()).isEqualTo("Create the cluster with a dedicated IAM role");
                    assertThat(f.message()).contains("created this cluster was made cluster admin",
                            "neither in aws-auth nor in any RBAC binding", "with a dedicated IAM role");
                });
        assertThat(flagged.notChecked()).as(mode).noneMatch(note -> note.contains("EKS-003"));

        FindingsEngine.Evaluation clean = eks(mode, false);
        assertThat(clean.findings()).as(mode).noneMatch(f -> f.id().equals("EKS-003"));
        assertThat(clean.notChecked()).as(mode).noneMatch(note -> note.contains("EKS-003"));

        FindingsEngine.Evaluation unknown = eks(mode, null);
        assertThat(unknown.findings()).as(mode).noneMatch(f -> f.id().equals("EKS-003"));
        assertThat(unknown.notChecked()).as(mode).singleElement().asString()
                .startsWith("EKS-003: EKS DescribeCluster did not say whether the cluster's creator was made cluster admin")
                .contains("accessConfig.bootstrapClusterCreatorAdminPermissions");
    }

    @Test
    void eks003SaysTheWayOutOfEachAuthenticationMode() {
        assertThat(EksRules.creatorAdminMessage("CONFIG_MAP")).contains("In CONFIG_MAP mode it cannot be removed",
                "switch to API_AND_CONFIG_MAP and delete the creator's access entry");
        assertThat(EksRules.creatorAdminMessage("API_AND_CONFIG_MAP"))
                .contains("In API_AND_CONFIG_MAP mode it is the creator's access entry", "aws eks delete-access-entry")
                .doesNotContain("cannot be removed");
        assertThat(EksRules.creatorAdminMessage("API")).contains("In API mode it is the creator's access entry");
        assertThat(EksRules.creatorAdminMessage(null)).contains("EKS did not report the authentication mode");
    }

    /** A cluster with nothing but its EKS details: no aws-auth and no Secrets, so those are the other notes. */
    private static FindingsEngine.Evaluation eks(String mode, Boolean bootstrapCreatorAdmin) {
        FindingsInput.EksSettings settings = new FindingsInput.EksSettings("prod", mode, bootstrapCreatorAdmin, false, List.of());
        FindingsEngine.Evaluation evaluation = FindingsEngine.offline().evaluate(cluster("", Optional.of(settings)));
        return new FindingsEngine.Evaluation(evaluation.findings(), evaluation.notChecked().stream()
                .filter(note -> note.startsWith("EKS-") && !note.startsWith("EKS-004")).toList());
    }

    @Test
    void awsAuthFindingsAreTheValidatorsWithTheEntryAsResource() {
        FindingsEngine.Evaluation evaluation = FindingsEngine.offline().evaluate(cluster("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: aws-auth, namespace: kube-system}
                data:
                  mapRoles: |
                    - rolearn: arn:aws:iam::111122223333:role/admins
                      username: admin:{{SessionName}}
                      groups: [system:masters]
                    - username: nobody
                  mapAccounts: |
                    - "111122223333"
                """));
        assertThat(evaluation.findings()).extracting(SecurityFinding::id, SecurityFinding::resource).containsExactly(
                org.assertj.core.groups.Tuple.tuple("AWSAUTH-001", "mapRoles[1]"),
                org.assertj.core.groups.Tuple.tuple("AWSAUTH-002", "mapRoles[0]"),
                org.assertj.core.groups.Tuple.tuple("AWSAUTH-009", "mapAccounts[0]"));
        assertThat(evaluation.findings().get(1).guideSection()).startsWith("Employ least privileged access");
        assertThat(evaluation.findings().get(1).message()).startsWith("mapRoles[0]: the entry grants system:masters");
        assertThat(FindingsEngine.offline().evaluate(cluster("")).notChecked()).anyMatch(note -> note.startsWith("AWSAUTH-*"));
    }

    @Test
    void findingsComeMostSevereFirst() {
        List<SecurityFinding> findings = FindingsEngine.offline().evaluate(cluster(POWERS
                + """
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: anonymous-view}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
                subjects: [{kind: Group, name: "system:unauthenticated"}]
                """)).findings();
        assertThat(findings.get(0).id()).isEqualTo("RBAC-002");
        assertThat(findings).isSortedAccordingTo(SecurityFinding.ORDER);
    }

    private static String webIdentity(String provider, String operator, String key, String value) {
        return """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/%s"},
                 "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"%s":{"%s":"%s"}}}]}
                """.formatted(provider, operator, key, value);
    }

    private static List<SecurityFinding> only(String id, String yaml) {
        return ids(FindingsEngine.offline().evaluate(cluster(yaml)).findings(), id);
    }

    private static List<SecurityFinding> ids(List<SecurityFinding> findings, String id) {
        return findings.stream().filter(f -> f.id().equals(id)).toList();
    }
}
