package io.eksaccess.console.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.report.ReportContent.AccessChange;
import io.eksaccess.console.report.ReportContent.ClusterSection;
import io.eksaccess.console.report.ReportContent.Permission;
import io.eksaccess.console.report.ReportContent.Principal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Access gained and lost between two reports, and CSV cells a spreadsheet must not run. */
class ReportDiffTest {

    static final Permission READ_PODS = new Permission("team-a", List.of("get", "list"), List.of(""), List.of("pods"),
            List.of(), List.of(), "RoleBinding team-a/read -> Role reader");

    @Test
    void aGrantMovedToAnotherBindingIsNoChangeOfAccess() {
        Permission sameAccessOtherBinding = new Permission("team-a", List.of("get", "list"), List.of(""),
                List.of("pods"), List.of(), List.of(), "RoleBinding team-a/other -> ClusterRole view");
        ReportDiff.Result diff = ReportDiff.between(
                List.of(cluster(principal("arn:a", "dev", READ_PODS))),
                List.of(cluster(principal("arn:a", "dev", sameAccessOtherBinding))));
        assertThat(diff.gained()).isEmpty();
        assertThat(diff.lost()).isEmpty();
    }

    @Test
    void newAndRemovedPrincipalsAndChangedIdentitiesAreListed() {
        ReportDiff.Result diff = ReportDiff.between(
                List.of(cluster(principal("arn:a", "dev", READ_PODS), principal("arn:gone", "old"))),
                List.of(cluster(principal("arn:a", "developer", READ_PODS), principal("arn:new", "new"))));
        assertThat(diff.gained()).extracting(AccessChange::principal, AccessChange::what).containsExactly(
                org.assertj.core.groups.Tuple.tuple("arn:a", "now developer [g]"),
                org.assertj.core.groups.Tuple.tuple("arn:new", "mapped as new [g]"));
        assertThat(diff.lost()).extracting(AccessChange::principal, AccessChange::what).containsExactly(
                org.assertj.core.groups.Tuple.tuple("arn:a", "no longer dev [g]"),
                org.assertj.core.groups.Tuple.tuple("arn:gone", "no longer mapped (was old [g])"));
    }

    @Test
    void aPermissionThatGoesIsLost() {
        ReportDiff.Result diff = ReportDiff.between(
                List.of(cluster(principal("arn:a", "dev", READ_PODS))),
                List.of(cluster(principal("arn:a", "dev"))));
        assertThat(diff.lost()).extracting(AccessChange::what).containsExactly("get,list pods in team-a");
        assertThat(diff.gained()).isEmpty();
    }

    @Test
    void csvCellsAreQuotedAndFormulasDefused() {
        assertThat(ReportCsv.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(ReportCsv.quote("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(ReportCsv.quote("@sum")).isEqualTo("\"'@sum\"");
        assertThat(ReportCsv.quote(null)).isEqualTo("\"\"");
    }

    private static ClusterSection cluster(Principal... principals) {
        return new ClusterSection("prod", "LIVE", null, null, List.of(principals), List.of(), false, List.of());
    }

    private static Principal principal(String arn, String username, Permission... permissions) {
        return new Principal(arn, "mapRoles[0]", username, List.of("g"), List.of(permissions));
    }
}
