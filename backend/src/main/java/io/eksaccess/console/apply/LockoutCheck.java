package io.eksaccess.console.apply;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.WhoIs;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * DESIGN invariant 5: a plan may not take away the console's own mapping or remove the last mapping
 * into a cluster-admin group (new authenticator errors are refused by the planner itself).
 *
 * @param consoleArn the IAM ARN the console itself signs in to this cluster with (null when it does
 *     not go through aws-auth, e.g. a kubeconfig context)
 * @param adminGroups groups that make their members cluster admins ({@code system:masters}, and
 *     groups bound to {@code cluster-admin} by a ClusterRoleBinding)
 * @param entryAdmins principals that are cluster admins through access entries EKS reads for this
 *     cluster (API_AND_CONFIG_MAP): while there is one, aws-auth may lose its last admin mapping
 */
public record LockoutCheck(String consoleArn, Set<String> adminGroups, long entryAdmins) {

    public static final String MASTERS = "system:masters";

    public LockoutCheck {
        adminGroups = Set.copyOf(adminGroups);
    }

    public LockoutCheck(String consoleArn, Set<String> adminGroups) {
        this(consoleArn, adminGroups, 0);
    }

    public List<String> problems(AwsAuthConfig before, AwsAuthConfig after) {
        List<String> problems = new ArrayList<>();
        if (consoleArn != null && !consoleArn.isBlank() && consoleArnIsValid()) {
            WhoIs.Answer was = WhoIs.resolve(before, consoleArn, false);
            WhoIs.Answer now = WhoIs.resolve(after, consoleArn, false);
            if (was.mapped() && (!now.mapped() || !now.groups().equals(was.groups()))) {
                problems.add("the change would alter the console's own access (" + consoleArn
                        + "); the console could no longer manage this cluster");
            }
        }
        if (adminMappings(before) > 0 && adminMappings(after) == 0 && entryAdmins == 0) {
            problems.add("the change would remove the last mapping into a cluster-admin group ("
                    + String.join(", ", adminGroups.stream().sorted().toList())
                    + "); add another admin mapping first");
        }
        return problems;
    }

    /** An ARN the authenticator itself would refuse cannot be mapped, so there is nothing to protect. */
    private boolean consoleArnIsValid() {
        try {
            WhoIs.resolve(new AwsAuthConfig(List.of(), List.of(), List.of(), List.of(), java.util.Map.of()), consoleArn, false);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private long adminMappings(AwsAuthConfig config) {
        return config.roles().stream().filter(r -> r.groups().stream().anyMatch(adminGroups::contains)).count()
                + config.users().stream().filter(u -> u.groups().stream().anyMatch(adminGroups::contains)).count();
    }
}
