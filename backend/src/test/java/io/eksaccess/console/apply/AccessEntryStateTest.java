package io.eksaccess.console.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.cluster.cache.EksAccessEntries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The drift comparison of access entries: what counts as a change, its words, and what does not. */
class AccessEntryStateTest {

    static final String ROLE = "arn:aws:iam::111122223333:role/ops";
    static final String NODES = "arn:aws:iam::111122223333:role/nodes";
    static final String VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    static final Instant CREATED = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void orderOfGroupsNamespacesAndEntriesAndEksTimestampsOtherThanCreationAreNoChange() {
        AccessEntryState one = state(entry(ROLE, "STANDARD", "ops", List.of("b", "a"), CREATED,
                new EksAccessEntries.Association(VIEW, "namespace", List.of("prod", "dev"), CREATED, CREATED)),
                entry(NODES, "EC2_LINUX", "system:node:{{EC2PrivateDNSName}}", List.of(), CREATED));
        AccessEntryState other = state(entry(NODES, "EC2_LINUX", "system:node:{{EC2PrivateDNSName}}", List.of(), CREATED),
                entry(ROLE, "STANDARD", "ops", List.of("a", "b"), CREATED,
                        new EksAccessEntries.Association(VIEW, "namespace", List.of("dev", "prod"),
                                CREATED.plusSeconds(60), CREATED.plusSeconds(90))));
        assertThat(other.hash()).isEqualTo(one.hash());
        assertThat(AccessEntryState.diff(one, other)).isEmpty();
        assertThat(AccessEntryState.parse(one.json())).as("stored and read back").isEqualTo(one);
    }

    @Test
    void aDeleteAndCreateAgainAndARemovedEntryWithItsPoliciesAreEachNamed() {
        AccessEntryState before = state(entry(ROLE, "STANDARD", "ops", List.of("ops"), CREATED,
                new EksAccessEntries.Association(VIEW, "cluster", List.of(), CREATED, CREATED)),
                entry(NODES, "EC2_LINUX", "system:node:{{EC2PrivateDNSName}}", List.of(), CREATED));
        Instant again = CREATED.plus(Duration.ofDays(1));
        AccessEntryState after = state(entry(ROLE, "STANDARD", "ops", List.of("ops"), again,
                new EksAccessEntries.Association(VIEW, "cluster", List.of(), again, again)));

        assertThat(AccessEntryState.diff(before, after)).containsExactly(
                "- access entry " + NODES + ": type EC2_LINUX, username \"system:node:{{EC2PrivateDNSName}}\", groups []",
                "~ access entry " + ROLE + ": deleted and created again (created " + again + ", was " + CREATED + ")");
        assertThat(AccessEntryState.diff(after, state())).containsExactly(
                "- access entry " + ROLE + ": type STANDARD, username \"ops\", groups [ops]",
                "- policy AmazonEKSViewPolicy on " + ROLE + ": cluster-wide");
    }

    @Test
    void aLongDiffIsCappedForAuditAndNotificationWithTheCountLeftOut() {
        List<String> lines = java.util.stream.IntStream.range(0, 150).mapToObj(i -> "+ line " + i).toList();
        String capped = AccessEntryDriftDetector.capped(lines);
        assertThat(capped.split("\n")).hasSize(AccessEntryDriftDetector.MAX_LINES_OUT + 1);
        assertThat(capped).endsWith("… and 50 more changes (see the cluster page)");
    }

    private static EksAccessEntries.Entry entry(String arn, String type, String username, List<String> groups,
            Instant created, EksAccessEntries.Association... policies) {
        return new EksAccessEntries.Entry(arn, type, username, groups, created, created.plusSeconds(5), List.of(policies));
    }

    private static AccessEntryState state(EksAccessEntries.Entry... entries) {
        return AccessEntryState.of(new EksAccessEntries(List.of(entries), List.of(), Instant.now(), 1, Duration.ZERO));
    }
}
