package io.eksaccess.console.report.findings;

import io.eksaccess.console.awsauth.Severity;
import java.util.Comparator;

/**
 * One finding of the catalogue about one thing.
 *
 * @param id the rule's stable ID ("RBAC-001")
 * @param resource what it is about: an object ({@code ClusterRole/foo}, {@code RoleBinding/ns/bar},
 *     {@code ServiceAccount/ns/sa}, {@code Cluster/prod}) or an aws-auth entry ({@code mapRoles[2]});
 *     with the ID it identifies the finding, e.g. for acknowledgements
 * @param message what is wrong and how to fix it
 * @param guideSection the EKS IAM guide section that says why it matters
 */
public record SecurityFinding(String id, Severity severity, String resource, String message, String guideSection) {

    /** Most severe first, then by ID and resource: the order every view lists them in. */
    public static final Comparator<SecurityFinding> ORDER = Comparator.comparing(SecurityFinding::severity)
            .thenComparing(SecurityFinding::id).thenComparing(SecurityFinding::resource);

    public String title() {
        return FindingRule.byId(id).map(FindingRule::title).orElse(id);
    }
}
