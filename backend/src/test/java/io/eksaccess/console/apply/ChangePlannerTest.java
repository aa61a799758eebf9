package io.eksaccess.console.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.awsauth.AwsAuthEdit.RoleEntry;
import io.eksaccess.console.awsauth.AwsAuthEdit.UserEntry;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.AwsAuthValidator;
import io.eksaccess.console.awsauth.IamPrincipalLookup;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Planning semantic changes on aws-auth text: minimal edits, duplicates, ARN case, inverses, refusals. */
class ChangePlannerTest {

    static final String CONSOLE = "arn:aws:iam::111122223333:role/console";
    final ChangePlanner planner = new ChangePlanner(new AwsAuthValidator(IamPrincipalLookup.NONE),
            new LockoutCheck(CONSOLE, Set.of(LockoutCheck.MASTERS, "platform-admins")));

    static Map<String, String> data() {
        return Map.of("mapRoles", ApplyTestCluster.MAP_ROLES + """
                - rolearn: arn:aws:iam::111122223333:role/console
                  username: console
                  groups: [system:masters]
                """, "mapUsers", ApplyTestCluster.MAP_USERS);
    }

    @Test
    void mapRoleAddsOneEntryAndKeepsTheRest() {
        ChangePlan plan = planner.plan(data(), new MappingChange.MapRole(new RoleEntry(
                "arn:aws:iam::111122223333:role/ops", null, "ops:{{SessionName}}", List.of("operators"))));

        assertThat(plan.refused(false)).as(plan.reasons().toString()).isFalse();
        assertThat(plan.after().get("mapUsers")).isEqualTo(ApplyTestCluster.MAP_USERS);
        assertThat(plan.after().get("mapRoles")).startsWith(data().get("mapRoles")).contains("role/ops");
        assertThat(plan.inverse()).isEqualTo(new MappingChange.UnmapRole("arn:aws:iam::111122223333:role/ops",
                new MappingChange.Granted("ops:{{SessionName}}", List.of("operators"))));
    }

    @Test
    void mapRoleUpdatesTheExistingEntryMatchedCaseInsensitivelyAndItsInverseRestoresIt() {
        ChangePlan plan = planner.plan(data(), new MappingChange.MapRole(new RoleEntry(
                "arn:aws:iam::111122223333:role/DEVS", null, "dev:{{SessionName}}", List.of("developers", "viewers"))));

        var roles = AwsAuthParser.parse(plan.after()).roles();
        assertThat(roles).hasSize(3);
        assertThat(roles.get(1).groups()).containsExactly("developers", "viewers");
        assertThat(plan.inverse()).isEqualTo(new MappingChange.MapRole(new RoleEntry(ApplyTestCluster.DEVS, null,
                "dev:{{SessionName}}", List.of("developers")),
                new MappingChange.Granted("dev:{{SessionName}}", List.of("developers", "viewers"))));
        assertThat(plan.after().get("mapRoles")).contains("# developers, read-mostly");
    }

    @Test
    void theSameMappingIsNoChange() {
        ChangePlan plan = planner.plan(data(), new MappingChange.MapUser(new UserEntry(
                "ARN:AWS:IAM::111122223333:USER/ALICE", "alice", List.of("developers"))));

        assertThat(plan.noChange()).isTrue();
        assertThat(plan.diff()).isEmpty();
    }

    @Test
    void unmapRemovesEveryDuplicateSoNoneTakesOver() {
        Map<String, String> duplicated = Map.of("mapRoles", data().get("mapRoles") + """
                - rolearn: ARN:aws:iam::111122223333:role/devs
                  username: shadow
                  groups: [system:masters]
                """);

        ChangePlan plan = planner.plan(duplicated, new MappingChange.UnmapRole(ApplyTestCluster.DEVS));

        assertThat(plan.after().get("mapRoles")).doesNotContainIgnoringCase("role/devs").contains("role/admins");
        assertThat(plan.refused(false)).isFalse();
        // The inverse restores the entry the authenticator used (the last one).
        assertThat(plan.inverse()).isEqualTo(new MappingChange.MapRole(new RoleEntry(
                "ARN:aws:iam::111122223333:role/devs", null, "shadow", List.of("system:masters")),
                MappingChange.Granted.NONE));
    }

    @Test
    void unmappingSomethingAbsentIsNoChangeAndItsInverseIsAnUnmap() {
        ChangePlan plan = planner.plan(data(), new MappingChange.UnmapUser("arn:aws:iam::111122223333:user/nobody"));

        assertThat(plan.noChange()).isTrue();
        assertThat(plan.inverse()).isEqualTo(new MappingChange.UnmapUser("arn:aws:iam::111122223333:user/nobody",
                MappingChange.Granted.NONE));
    }

