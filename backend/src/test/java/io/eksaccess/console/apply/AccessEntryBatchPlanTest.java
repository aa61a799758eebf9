package io.eksaccess.console.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AccessScope;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.accessentry.AuthenticationMode;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.system.Sentence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * ACCESS_ENTRY_BATCH in the stored contract and in the planner: items planned in order on the state
 * the ones before leave, refusals naming their item, the quota over the batch, the lockout check on
 * the end state, and the way back as the inverse of each item in reverse order.
 */
class AccessEntryBatchPlanTest {

    static final String ACCOUNT = "111122223333";
    static final String ADMIN = "arn:aws:iam::" + ACCOUNT + ":role/Admin";
    static final String DEV = "arn:aws:iam::" + ACCOUNT + ":role/team/Dev";
    static final String OPS = "arn:aws:iam::" + ACCOUNT + ":role/Ops";
    static final String CLUSTER_ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
    static final String VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    static final AccessEntry ADMIN_ENTRY = new AccessEntry(ADMIN, "STANDARD", null, List.of(),
            List.of(new AssociatedAccessPolicy(CLUSTER_ADMIN, AccessScope.cluster())));
    static final AccessEntryPlanner PLANNER = new AccessEntryPlanner(ACCOUNT, null, Set.of("system:masters"), null);

    static AccessEntryChange.Batch batch(AccessEntryChange... items) {
        return new AccessEntryChange.Batch(List.of(items));
    }

    @Test
    void aBatchRoundTripsInTheOneStoredContractAndRefusesWhatItMayNotHold() {
        AccessEntryChange.Batch batch = batch(
                new AccessEntryChange.CreateAccessEntry(DEV, "STANDARD", "dev:{{SessionName}}", List.of("devs")),
                new AccessEntryChange.AssociateAccessPolicy(DEV, VIEW, AccessScope.namespaces("dev", "team-*")),
                new AccessEntryChange.CreateAccessEntry(OPS, "EC2_LINUX", null, List.of()),
                new AccessEntryChange.DisassociateAccessPolicy(ADMIN, VIEW),
                new AccessEntryChange.UpdateAccessEntry(DEV, null, List.of("a")),
                new AccessEntryChange.DeleteAccessEntry(OPS));
        String json = MappingChangeJson.write(batch);
        assertThat(json).startsWith("{\"kind\":\"ACCESS_ENTRY_BATCH\",\"changes\":[{\"kind\":\"CREATE_ACCESS_ENTRY\","
                + "\"principalArn\":\"" + DEV + "\"");
        assertThat(MappingChangeJson.read(json)).isEqualTo(batch);
        assertThat(MappingChangeJson.kindOf(batch)).isEqualTo("ACCESS_ENTRY_BATCH");

        assertThatThrownBy(() -> MappingChangeJson.read("{\"kind\":\"ACCESS_ENTRY_BATCH\"}"))
                .hasMessageContaining("'changes' is missing");
        assertThatThrownBy(() -> MappingChangeJson.read("{\"kind\":\"ACCESS_ENTRY_BATCH\",\"changes\":[{\"kind\":"
                + "\"SET_AUTHENTICATION_MODE\",\"authenticationMode\":\"API\"}]}"))
                .hasMessageContaining("a batch holds no SET_AUTHENTICATION_MODE");
        assertThatThrownBy(() -> MappingChangeJson.read("{\"kind\":\"ACCESS_ENTRY_BATCH\",\"changes\":[{\"kind\":"
                + "\"ACCESS_ENTRY_BATCH\",\"changes\":[]}]}")).hasMessageContaining("a batch holds no ACCESS_ENTRY_BATCH");
    }

    @Test
    void itemsArePlannedOnWhatTheOnesBeforeLeaveAndTheWayBackIsEachInverseInReverseOrder() {
        AccessEntry viewer = new AccessEntry(OPS, "STANDARD", "ops", List.of(),
                List.of(new AssociatedAccessPolicy(VIEW, AccessScope.cluster())));
        AccessEntryChange.Batch batch = batch(
                new AccessEntryChange.CreateAccessEntry(DEV, "STANDARD", "dev", List.of("devs")),
                new AccessEntryChange.AssociateAccessPolicy(DEV, VIEW, AccessScope.namespaces("dev")),
                // Already so before the batch: nothing to write, and nothing of it in the way back.
                new AccessEntryChange.AssociateAccessPolicy(OPS, VIEW, AccessScope.cluster()));
        AccessEntryPlanner.BatchPlan planned = PLANNER.planBatch(AuthenticationMode.API, List.of(ADMIN_ENTRY, viewer), batch);
        AccessEntryPlan plan = planned.whole();
        assertThat(plan.refused(false)).as(plan.reasons().toString()).isFalse();
        assertThat(plan.noChange()).isFalse();
        assertThat(planned.items()).extracting(AccessEntryPlan::noChange).containsExactly(false, false, true);
        // Each inverse names what its item gave, so taking back leaves what others added since.
        assertThat(plan.inverse()).isEqualTo(batch(
                new AccessEntryChange.DisassociateAccessPolicy(DEV, VIEW, AccessScope.namespaces("dev")),
                new AccessEntryChange.DeleteAccessEntry(DEV, new AccessEntry(DEV, "STANDARD", "dev", List.of("devs"),
                        List.of()))));
        assertThat(AccessEntryPlanner.find(plan.entriesAfter(), DEV).associatedAccessPolicies())
                .containsExactly(new AssociatedAccessPolicy(VIEW, AccessScope.namespaces("dev")));
        assertThat(plan.diff()).singleElement().asString().startsWith("+ " + DEV).contains("AmazonEKSViewPolicy@namespaces dev");

        AccessEntryPlan again = PLANNER.plan(AuthenticationMode.API, plan.entriesAfter(), batch);
        assertThat(again.noChange()).as("applied: every item found in place").isTrue();
        assertThat(again.inverse()).isNull();
    }

