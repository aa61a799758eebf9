package io.eksaccess.console.accessentry;

import java.util.List;

/**
 * An EKS access entry in the EKS API's terms. {@code username} is null when not set (EKS then
 * uses a default, see {@link #effectiveUsername()}); {@code type} defaults to STANDARD.
 */
public record AccessEntry(String principalArn, String type, String username, List<String> kubernetesGroups,
        List<AssociatedAccessPolicy> associatedAccessPolicies) {

    public static final String STANDARD = "STANDARD";
    public static final List<String> TYPES = List.of(STANDARD, "EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "EC2",
            "HYBRID_LINUX", "HYPERPOD_LINUX");

    public AccessEntry {
        type = type == null || type.isEmpty() ? STANDARD : type;
        username = username == null || username.isEmpty() ? null : username;
        kubernetesGroups = kubernetesGroups == null ? List.of() : List.copyOf(kubernetesGroups);
        associatedAccessPolicies = associatedAccessPolicies == null ? List.of() : List.copyOf(associatedAccessPolicies);
    }

    public PrincipalArn principal() {
        return PrincipalArn.parse(principalArn);
    }

    /**
     * The username EKS gives when none is set: for a role
     * {@code arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE_NAME/{{SessionName}}} (its IAM path
     * dropped), for a user the user ARN; node types get the node usernames EKS assigns.
     */
    public String effectiveUsername() {
        if (username != null) {
            return username;
        }
        switch (type) {
            case "EC2_LINUX", "EC2_WINDOWS" -> {
                return "system:node:{{EC2PrivateDNSName}}";
            }
            case "FARGATE_LINUX" -> {
                return "system:node:{{SessionName}}";
            }
            default -> { }
        }
        PrincipalArn principal = principal();
        if (principal == null) {
            return principalArn;
        }
        return principal.isRole()
                ? "arn:" + principal.partition() + ":sts::" + principal.account() + ":assumed-role/" + principal.name()
                        + "/{{SessionName}}"
                : principalArn;
    }

    /** The groups EKS gives: node types get the node groups when none are set. */
    public List<String> effectiveGroups() {
        if (!kubernetesGroups.isEmpty()) {
            return kubernetesGroups;
        }
        return switch (type) {
            case "EC2_LINUX", "EC2_WINDOWS" -> List.of("system:nodes");
            case "FARGATE_LINUX" -> List.of("system:nodes", "system:node-proxier");
            default -> List.of();
        };
    }
}
