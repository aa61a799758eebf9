package io.eksaccess.console.report.findings;

import io.eksaccess.console.awsauth.Severity;
import java.util.Arrays;
import java.util.Optional;

/**
 * The catalogue of FINDINGS.md: each rule's stable ID, severity, a short title and the section of
 * the EKS IAM guide that says why it matters. IDs are never reused.
 */
public enum FindingRule {
    AWSAUTH_001("AWSAUTH-001", Severity.CRITICAL, "aws-auth cannot be read as intended",
            "Use tools to make changes to the aws-auth ConfigMap"),
    AWSAUTH_002("AWSAUTH-002", Severity.HIGH, "Mapping to system:masters",
            "Employ least privileged access / Create the cluster with a dedicated IAM role"),
    AWSAUTH_003("AWSAUTH-003", Severity.MEDIUM, "IAM user mapped directly",
            "Use IAM Roles when multiple users need identical access to the cluster"),
    AWSAUTH_004("AWSAUTH-004", Severity.MEDIUM, "Role username without {{SessionName}}",
            "Use IAM Roles when multiple users need identical access to the cluster"),
    AWSAUTH_005("AWSAUTH-005", Severity.HIGH, "ARN that never matches a caller",
            "Use tools to make changes to the aws-auth ConfigMap"),
    AWSAUTH_006("AWSAUTH-006", Severity.HIGH, "ARN mapped more than once",
            "Use tools to make changes to the aws-auth ConfigMap"),
    AWSAUTH_007("AWSAUTH-007", Severity.HIGH, "Dangerous username template",
            "aws-iam-authenticator README (username templates)"),
    AWSAUTH_008("AWSAUTH-008", Severity.MEDIUM, "Mapped IAM principal does not exist",
            "Regularly audit access to the cluster"),
    AWSAUTH_009("AWSAUTH-009", Severity.HIGH, "Whole AWS account mapped",
            "Employ least privileged access"),
    RBAC_001("RBAC-001", Severity.HIGH, "Role with * verbs or resources",
            "Employ least privileged access when creating RoleBindings and ClusterRoleBindings"),
    RBAC_002("RBAC-002", Severity.CRITICAL, "Anonymous access bound",
            "Review and revoke unnecessary anonymous access"),
    RBAC_003("RBAC-003", Severity.HIGH, "Subject can gain more access than it was given",
            "Employ least privileged access when creating RoleBindings and ClusterRoleBindings"),
    RBAC_004("RBAC-004", Severity.MEDIUM, "Binding to a missing role",
            "Regularly audit access to the cluster"),
    SA_001("SA-001", Severity.MEDIUM, "Default service account in use or auto-mounting its token",
            "Disable auto-mounting of service account tokens / Use dedicated service accounts for each application"),
    SA_002("SA-002", Severity.HIGH, "Long-lived service account token Secret",
            "Don't use a service account token for authentication"),
    SA_003("SA-003", Severity.MEDIUM, "Pod with an IRSA role runs as root",
            "Run the application as a non-root user"),
    IRSA_001("IRSA-001", Severity.HIGH, "IRSA trust policy not scoped to one service account",
            "Scope the IAM Role trust policy for IRSA to the service account name"),
    EKS_001("EKS-001", Severity.MEDIUM, "Public endpoint open to 0.0.0.0/0",
            "Make the EKS Cluster Endpoint private"),
    EKS_002("EKS-002", Severity.INFO, "aws-auth (CONFIG_MAP) authentication only",
            "Controlling Access to EKS Clusters (access entries)"),
    EKS_003("EKS-003", Severity.MEDIUM, "Cluster creator still holds admin access",
            "Create the cluster with a dedicated IAM role"),
    EKS_004("EKS-004", Severity.HIGH, "Cluster admin access policy outside the break-glass list",
            "Employ least privileged access / Controlling Access to EKS Clusters (access entries)"),
    EKS_005("EKS-005", Severity.MEDIUM, "aws-auth mapping overridden by an access entry",
            "Controlling Access to EKS Clusters (access entries)"),
    EKS_006("EKS-006", Severity.MEDIUM, "Cluster creator's bootstrap access entry still present",
            "Create the cluster with a dedicated IAM role"),
    EKS_007("EKS-007", Severity.HIGH, "Access entry older than its IAM principal (principal re-created)",
            "Regularly audit access to the cluster");

    private final String id;
    private final Severity severity;
    private final String title;
    private final String guideSection;

    FindingRule(String id, Severity severity, String title, String guideSection) {
        this.id = id;
        this.severity = severity;
        this.title = title;
        this.guideSection = guideSection;
    }

    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    public String title() {
        return title;
    }

    /** The section of EKS-IAM-GUIDE.md that explains why it matters. */
    public String guideSection() {
        return guideSection;
    }

    public static Optional<FindingRule> byId(String id) {
        return Arrays.stream(values()).filter(rule -> rule.id.equals(id)).findFirst();
    }

    /** A finding of this rule about {@code resource}. */
    SecurityFinding about(String resource, String message) {
        return new SecurityFinding(id, severity, resource, message, guideSection);
    }
}
