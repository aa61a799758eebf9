package io.eksaccess.console.report.findings;

import static io.eksaccess.console.report.findings.FindingsFixtures.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AccessScope;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.accessentry.AuthenticationMode;
import io.eksaccess.console.accessentry.ClusterAccessEntries;
import io.eksaccess.console.accessentry.SyncedAccessEntries;
import io.eksaccess.console.awsauth.IamPrincipalLookup;
import io.eksaccess.console.awsauth.Severity;
import io.eksaccess.console.cluster.cache.EksAccessEntries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** EKS-004, EKS-005 and EKS-006 over access entries as a sync from EKS leaves them in the cache. */
class AccessEntryFindingsTest {

    static final String ACCOUNT = "111122223333";
    static final String POLICY = "arn:aws:eks::aws:cluster-access-policy/";
    static final String CREATOR = "arn:aws:iam::" + ACCOUNT + ":role/platform/Creator";
    static final String ADMINS = "arn:aws:iam::" + ACCOUNT + ":role/Admins";
    static final String BREAK_GLASS = "arn:aws:iam::" + ACCOUNT + ":role/BreakGlass";
    static final String TEAM = "arn:aws:iam::" + ACCOUNT + ":role/Team";
    static final String VIEWER = "arn:aws:iam::" + ACCOUNT + ":role/Viewer";
    static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");

