package io.eksaccess.console.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AccessPolicyTable;
import io.eksaccess.console.accessentry.AccessScope;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.Section;
import io.eksaccess.console.system.Sentence;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One test per rule of ACCESS-ENTRIES.md "Migrating off aws-auth", and the cases where eksctl goes wrong. */
class MigrationPlannerTest {

    private static final String CLUSTER_ADMIN = AccessPolicyTable.ARN_PREFIX + AccessPolicyTable.CLUSTER_ADMIN;

    private static MigrationPlan plan(String mapRoles, String mapUsers, List<AccessEntry> existing) {
        return MigrationPlanner.plan(AwsAuthParser.parse(Map.of("mapRoles", mapRoles, "mapUsers", mapUsers)), existing);
    }

    private static MigrationPlan roles(String mapRoles) {
        return plan(mapRoles, "", List.of());
    }

    private static AccessEntry only(MigrationPlan plan) {
        assertThat(plan.entries()).hasSize(1);
        return plan.entries().get(0).entry();
    }

    @Test
    void mastersBecomeClusterAdminPolicyAtClusterScopeWithTheOtherGroups() {
        MigrationPlan plan = roles("""
                - rolearn: arn:aws:iam::111122223333:role/Ops
                  username: ops:{{SessionName}}
                  groups: [system:masters, oncall]
                """);
        AccessEntry entry = only(plan);
        assertThat(entry.type()).isEqualTo("STANDARD");
        assertThat(entry.username()).isEqualTo("ops:{{SessionName}}");
        assertThat(entry.kubernetesGroups()).containsExactly("oncall");
        assertThat(entry.associatedAccessPolicies())
                .containsExactly(new AssociatedAccessPolicy(CLUSTER_ADMIN, AccessScope.cluster()));
        assertThat(plan.entries().get(0).from()).isEqualTo(Section.MAP_ROLES);
        assertThat(plan.unmigratable()).isEmpty();
    }

    @Test
    void nodeRoleBecomesEc2LinuxWithoutUsernameOrGroups() {
        AccessEntry entry = only(roles("""
                - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
                  username: system:node:{{EC2PrivateDNSName}}
                  groups: [system:bootstrappers, system:nodes]
                """));
        assertThat(entry).isEqualTo(new AccessEntry("arn:aws:iam::111122223333:role/NodeInstanceRole", "EC2_LINUX",
                null, List.of(), List.of()));
    }

    @Test
    void windowsNodeRoleBecomesEc2Windows() {
        assertThat(only(roles("""
                - rolearn: arn:aws:iam::111122223333:role/WinNodes
                  username: system:node:{{EC2PrivateDNSName}}
                  groups: [system:bootstrappers, system:nodes, eks:kube-proxy-windows]
                """)).type()).isEqualTo("EC2_WINDOWS");
    }

    @Test
    void fargatePodExecutionRoleBecomesFargateLinux() {
        // eksctl has no Fargate branch: it would copy this as STANDARD with system: groups, which EKS refuses.
        assertThat(only(roles("""
                - rolearn: arn:aws:iam::111122223333:role/FargatePodExecution
                  username: system:node:{{SessionName}}
                  groups: [system:bootstrappers, system:nodes, system:node-proxier]
                """)).type()).isEqualTo("FARGATE_LINUX");
    }

    @Test
    void groupsMerelyContainingSystemAreKept() {
        // eksctl skips any group containing "system"; only a system: prefix is refused by EKS.
        AccessEntry entry = only(roles("""
                - rolearn: arn:aws:iam::111122223333:role/Platform
                  username: platform
                  groups: [platform-system-admins, filesystem-readers]
                """));
        assertThat(entry.kubernetesGroups()).containsExactly("platform-system-admins", "filesystem-readers");
    }

    @Test
    void otherSystemGroupIsUnmigratableWithReason() {
        MigrationPlan plan = roles("""
                - rolearn: arn:aws:iam::111122223333:role/Monitor
                  username: monitor
                  groups: [system:monitoring, readers]
                """);
        assertThat(plan.entries()).isEmpty();
        assertThat(plan.unmigratable()).singleElement().satisfies(u -> {
            assertThat(u.key()).isEqualTo(Section.MAP_ROLES);
            assertThat(u.index()).isZero();
            assertThat(u.reason().text()).contains("system:monitoring").contains("group of your own");
        });
    }