    // ---- taking a change back (a grant's end, an undo) keeps what changed since -------------------------

    static final String OPS = "arn:aws:iam::111122223333:role/ops";

    @Test
    void takingBackAGrantRemovesOnlyTheGroupItGaveAndKeepsAGroupAddedSince() {
        ChangePlan grant = planner.plan(data(), mapOps("ops:{{SessionName}}", "operators"));
        ChangePlan untouched = planner.plan(grant.after(), grant.inverse());
        assertThat(untouched.after().get("mapRoles")).as("untouched since: the whole mapping goes").doesNotContain("role/ops");

        ChangePlan later = planner.plan(grant.after(), mapOps("ops:{{SessionName}}", "operators", "deployers"));
        ChangePlan end = planner.plan(later.after(), grant.inverse());

        assertThat(end.refused(false)).as(end.reasons().toString()).isFalse();
        assertThat(role(end, OPS).groups()).containsExactly("deployers");
        assertThat(role(end, OPS).username()).isEqualTo("ops:{{SessionName}}");
        assertThat(end.takenBack()).containsExactly("group operators of " + OPS);
        assertThat(end.kept()).anySatisfy(k -> assertThat(k).contains("group deployers").contains("added since"))
                .anySatisfy(k -> assertThat(k).contains("stays"));
    }

    @Test
    void takingBackAGrantOnAnExistingMappingKeepsAUsernameAndGroupChangedSince() {
        ChangePlan grant = planner.plan(data(), new MappingChange.MapRole(new RoleEntry(ApplyTestCluster.DEVS, null,
                "dev:{{SessionName}}", List.of("developers", "viewers"))));
        ChangePlan later = planner.plan(grant.after(), new MappingChange.MapRole(new RoleEntry(ApplyTestCluster.DEVS, null,
                "devx:{{SessionName}}", List.of("developers", "viewers", "testers"))));
        ChangePlan end = planner.plan(later.after(), grant.inverse());

        assertThat(role(end, ApplyTestCluster.DEVS).groups()).containsExactly("developers", "testers");
        assertThat(role(end, ApplyTestCluster.DEVS).username()).isEqualTo("devx:{{SessionName}}");
        assertThat(end.takenBack()).containsExactly("group viewers of " + ApplyTestCluster.DEVS);
        assertThat(end.kept()).anySatisfy(k -> assertThat(k).contains("username devx:{{SessionName}}").contains("changed since"));
    }

    @Test
    void aGrantWhoseGroupWasRemovedSinceTakesNothingBackAndSaysWhy() {
        ChangePlan grant = planner.plan(data(), new MappingChange.MapRole(new RoleEntry(ApplyTestCluster.DEVS, null,
                "dev:{{SessionName}}", List.of("developers", "viewers"))));
        ChangePlan later = planner.plan(grant.after(), new MappingChange.MapRole(new RoleEntry(ApplyTestCluster.DEVS, null,
                "dev:{{SessionName}}", List.of("developers", "testers"))));
        ChangePlan end = planner.plan(later.after(), grant.inverse());

        assertThat(end.noChange()).as("nothing wrong is removed").isTrue();
        assertThat(end.takenBack()).isEmpty();
        assertThat(end.kept()).anySatisfy(k -> assertThat(k).contains("group viewers").contains("removed since"))
                .anySatisfy(k -> assertThat(k).contains("group testers").contains("added since"));
    }

    @Test
    void theEndOfATimeBoundRemovalDoesNotOverwriteAMappingMadeSince() {
        ChangePlan removal = planner.plan(data(), new MappingChange.UnmapRole(ApplyTestCluster.DEVS));
        ChangePlan untouched = planner.plan(removal.after(), removal.inverse());
        assertThat(role(untouched, ApplyTestCluster.DEVS).groups()).as("untouched since: restored").containsExactly("developers");

        ChangePlan later = planner.plan(removal.after(), new MappingChange.MapRole(new RoleEntry(ApplyTestCluster.DEVS, null,
                "new:{{SessionName}}", List.of("testers"))));
        ChangePlan end = planner.plan(later.after(), removal.inverse());
        assertThat(end.noChange()).isTrue();
        assertThat(end.kept()).anySatisfy(k -> assertThat(k).contains("mapped again since"));
    }

