package io.eksaccess.console.accessentry;

import io.eksaccess.console.awsauth.goyaml.Echo;
import java.util.ArrayList;
import java.util.List;

/**
 * What EKS refuses in an access entry (ACCESS-ENTRIES.md, "What EKS refuses"), checked before
 * asking so the person gets the reason in the console's words and what to do instead. Empty
 * list: EKS would take it.
 */
public final class AccessEntryRules {

    static final List<String> RESERVED_USERNAME_PREFIXES = List.of("system:", "eks:", "aws:", "amazon:", "iam:");

    private AccessEntryRules() {}

    /**
     * @param clusterAccount the cluster's AWS account (node entries must be roles in it); null: not checked
     * @param existing the cluster's entries (one entry per principal)
     */
    public static List<String> problems(AccessEntry entry, String clusterAccount, List<AccessEntry> existing) {
        List<String> problems = new ArrayList<>();
        principal(entry, clusterAccount, existing, problems);
        if (!AccessEntry.TYPES.contains(entry.type())) {
            problems.add("Type " + Echo.of(entry.type()) + " does not exist; use one of " + String.join(", ", AccessEntry.TYPES) + ".");
            return problems;
        }
        if (!entry.type().equals(AccessEntry.STANDARD)) {
            if (entry.username() != null || !entry.kubernetesGroups().isEmpty()
                    || !entry.associatedAccessPolicies().isEmpty()) {
                problems.add("A " + entry.type() + " entry takes no username, groups or access policies: EKS gives"
                        + " node identities their own; use a STANDARD entry for people and tools.");
            }
            return problems;
        }
        username(entry.username(), problems);
        for (String group : entry.kubernetesGroups()) {
            if (group.startsWith("system:")) {
                problems.add("Group " + Echo.of(group) + " starts with system:, which EKS refuses in access entries"
                        + (group.equals("system:masters") ? "; associate AmazonEKSClusterAdminPolicy at cluster scope"
                                + " instead." : "; bind RBAC to a group of your own instead."));
            }
        }
        for (AssociatedAccessPolicy policy : entry.associatedAccessPolicies()) {
            if (!policy.accessScope().isCluster() && policy.accessScope().namespaces().isEmpty()) {
                problems.add("Access policy " + policy.policyName() + " has a namespace scope without namespaces;"
                        + " list them (a trailing * is a prefix match) or make it cluster-wide.");
            }
        }
        return problems;
    }

    private static void principal(AccessEntry entry, String clusterAccount, List<AccessEntry> existing,
            List<String> problems) {
        String arn = entry.principalArn();
        if (arn != null && arn.contains(":sts:") && arn.contains(":assumed-role/")) {
            problems.add("The principal is an STS assumed-role session ARN; give the IAM role ARN (arn:aws:iam::"
                    + "ACCOUNT:role/PATH/NAME), which every session of the role then matches.");
            return;
        }
        PrincipalArn principal = PrincipalArn.parse(arn);
        if (principal == null) {
            problems.add("The principal must be an IAM role or user ARN, such as arn:aws:iam::111122223333:role/Admin.");
            return;
        }
        if (principal.isRole() && principal.path().startsWith("/aws-service-role/")) {
            problems.add("The principal is a service-linked role, which EKS does not map; give a role of your own.");
        }
        if (principal.isRole() && principal.name().startsWith("AWSReservedSSO_")
                && !principal.path().startsWith("/aws-reserved/sso.amazonaws.com/")) {
            problems.add("An IAM Identity Center role's ARN carries its path (role/aws-reserved/sso.amazonaws.com/"
                    + "[REGION/]" + principal.name() + "); aws-auth strips it, access entries need it whole.");
        }
        if (!entry.type().equals(AccessEntry.STANDARD) && AccessEntry.TYPES.contains(entry.type())) {
            if (!principal.isRole()) {
                problems.add("A " + entry.type() + " entry is for a node role; give an IAM role ARN, not a user.");
            } else if (clusterAccount != null && !clusterAccount.equals(principal.account())) {
                problems.add("A " + entry.type() + " entry's role must be in the cluster's own account "
                        + clusterAccount + ", not " + principal.account() + ".");
            }
        }
        for (AccessEntry other : existing) {
            if (principal.samePrincipal(other.principal())) {
                problems.add("The principal already has an access entry (" + other.principalArn()
                        + "); EKS keeps one per principal: change that one instead.");
                break;
            }
        }
    }

    private static void username(String username, List<String> problems) {
        if (username == null) {
            return;
        }
        for (String prefix : RESERVED_USERNAME_PREFIXES) {
            if (username.startsWith(prefix)) {
                problems.add("Username " + Echo.of(username) + " starts with " + prefix + ", which EKS reserves; choose"
                        + " another (or leave it empty for EKS's default).");
            }
        }
        int session = firstSessionTemplate(username);
        if (session >= 0 && username.lastIndexOf(':', session) < 0) {
            problems.add("Username " + Echo.of(username) + " uses {{SessionName}} without a ':' before it; EKS requires one"
                    + " (for example alice:{{SessionName}}).");
        }
    }

    private static int firstSessionTemplate(String username) {
        int name = username.indexOf("{{SessionName}}");
        int raw = username.indexOf("{{SessionNameRaw}}");
        return name < 0 ? raw : raw < 0 ? name : Math.min(name, raw);
    }
}
