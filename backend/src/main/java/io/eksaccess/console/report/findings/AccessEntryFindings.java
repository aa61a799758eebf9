package io.eksaccess.console.report.findings;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.accessentry.AuthenticationMode;
import io.eksaccess.console.accessentry.EntryPrincipalDates;
import io.eksaccess.console.accessentry.PrincipalArn;
import io.eksaccess.console.accessentry.SyncedAccessEntries;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.cluster.cache.EksAccessEntries;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * EKS-004, EKS-005 and EKS-006 from the access entries the last sync from EKS left in the cache
 * (API_AND_CONFIG_MAP and API clusters; in CONFIG_MAP mode EKS ignores entries and there are none).
 */
final class AccessEntryFindings {

    static final String CLUSTER_ADMIN = "AmazonEKSClusterAdminPolicy";
    static final String ADMIN = "AmazonEKSAdminPolicy";

    private AccessEntryFindings() {}

    static void check(SyncedAccessEntries synced, AwsAuthConfig awsAuth, Boolean bootstrapCreatorAdmin,
            List<String> breakGlass, List<SecurityFinding> into) {
        AuthenticationMode mode = synced.entries().mode();
        if (!mode.readsAccessEntries()) {
            return;
        }
        for (AccessEntry entry : synced.entries().entries()) {
            Optional<AssociatedAccessPolicy> admin = entry.associatedAccessPolicies().stream()
                    .filter(AccessEntryFindings::clusterAdmin).findFirst();
            if (admin.isPresent() && !onList(entry.principalArn(), breakGlass)) {
                into.add(FindingRule.EKS_004.about("AccessEntry/" + entry.principalArn(), entry.principalArn()
                        + " has access policy " + admin.get().policyName() + " at cluster scope: it may do anything"
                        + (admin.get().policyName().equals(CLUSTER_ADMIN) ? " in the cluster" : " to the cluster's"
                                + " namespaced resources, RBAC included")
                        + ", and neither RBAC nor aws-auth shows it. Associate a narrower policy or scope, or, if it is an"
                        + " emergency role, add it to console.findings.break-glass-principals."));
            }
        }
        for (SyncedAccessEntries.Override override : SyncedAccessEntries.overridden(mode, synced.entries().entries(),
                awsAuth)) {
            into.add(FindingRule.EKS_005.about(override.section() + "[" + override.index() + "]", override.section() + "["
                    + override.index() + "] maps " + override.mappedArn() + ", but that principal has an access entry ("
                    + override.entryPrincipalArn() + "), which wins in API_AND_CONFIG_MAP mode: the mapping is ignored"
                    + " and misleads whoever reads aws-auth, and it comes back to life if the entry is deleted. Remove"
                    + " the mapping from aws-auth."));
        }
        if (Boolean.TRUE.equals(bootstrapCreatorAdmin) && synced.raw() != null) {
            bootstrapEntry(synced.raw()).ifPresent(entry -> into.add(FindingRule.EKS_006.about(
                    "AccessEntry/" + entry.principalArn(), "The cluster was created with"
                            + " bootstrapClusterCreatorAdminPermissions, and " + entry.principalArn() + " is most likely the"
                            + " creator's bootstrap entry: EKS does not report who created a cluster, so the console takes"
                            + " the earliest-created STANDARD entry with " + CLUSTER_ADMIN + " at cluster scope (created "
                            + entry.createdAt() + "). Once other admins have access, delete it (aws eks"
                            + " delete-access-entry), or keep the creator a dedicated role nobody uses day to day.")));
        }
    }

    /**
     * EKS-007: an entry created before IAM's current principal of that ARN. EKS bound the entry to
     * the principal ID of the one that existed then; the re-created principal has a new ID, so its
     * callers are not mapped by the entry (nor, in API mode, at all) although the entry looks fine.
     */
    static void recreated(EksAccessEntries sync, EntryPrincipalDates.Checked dates, List<SecurityFinding> into) {
        for (EksAccessEntries.Entry entry : sync.entries()) {
            java.time.Instant principalCreated = dates.created().get(entry.principalArn());
            if (entry.createdAt() != null && principalCreated != null && principalCreated.isAfter(entry.createdAt())) {
                into.add(FindingRule.EKS_007.about("AccessEntry/" + entry.principalArn(), "The access entry of "
                        + entry.principalArn() + " was created " + entry.createdAt() + ", but IAM's principal of that ARN"
                        + " was created later (" + principalCreated + "): it was deleted and re-created, and EKS keeps"
                        + " the old principal's ID, so the entry silently maps nobody and its callers get none of its"
                        + " groups or access policies. Delete the access entry and create it again for the current"
                        + " principal (aws eks delete-access-entry, then create-access-entry and associate-access-policy)."));
            }
        }
    }

    /** AmazonEKSClusterAdminPolicy (whatever its scope: it is cluster-wide by nature), or AmazonEKSAdminPolicy cluster-wide. */
    static boolean clusterAdmin(AssociatedAccessPolicy policy) {
        return policy.policyName().equals(CLUSTER_ADMIN)
                || (policy.policyName().equals(ADMIN) && policy.accessScope().isCluster());
    }

    /** The earliest-created STANDARD entry with the cluster admin policy at cluster scope, as EKS's bootstrap makes it. */
    static Optional<EksAccessEntries.Entry> bootstrapEntry(EksAccessEntries raw) {
        return raw.entries().stream()
                .filter(entry -> AccessEntry.STANDARD.equals(entry.type()) && entry.createdAt() != null)
                .filter(entry -> entry.policies().stream().anyMatch(p -> p.policyArn().endsWith("/" + CLUSTER_ADMIN)
                        && "cluster".equals(p.scopeType())))
                .min(Comparator.comparing(EksAccessEntries.Entry::createdAt));
    }

    private static boolean onList(String arn, List<String> breakGlass) {
        PrincipalArn principal = PrincipalArn.parse(arn);
        for (String listed : breakGlass) {
            PrincipalArn other = PrincipalArn.parse(listed.trim());
            if (listed.trim().equals(arn) || (principal != null && other != null && principal.samePrincipal(other))) {
                return true;
            }
        }
        return false;
    }
}
