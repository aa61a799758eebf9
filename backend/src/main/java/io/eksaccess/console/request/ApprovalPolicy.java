package io.eksaccess.console.request;

import io.eksaccess.console.identity.ConsoleRole;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How requests for one cluster are approved.
 *
 * @param approverRoles console roles whose holders may approve
 * @param approverGroups OIDC groups whose members may approve, besides those roles
 * @param maxGrantHours the longest grant a request may ask for
 * @param allowMasters whether a request may ask for {@code system:masters} at all
 * @param requestTtlHours how long a request waits for reviews before it expires
 * @param autoApply apply as soon as the threshold is reached, or wait for an approver's click
 */
public record ApprovalPolicy(
        String cluster, int approvalsNeeded, Set<ConsoleRole> approverRoles, List<String> approverGroups,
        int maxGrantHours, boolean allowMasters, int requestTtlHours, boolean autoApply) {

    public static final int MAX_HOURS = 90 * 24;

    public ApprovalPolicy {
        approverRoles = approverRoles.isEmpty() ? EnumSet.noneOf(ConsoleRole.class) : EnumSet.copyOf(approverRoles);
        approverGroups = List.copyOf(approverGroups);
    }

    public static ApprovalPolicy defaults(String cluster) {
        return new ApprovalPolicy(cluster, 1, EnumSet.of(ConsoleRole.APPROVER), List.of(), MAX_HOURS, false, 72, true);
    }

    public boolean mayApprove(Person person) {
        return person.roles().stream().anyMatch(approverRoles::contains)
                || person.groups().stream().anyMatch(approverGroups::contains);
    }

    /** Who may approve, in words. */
    public String approversInWords() {
        StringBuilder words = new StringBuilder();
        if (!approverRoles.isEmpty()) {
            words.append("console role ").append(String.join(" or ", approverRoles.stream().map(Enum::name).toList()));
        }
        if (!approverGroups.isEmpty()) {
            words.append(words.isEmpty() ? "" : ", or ").append("members of ").append(String.join(", ", approverGroups));
        }
        return words.isEmpty() ? "nobody" : words.toString();
    }
}