    @Test
    void reservedUsernameOutsideNodePatternsIsUnmigratable() {
        MigrationPlan plan = roles("""
                - rolearn: arn:aws:iam::111122223333:role/A
                  username: system:admin
                  groups: [admins]
                - rolearn: arn:aws:iam::111122223333:role/B
                  username: eks:thing
                  groups: [admins]
                """);
        assertThat(plan.entries()).isEmpty();
        assertThat(plan.unmigratable()).extracting(u -> u.reason().text())
                .anySatisfy(r -> assertThat(r).contains("system:admin").contains("reserves"))
                .anySatisfy(r -> assertThat(r).contains("eks:thing").contains("reserves"));
    }

    @Test
    void nodeUsernameWithExtraGroupsIsUnmigratable() {
        MigrationPlan plan = roles("""
                - rolearn: arn:aws:iam::111122223333:role/Nodes
                  username: system:node:{{EC2PrivateDNSName}}
                  groups: [system:bootstrappers, system:nodes, node-debuggers]
                """);
        assertThat(plan.entries()).isEmpty();
        assertThat(plan.unmigratable().get(0).reason().text()).contains("node-debuggers").contains("EC2_LINUX");
    }

    /**
     * Reasons are keys with arguments (the page resolves them); their text, which the CLI and its JSON
     * print, reads word for word as the English the planner used to build, optional parts included.
     */
    @Test
    void reasonsAreStableCodesWhoseTextTheCliPrintsAsBefore() {
        MigrationPlan plan = roles("""
                - rolearn: arn:aws:iam::111122223333:role/Pods
                  username: system:node:{{SessionName}}
                  groups: [system:bootstrappers, node-debuggers]
                - rolearn: arn:aws:iam::111122223333:role/B
                  username: system:admin
                  groups: [admins]
                """);
        assertThat(plan.unmigratable()).extracting(u -> u.reason().key())
                .containsExactly("text.migration.reason.node-groups", "text.migration.reason.reserved-username");
        String nodeGroups = "username system:node:{{SessionName}} is a node identity, but the groups are not a node"
                + " role's (missing system:nodes, system:node-proxier) (also node-debuggers, which a FARGATE_LINUX entry"
                + " cannot carry: EKS gives node entries their own groups); bind that RBAC to system:nodes instead, or"
                + " map the role as a STANDARD entry without the node username";
        String reserved = "username system:admin starts with system:, which EKS reserves in access entries (only the"
                + " node patterns system:node:{{EC2PrivateDNSName}} and system:node:{{SessionName}} with the node groups"
                + " become node entries); choose another username and move its RBAC bindings to it";
        assertThat(plan.unmigratable()).extracting(u -> u.reason().text()).containsExactly(nodeGroups, reserved);
        tools.jackson.databind.JsonNode json = MigrationPlanJson.of(plan).get("unmigratable");
        assertThat(json.get(0).get("reason").asText()).isEqualTo(nodeGroups);
        assertThat(json.get(1).get("reason").asText()).isEqualTo(reserved);
    }

    @Test
    void sessionNameWithoutColonIsUnmigratableAsEksRefusesIt() {
        MigrationPlan plan = roles("""
                - rolearn: arn:aws:iam::111122223333:role/Dev
                  username: "{{SessionName}}"
                  groups: [devs]
                """);
        assertThat(plan.entries()).isEmpty();
        assertThat(plan.unmigratable().get(0).reason().text()).startsWith("EKS would refuse the entry").contains("':'");
    }

    @Test
    void mapAccountsIsUnmigratableAndSaysItBlocksApi() {
        MigrationPlan plan = MigrationPlanner.plan(AwsAuthParser.parse(Map.of("mapAccounts", "- \"444455556666\"\n")),
                List.of());
        assertThat(plan.unmigratable()).singleElement().satisfies(u -> {
            assertThat(u.key()).isEqualTo(Section.MAP_ACCOUNTS);
            assertThat(u.index()).isZero();
            assertThat(u.reason().text()).contains("444455556666").contains("cannot move to API");
        });
    }