    static final String AWS_AUTH = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: aws-auth, namespace: kube-system}
            data:
              mapRoles: |
                - rolearn: arn:aws:iam::111122223333:role/eks-nodes
                  username: system:node:{{EC2PrivateDNSName}}
                  groups: [system:bootstrappers, system:nodes]
                - rolearn: arn:aws:iam::111122223333:role/Viewer
                  username: viewer:{{SessionName}}
                  groups: [viewers]
            """;

    static EksAccessEntries.Entry entry(String arn, Instant created, EksAccessEntries.Association... policies) {
        return new EksAccessEntries.Entry(arn, AccessEntry.STANDARD, null, List.of(), created, created, List.of(policies));
    }

    static EksAccessEntries.Association policy(String name, String scope, String... namespaces) {
        return new EksAccessEntries.Association(POLICY + name, scope, List.of(namespaces), CREATED, CREATED);
    }

    /** The cache's content: EKS's answer and the model built from it, as SyncedAccessEntries.of builds it. */
    static SyncedAccessEntries synced(AuthenticationMode mode, EksAccessEntries.Entry... raw) {
        List<AccessEntry> entries = new ArrayList<>();
        for (EksAccessEntries.Entry entry : raw) {
            entries.add(new AccessEntry(entry.principalArn(), entry.type(), entry.username(), entry.kubernetesGroups(),
                    entry.policies().stream().map(p -> new AssociatedAccessPolicy(p.policyArn(),
                            new AccessScope(p.scopeType(), p.namespaces()))).toList()));
        }
        return new SyncedAccessEntries(new ClusterAccessEntries("prod", mode, entries),
                new EksAccessEntries(Arrays.asList(raw), List.of(), CREATED, 1, java.time.Duration.ZERO), null);
    }

    static FindingsEngine.Evaluation evaluate(SyncedAccessEntries synced, Boolean bootstrap, List<String> breakGlass,
            String yaml) {
        FindingsInput base = cluster(yaml, Optional.of(new FindingsInput.EksSettings("prod",
                synced.entries().mode().name(), bootstrap, false, List.of())));
        FindingsInput input = new FindingsInput(base.roles(), base.clusterRoles(), base.roleBindings(),
                base.clusterRoleBindings(), base.namespaces(), base.serviceAccounts(), base.pods(), base.secrets(),
                base.awsAuth(), base.eks(), Optional.of(synced));
        return new FindingsEngine(IamPrincipalLookup.NONE, TrustPolicies.NONE, breakGlass).evaluate(input);
    }

    static List<SecurityFinding> of(FindingsEngine.Evaluation evaluation, String id) {
        return evaluation.findings().stream().filter(f -> f.id().equals(id)).toList();
    }

    @Test
    void eks004FlagsClusterAdminPoliciesOutsideTheBreakGlassList() {
        SyncedAccessEntries synced = synced(AuthenticationMode.API,
                entry(ADMINS, CREATED.plusSeconds(3600), policy("AmazonEKSClusterAdminPolicy", "cluster")),
                entry(BREAK_GLASS, CREATED.plusSeconds(7200), policy("AmazonEKSClusterAdminPolicy", "cluster")),
                entry(TEAM, CREATED.plusSeconds(7200), policy("AmazonEKSAdminPolicy", "cluster")),
                entry(VIEWER, CREATED.plusSeconds(7200), policy("AmazonEKSAdminPolicy", "namespace", "team-*"),
                        policy("AmazonEKSViewPolicy", "cluster")));
        FindingsEngine.Evaluation evaluation = evaluate(synced, false, List.of(BREAK_GLASS), "");
        assertThat(of(evaluation, "EKS-004")).extracting(SecurityFinding::resource)
                .as("break-glass role listed; Admin only counts cluster-wide")
                .containsExactly("AccessEntry/" + ADMINS, "AccessEntry/" + TEAM);
        assertThat(of(evaluation, "EKS-004").get(0).severity()).isEqualTo(Severity.HIGH);
        assertThat(of(evaluation, "EKS-004").get(0).message()).contains("AmazonEKSClusterAdminPolicy at cluster scope",
                "console.findings.break-glass-principals");
        assertThat(of(evaluate(synced, false, List.of(), ""), "EKS-004")).as("default: no break-glass list").hasSize(3);
        assertThat(evaluation.notChecked()).noneMatch(note -> note.startsWith("EKS-004"));
    }

    @Test
    void eks005FlagsAwsAuthMappingsAnEntryOverridesOnlyInApiAndConfigMap() {
        EksAccessEntries.Entry viewer = entry(VIEWER, CREATED, policy("AmazonEKSViewPolicy", "cluster"));
        FindingsEngine.Evaluation mixed = evaluate(synced(AuthenticationMode.API_AND_CONFIG_MAP, viewer), false, List.of(),
                AWS_AUTH);
        assertThat(of(mixed, "EKS-005")).singleElement().satisfies(f -> {
            assertThat(f.resource()).isEqualTo("mapRoles[1]");
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.message()).contains(VIEWER, "the mapping is ignored", "Remove the mapping from aws-auth");
        });
        assertThat(of(evaluate(synced(AuthenticationMode.API, viewer), false, List.of(), AWS_AUTH), "EKS-005"))
                .as("in API mode aws-auth is ignored whole, not overridden per principal").isEmpty();
    }

    @Test
    void eks006NamesTheEarliestClusterAdminEntryWhenTheBootstrapFlagIsSet() {
        SyncedAccessEntries synced = synced(AuthenticationMode.API_AND_CONFIG_MAP,
                entry(ADMINS, CREATED.plusSeconds(3600), policy("AmazonEKSClusterAdminPolicy", "cluster")),
                entry(VIEWER, CREATED.minusSeconds(60), policy("AmazonEKSViewPolicy", "cluster")),
                entry(CREATOR, CREATED, policy("AmazonEKSClusterAdminPolicy", "cluster")));
        assertThat(of(evaluate(synced, true, List.of(), ""), "EKS-006")).singleElement().satisfies(f -> {
            assertThat(f.resource()).isEqualTo("AccessEntry/" + CREATOR);
            assertThat(f.message()).contains("EKS does not report who created a cluster", "delete-access-entry");
        });
        assertThat(of(evaluate(synced, false, List.of(), ""), "EKS-006")).as("not created with the flag").isEmpty();
        SyncedAccessEntries removed = synced(AuthenticationMode.API,
                entry(VIEWER, CREATED, policy("AmazonEKSViewPolicy", "cluster")));
        assertThat(of(evaluate(removed, true, List.of(), ""), "EKS-006")).as("the creator's entry was deleted").isEmpty();
    }

    @Test
    void withoutSyncedEntriesTheEngineSaysSoExceptForConfigMapClusters() {
        FindingsEngine.Evaluation api = FindingsEngine.offline().evaluate(cluster("", Optional.of(
                new FindingsInput.EksSettings("prod", "API", false, false, List.of()))));
        assertThat(api.notChecked()).anyMatch(note -> note.startsWith("EKS-004, EKS-005, EKS-006: no access entries"));
        FindingsEngine.Evaluation configMap = FindingsEngine.offline().evaluate(cluster("", Optional.of(
                new FindingsInput.EksSettings("prod", "CONFIG_MAP", false, false, List.of()))));
        assertThat(configMap.notChecked()).noneMatch(note -> note.startsWith("EKS-004"));
    }
}