    @Test
    void takingBackAUserGrantKeepsAGroupAddedSince() {
        String bob = "arn:aws:iam::111122223333:user/bob";
        ChangePlan grant = planner.plan(data(), new MappingChange.MapUser(new UserEntry(bob, "bob", List.of("readers"))));
        ChangePlan later = planner.plan(grant.after(), new MappingChange.MapUser(new UserEntry(bob, "bob",
                List.of("readers", "writers"))));
        ChangePlan end = planner.plan(later.after(), grant.inverse());
        assertThat(AwsAuthParser.parse(end.after()).users()).filteredOn(u -> u.userArn().equals(bob))
                .singleElement().satisfies(u -> assertThat(u.groups()).containsExactly("writers"));
    }

    /**
     * Two grants stacked on one mapping, the first ending first: the second's way back recorded the mapping
     * as the first left it, so its end would leave a mapping behind (the first grant's identity) unless the
     * ended grant's part is handed over out of it.
     */
    @Test
    void aLaterGrantsWayBackIsHandedOverSoItsEndLeavesNothingOfAnEndedGrant() {
        ChangePlan first = planner.plan(data(), mapOps("ops:{{SessionName}}", "operators"));
        ChangePlan second = planner.plan(first.after(), mapOps("ops:{{SessionName}}", "operators", "deployers"));
        ChangePlan firstEnds = planner.plan(second.after(), first.inverse());
        assertThat(role(firstEnds, OPS).groups()).containsExactly("deployers");

        MappingChange handed = ChangePlanner.handedOver(second.inverse(), first.inverse());
        assertThat(handed).isEqualTo(new MappingChange.UnmapRole(OPS,
                new MappingChange.Granted("ops:{{SessionName}}", List.of("operators", "deployers"))));
        ChangePlan secondEnds = planner.plan(firstEnds.after(), handed);
        assertThat(secondEnds.after().get("mapRoles")).as("nothing of either grant is left").doesNotContain("role/ops");
        assertThat(ChangePlanner.handedOver(new MappingChange.MapRole(new RoleEntry(ApplyTestCluster.DEVS, null, "d",
                List.of("x")), new MappingChange.Granted("d", List.of())), first.inverse())).as("another mapping").isNull();
    }

    /**
     * What others put on the mapping since comes from the live ConfigMap (hand edits included, up to its 1 MiB):
     * the take-back's words go into the request, the audit and notifications, so they are bounded and one line.
     */
    @Test
    void whatATakeBackSaysItKeptIsBoundedHoweverMuchWasAddedSince() {
        ChangePlan grant = planner.plan(data(), mapOps("ops:{{SessionName}}", "operators"));
        List<String> many = new java.util.ArrayList<>(List.of("operators"));
        for (int i = 0; i < 2_000; i++) {
            many.add("hand-added-group-" + i);
        }
        String longName = "ops\u202e" + "x".repeat(10_000);
        ChangePlan later = planner.plan(grant.after(), new MappingChange.MapRole(new RoleEntry(OPS, null, longName, many)));
        ChangePlan end = planner.plan(later.after(), grant.inverse());

        assertThat(role(end, OPS).groups()).as("only the grant's group went").hasSize(2_000).doesNotContain("operators");
        assertThat(end.takenBack()).containsExactly("group operators of " + OPS);
        assertThat(String.join("; ", end.kept())).as("bounded").hasSizeLessThan(4_000)
                .contains("group hand-added-group-0 of " + OPS + ", added since")
                .contains("and 1990 more groups of " + OPS + ", added since")
                .doesNotContain("x".repeat(300)).doesNotContain("\u202e");
    }

    static MappingChange.MapRole mapOps(String username, String... groups) {
        return new MappingChange.MapRole(new RoleEntry(OPS, null, username, List.of(groups)));
    }

    static io.eksaccess.console.awsauth.RoleMapping role(ChangePlan plan, String arn) {
        return AwsAuthParser.parse(plan.after()).roles().stream().filter(r -> r.roleArn().equalsIgnoreCase(arn))
                .reduce((first, second) -> second).orElseThrow(() -> new AssertionError("no mapping of " + arn));
    }

    @Test
    void accountsAreAddedOnceAndRemoved() {
        ChangePlan added = planner.plan(data(), new MappingChange.MapAccount("444455556666"));
        assertThat(AwsAuthParser.parse(added.after()).accounts()).extracting(a -> a.accountId()).containsExactly("444455556666");
        assertThat(planner.plan(added.after(), new MappingChange.MapAccount("444455556666")).noChange()).isTrue();
        ChangePlan removed = planner.plan(added.after(), new MappingChange.UnmapAccount("444455556666"));
        assertThat(AwsAuthParser.parse(removed.after()).accounts()).isEmpty();
        assertThat(removed.inverse()).isEqualTo(new MappingChange.MapAccount("444455556666"));
    }