    @Test
    void entriesTheAuthenticatorDropsAreUnmigratable() {
        MigrationPlan plan = plan("""
                - username: nobody
                  groups: [devs]
                """, "- username: no-arn\n", List.of());
        assertThat(plan.entries()).isEmpty();
        assertThat(plan.unmigratable()).extracting(MigrationPlan.Unmigratable::key, MigrationPlan.Unmigratable::index)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Section.MAP_ROLES, 0),
                        org.assertj.core.groups.Tuple.tuple(Section.MAP_USERS, 0));
        assertThat(plan.unmigratable().get(0).reason().text()).contains("drops").contains("neither rolearn nor sso");
    }

    @Test
    void earlierDuplicateIsUnmigratableAndTheKeptOneIsPlanned() {
        MigrationPlan plan = roles("""
                - rolearn: arn:aws:iam::111122223333:role/Dev
                  username: first
                  groups: [a]
                - rolearn: arn:aws:iam::111122223333:role/dev
                  username: second
                  groups: [b]
                """);
        assertThat(only(plan).username()).isEqualTo("second");
        assertThat(plan.unmigratable()).singleElement().satisfies(u -> assertThat(u.reason().text()).contains("mapRoles[1]"));
    }

    @Test
    void roleArnWithPathMatchesNoOneTodayAndIsNotMigrated() {
        MigrationPlan plan = roles("""
                - rolearn: arn:aws:iam::111122223333:role/teams/Dev
                  username: dev
                  groups: [devs]
                """);
        assertThat(plan.entries()).isEmpty();
        assertThat(plan.unmigratable().get(0).reason().text()).contains("/teams/").contains("matches no one today");
    }

    @Test
    void pathStrippedSsoRoleIsPlannedWithANoteThatItNeedsItsPath() {
        // eksctl copies the path-stripped ARN, which EKS refuses or maps to nothing.
        MigrationPlan plan = roles("""
                - rolearn: arn:aws:iam::111122223333:role/AWSReservedSSO_Admins_0123456789abcdef
                  username: sso-admin:{{SessionName}}
                  groups: [admins]
                """);
        assertThat(only(plan).principalArn()).isEqualTo("arn:aws:iam::111122223333:role/AWSReservedSSO_Admins_0123456789abcdef");
        assertThat(plan.notes()).extracting(Sentence::text).anySatisfy(n -> assertThat(n).startsWith("mapRoles[0]: ")
                .contains("arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/[REGION/]AWSReservedSSO_Admins_0123456789abcdef"));
    }

    @Test
    void ssoPatternMappingIsUnmigratable() {
        MigrationPlan plan = roles("""
                - sso:
                    permissionSetName: Admins
                    accountID: "111122223333"
                  username: sso
                  groups: [admins]
                """);
        assertThat(plan.entries()).isEmpty();
        assertThat(plan.unmigratable().get(0).reason().text()).contains("permission set Admins");
    }

    @Test
    void principalWithAnEntryAlreadyIsSkipped() {
        MigrationPlan plan = plan("""
                - rolearn: arn:aws:iam::111122223333:role/Dev
                  username: dev
                  groups: [devs]
                """, """
                - userarn: arn:aws:iam::111122223333:user/bob
                  username: bob
                  groups: [devs]
                """, List.of(new AccessEntry("arn:aws:iam::111122223333:role/teams/Dev", null, null, List.of(), List.of())));
        assertThat(plan.skipped()).singleElement().satisfies(s -> {
            assertThat(s.key()).isEqualTo(Section.MAP_ROLES);
            assertThat(s.reason().text()).contains("arn:aws:iam::111122223333:role/teams/Dev");
        });
        assertThat(only(plan).principalArn()).isEqualTo("arn:aws:iam::111122223333:user/bob");
        assertThat(plan.entries().get(0).from()).isEqualTo(Section.MAP_USERS);
    }

    @Test
    void userMappingWithNodeUsernameIsUnmigratable() {
        MigrationPlan plan = plan("", """
                - userarn: arn:aws:iam::111122223333:user/node
                  username: system:node:{{EC2PrivateDNSName}}
                  groups: [system:nodes]
                """, List.of());
        assertThat(plan.entries()).isEmpty();
        assertThat(plan.unmigratable().get(0).reason().text()).contains("must be IAM roles");
    }

    @Test
    void emptyUsernameLeavesEksDefault() {
        AccessEntry entry = only(plan("", """
                - userarn: arn:aws:iam::111122223333:user/bob
                  groups: [devs]
                """, List.of()));
        assertThat(entry.username()).isNull();
    }
}
