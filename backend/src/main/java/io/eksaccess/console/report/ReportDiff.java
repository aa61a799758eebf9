package io.eksaccess.console.report;

import io.eksaccess.console.report.ReportContent.AccessChange;
import io.eksaccess.console.report.ReportContent.ClusterSection;
import io.eksaccess.console.report.ReportContent.Permission;
import io.eksaccess.console.report.ReportContent.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Access gained and lost between two reports of the same scope: principals that appeared or went,
 * a principal's username or groups, and each permission (compared without the binding it comes
 * through, so moving a grant to another binding is not a change of access).
 */
final class ReportDiff {

    record Result(List<AccessChange> gained, List<AccessChange> lost) {}

    private ReportDiff() {}

    static Result between(List<ClusterSection> before, List<ClusterSection> after) {
        List<AccessChange> gained = new ArrayList<>();
        List<AccessChange> lost = new ArrayList<>();
        Map<String, ClusterSection> old = byName(before);
        Map<String, ClusterSection> now = byName(after);
        for (ClusterSection cluster : after) {
            ClusterSection previous = old.get(cluster.name());
            if (previous == null) {
                gained.add(new AccessChange(cluster.name(), "", "cluster is new in this report"));
            }
            compare(cluster.name(), previous == null ? List.of() : previous.principals(), cluster.principals(), gained,
                    lost);
        }
        for (ClusterSection cluster : before) {
            if (!now.containsKey(cluster.name())) {
                lost.add(new AccessChange(cluster.name(), "", "cluster is no longer in this report"));
            }
        }
        return new Result(gained, lost);
    }

    private static void compare(String cluster, List<Principal> before, List<Principal> after,
            List<AccessChange> gained, List<AccessChange> lost) {
        Map<String, Principal> old = before.stream()
                .collect(Collectors.toMap(Principal::arn, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        Map<String, Principal> now = after.stream()
                .collect(Collectors.toMap(Principal::arn, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        for (Principal principal : after) {
            Principal previous = old.get(principal.arn());
            if (previous == null) {
                gained.add(new AccessChange(cluster, principal.arn(), "mapped as " + identity(principal)));
            } else if (!identity(previous).equals(identity(principal))) {
                gained.add(new AccessChange(cluster, principal.arn(), "now " + identity(principal)));
                lost.add(new AccessChange(cluster, principal.arn(), "no longer " + identity(previous)));
            }
            Set<String> had = summaries(previous);
            for (String permission : summaries(principal)) {
                if (!had.contains(permission)) {
                    gained.add(new AccessChange(cluster, principal.arn(), permission));
                }
            }
        }
        for (Principal principal : before) {
            Principal current = now.get(principal.arn());
            if (current == null) {
                lost.add(new AccessChange(cluster, principal.arn(), "no longer mapped (was " + identity(principal) + ")"));
            }
            Set<String> has = summaries(current);
            for (String permission : summaries(principal)) {
                if (!has.contains(permission)) {
                    lost.add(new AccessChange(cluster, principal.arn(), permission));
                }
            }
        }
    }

    private static String identity(Principal principal) {
        return principal.username() + " " + principal.groups();
    }

    private static Set<String> summaries(Principal principal) {
        return principal == null ? Set.of()
                : principal.permissions().stream().map(Permission::summary).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static Map<String, ClusterSection> byName(List<ClusterSection> clusters) {
        return clusters.stream().collect(Collectors.toMap(ClusterSection::name, Function.identity(), (a, b) -> a));
    }
}