    @Test
    void anAwsAuthBeyondTheReadersLimitsIsNeverPlannedOnEvenInBreakGlass() {
        Map<String, String> hostile = Map.of("mapRoles", io.eksaccess.console.testsupport.HostileDocuments.deepAliasChain(),
                "mapUsers", ApplyTestCluster.MAP_USERS);
        ChangePlan plan = planner.plan(hostile, new MappingChange.MapUser(new UserEntry(
                "arn:aws:iam::111122223333:user/bob", "bob", List.of("developers"))));

        assertThat(plan.refused(true)).isTrue();
        assertThat(plan.reasons()).singleElement().asString().startsWith("aws-auth could not be read: ");
        assertThat(plan.after()).isEqualTo(hostile);
    }

    @Test
    void anEntryTheAuthenticatorWouldDropIsRefusedEvenInBreakGlass() {
        ChangePlan plan = planner.plan(data(), new MappingChange.MapRole(new RoleEntry("not-an-arn", null, "x",
                List.of("developers"))));

        assertThat(plan.refusals()).isNotEmpty();
        assertThat(plan.refused(true)).isTrue();
    }

    @Test
    void takingAwayTheConsolesOwnAccessIsALockoutProblem() {
        ChangePlan plan = planner.plan(data(), new MappingChange.UnmapRole(CONSOLE.toUpperCase().replace("ARN:AWS:IAM", "arn:aws:iam")));

        assertThat(plan.lockoutProblems()).anyMatch(p -> p.contains("console's own access"));
        assertThat(plan.refused(false)).isTrue();
        assertThat(plan.refused(true)).as("break-glass overrides lockout").isFalse();
    }

    @Test
    void theLastAdminPathCountsGroupsBoundToClusterAdmin() {
        Map<String, String> platformOnly = Map.of("mapRoles", """
                - rolearn: arn:aws:iam::111122223333:role/platform
                  username: platform
                  groups: [platform-admins]
                - rolearn: arn:aws:iam::111122223333:role/devs
                  username: dev
                  groups: [developers]
                """);
        ChangePlanner noConsole = new ChangePlanner(new AwsAuthValidator(IamPrincipalLookup.NONE),
                new LockoutCheck(null, Set.of(LockoutCheck.MASTERS, "platform-admins")));

        assertThat(noConsole.plan(platformOnly, new MappingChange.UnmapRole("arn:aws:iam::111122223333:role/platform"))
                .lockoutProblems()).singleElement().asString().contains("last mapping into a cluster-admin group");
        assertThat(noConsole.plan(platformOnly, new MappingChange.UnmapRole("arn:aws:iam::111122223333:role/devs"))
                .lockoutProblems()).isEmpty();
        // Moving the last admin mapping out of the admin groups is as bad as removing it.
        assertThat(noConsole.plan(platformOnly, new MappingChange.MapRole(new RoleEntry(
                "arn:aws:iam::111122223333:role/platform", null, "platform", List.of("viewers")))).lockoutProblems())
                .isNotEmpty();
    }

    @Test
    void theLastAwsAuthAdminMappingMayGoWhileAnAccessEntryIsClusterAdmin() {
        Map<String, String> oneAdmin = Map.of("mapRoles", """
                - rolearn: arn:aws:iam::111122223333:role/platform
                  username: platform
                  groups: [system:masters]
                """);
        MappingChange unmap = new MappingChange.UnmapRole("arn:aws:iam::111122223333:role/platform");
        // API_AND_CONFIG_MAP with one principal holding AmazonEKSClusterAdminPolicy through its entry (the migration's step 4).
        ChangePlanner withEntryAdmin = new ChangePlanner(new AwsAuthValidator(IamPrincipalLookup.NONE),
                new LockoutCheck(null, Set.of(LockoutCheck.MASTERS), 1));
        ChangePlanner without = new ChangePlanner(new AwsAuthValidator(IamPrincipalLookup.NONE),
                new LockoutCheck(null, Set.of(LockoutCheck.MASTERS), 0));

        assertThat(withEntryAdmin.plan(oneAdmin, unmap).lockoutProblems()).isEmpty();
        assertThat(without.plan(oneAdmin, unmap).lockoutProblems()).singleElement().asString()
                .contains("last mapping into a cluster-admin group");
    }

    @Test
    void aDataSetWithoutAdminsToBeginWithIsNotALockout() {
        ChangePlan plan = planner.plan(Map.of("mapUsers", ApplyTestCluster.MAP_USERS),
                new MappingChange.UnmapUser(ApplyTestCluster.ALICE));

        assertThat(plan.lockoutProblems()).isEmpty();
    }
}