    @Test
    void refusalsNameTheirItemAndConflictsWithinTheBatchAreCaught() {
        AccessEntryChange.Batch batch = batch(
                new AccessEntryChange.CreateAccessEntry(DEV, "STANDARD", "dev", List.of()),
                new AccessEntryChange.AssociateAccessPolicy(OPS, VIEW, AccessScope.cluster()),
                new AccessEntryChange.CreateAccessEntry("arn:aws:iam::" + ACCOUNT + ":role/other/path/dev", "STANDARD",
                        "dev", List.of()),
                new AccessEntryChange.AssociateAccessPolicy(DEV, VIEW, AccessScope.cluster()));
        List<String> errors = texts(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY), batch).errors());
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("change 2 of 4 (ASSOCIATE_ACCESS_POLICY " + OPS + ")")
                .contains("no access entry").contains("create the entry first"));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("change 3 of 4 (CREATE_ACCESS_ENTRY")
                .contains("change 1 of this batch already creates the entry"));
        assertThat(errors).as("the ASSOCIATE after its CREATE is fine").noneMatch(e -> e.startsWith("change 4 of 4"));
        assertThat(errors).as("the first CREATE is fine").noneMatch(e -> e.startsWith("change 1 of 4"));

        assertThat(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY), batch()).errors())
                .singleElement().asString().contains("at least one");
        List<AccessEntryChange> many = new ArrayList<>();
        for (int i = 0; i <= AccessEntryChange.Batch.MAX_ITEMS; i++) {
            many.add(new AccessEntryChange.CreateAccessEntry("arn:aws:iam::" + ACCOUNT + ":role/r" + i, "STANDARD", null,
                    List.of()));
        }
        assertThat(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY), new AccessEntryChange.Batch(many)).errors())
                .singleElement().asString().contains("501 changes").contains("at most 500");
        assertThat(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY),
                batch(new AccessEntryChange.SetAuthenticationMode(AuthenticationMode.API))).errors())
                .singleElement().asString().startsWith("change 1 of 1 (SET_AUTHENTICATION_MODE)");
    }

    @Test
    void theQuotaCountsTheWholeBatch() {
        List<AccessEntry> nearlyFull = new ArrayList<>(List.of(ADMIN_ENTRY));
        for (int i = 2; i < AccessEntryPlanner.QUOTA; i++) {
            nearlyFull.add(new AccessEntry("arn:aws:iam::" + ACCOUNT + ":role/r" + i, "STANDARD", null, List.of(), List.of()));
        }
        // 2,999 entries: one more fits, the second of the batch does not.
        List<String> errors = texts(PLANNER.plan(AuthenticationMode.API, nearlyFull, batch(
                new AccessEntryChange.CreateAccessEntry(DEV, "STANDARD", null, List.of()),
                new AccessEntryChange.CreateAccessEntry(OPS, "STANDARD", null, List.of()))).errors());
        assertThat(errors).singleElement().asString().startsWith("change 2 of 2").contains("quota");
    }

    @Test
    void theLockoutCheckIsMadeOnTheBatchsEndState() {
        // The only admin is mapped to system:masters in aws-auth; in API_AND_CONFIG_MAP its new entry wins,
        // so its CREATE alone would leave no admin; followed by its ClusterAdmin association it does not.
        var awsAuth = AwsAuthParser.parse(Map.of("mapRoles", "- rolearn: " + ADMIN + "\n  username: admin\n  groups:\n"
                + "    - system:masters\n"));
        AccessEntryPlanner planner = new AccessEntryPlanner(ACCOUNT, awsAuth, Set.of("system:masters"), null);
        var create = new AccessEntryChange.CreateAccessEntry(ADMIN, "STANDARD", null, List.of());
        assertThat(planner.plan(AuthenticationMode.API_AND_CONFIG_MAP, List.of(), create).lockout()).hasSize(1);
        AccessEntryPlan pair = planner.plan(AuthenticationMode.API_AND_CONFIG_MAP, List.of(), batch(create,
                new AccessEntryChange.AssociateAccessPolicy(ADMIN, CLUSTER_ADMIN, AccessScope.cluster())));
        assertThat(pair.refused(false)).as(pair.reasons().toString()).isFalse();

        AccessEntryPlan lockout = planner.plan(AuthenticationMode.API_AND_CONFIG_MAP, List.of(), batch(create,
                new AccessEntryChange.AssociateAccessPolicy(ADMIN, VIEW, AccessScope.cluster())));
        assertThat(lockout.lockout()).singleElement().asString().contains("no principal with cluster-admin");
        assertThat(lockout.refused(true)).as("break-glass with the override confirmed").isFalse();
    }

    static List<String> texts(List<Sentence> sentences) {
        return sentences.stream().map(Sentence::text).toList();
    }
}
