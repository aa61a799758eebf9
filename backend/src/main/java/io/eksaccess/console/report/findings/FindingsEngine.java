package io.eksaccess.console.report.findings;

import io.eksaccess.console.accessentry.EntryPrincipalDates;
import io.eksaccess.console.accessentry.SyncedAccessEntries;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.AwsAuthUnreadableException;
import io.eksaccess.console.awsauth.AwsAuthValidator;
import io.eksaccess.console.awsauth.Finding;
import io.eksaccess.console.awsauth.IamPrincipalLookup;
import io.eksaccess.console.rbac.RbacIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The findings of FINDINGS.md over one cluster's data: pure logic, the same for the live cluster
 * page, the reports and the offline CLI. AWSAUTH-* come from {@link AwsAuthValidator} unchanged;
 * IAM is asked only through the two lookups given (none offline).
 */
public final class FindingsEngine {

    /**
     * The findings, most severe first, and what could not be checked (so an absent finding is never
     * mistaken for a clean bill where data was missing).
     */
    public record Evaluation(List<SecurityFinding> findings, List<String> notChecked) {}

    private final IamPrincipalLookup iam;
    private final TrustPolicies trustPolicies;
    private final List<String> breakGlass;
    private final EntryPrincipalDates principalDates;

    public FindingsEngine(IamPrincipalLookup iam, TrustPolicies trustPolicies) {
        this(iam, trustPolicies, List.of());
    }

    /** @param breakGlass IAM principal ARNs that may hold cluster admin access policies (EKS-004) */
    public FindingsEngine(IamPrincipalLookup iam, TrustPolicies trustPolicies, List<String> breakGlass) {
        this(iam, trustPolicies, breakGlass, EntryPrincipalDates.NONE);
    }

    /** @param principalDates IAM creation dates of the synced entries' principals (EKS-007) */
    public FindingsEngine(IamPrincipalLookup iam, TrustPolicies trustPolicies, List<String> breakGlass,
            EntryPrincipalDates principalDates) {
        this.iam = iam;
        this.trustPolicies = trustPolicies;
        this.breakGlass = List.copyOf(breakGlass);
        this.principalDates = principalDates;
    }

    /** Without AWS: AWSAUTH-008 and IRSA-001 report nothing. */
    public static FindingsEngine offline() {
        return new FindingsEngine(IamPrincipalLookup.NONE, TrustPolicies.NONE);
    }

    public Evaluation evaluate(FindingsInput input) {
        List<SecurityFinding> findings = new ArrayList<>();
        List<String> notChecked = new ArrayList<>();
        AwsAuthConfig awsAuthConfig = null;
        if (input.awsAuth().isPresent()) {
            try {
                awsAuthConfig = AwsAuthParser.read(input.awsAuth().get());
                awsAuth(awsAuthConfig, findings);
            } catch (AwsAuthUnreadableException e) {
                notChecked.add("AWSAUTH-*: aws-auth could not be read: " + e.getMessage());
            }
        } else {
            notChecked.add("AWSAUTH-*: there is no aws-auth ConfigMap.");
        }
        RbacRules.check(input, RbacIndex.build(input.roles(), input.clusterRoles(), input.roleBindings(),
                input.clusterRoleBindings()), findings);
        WorkloadRules.check(input, findings);
        if (input.secrets().isEmpty()) {
            notChecked.add("SA-002: no Secret metadata (the console does not read Secrets from clusters, since they"
                    + " hold credentials); run the findings command over a dump that includes them.");
        }
        boolean irsa = input.serviceAccounts().stream().anyMatch(sa -> WorkloadRules.irsaRoleOf(sa) != null);
        if (irsa && !trustPolicies.available()) {
            notChecked.add("IRSA-001: no IAM access to read the trust policies of IRSA roles.");
        } else if (irsa) {
            IrsaRule.Outcome outcome = IrsaRule.check(input, trustPolicies, findings);
            if (!outcome.unknownRoles().isEmpty()) {
                notChecked.add("IRSA-001: IAM did not return the trust policy of " + String.join(", ", outcome.unknownRoles())
                        + " (another account, deleted, or no permission for iam:GetRole).");
            }
        }
        input.eks().ifPresentOrElse(eks -> EksRules.check(eks, findings, notChecked),
                () -> notChecked.add("EKS-001, EKS-002, EKS-003: no EKS DescribeCluster details (not discovered"
                        + " through EKS)."));
        accessEntries(input, awsAuthConfig, findings, notChecked);
        findings.sort(SecurityFinding.ORDER);
        return new Evaluation(List.copyOf(findings), List.copyOf(notChecked));
    }

    /** EKS-004..006 need the synced entries; CONFIG_MAP clusters have none to check (EKS-002 covers them). */
    private void accessEntries(FindingsInput input, AwsAuthConfig awsAuth, List<SecurityFinding> findings,
            List<String> notChecked) {
        if (input.accessEntries().isPresent()) {
            AccessEntryFindings.check(input.accessEntries().get(), awsAuth,
                    input.eks().map(FindingsInput.EksSettings::bootstrapCreatorAdmin).orElse(null), breakGlass, findings);
            recreatedPrincipals(input.accessEntries().get(), findings, notChecked);
            return;
        }
        String mode = input.eks().map(FindingsInput.EksSettings::authenticationMode).orElse(null);
        if (!"CONFIG_MAP".equals(mode)) {
            notChecked.add("EKS-004, EKS-005, EKS-006: no access entries read from EKS ("
                    + (mode == null ? "not discovered through EKS" : "not synced yet; see the Access entries tab") + ").");
        }
    }

    /** EKS-007 from the IAM creation dates read after the entries' sync; said when they are not (yet) known. */
    private void recreatedPrincipals(SyncedAccessEntries synced, List<SecurityFinding> findings, List<String> notChecked) {
        if (synced.raw() == null || !synced.entries().mode().readsAccessEntries()) {
            return; // no EKS dates (the CLI's file): the CLI says EKS-006 and EKS-007 are not checked
        }
        Optional<EntryPrincipalDates.Checked> dates = principalDates.of(synced.raw());
        if (dates.isEmpty()) {
            notChecked.add("EKS-007: the IAM creation dates of the access entries' principals have not been read"
                    + " (no IAM access, or the last sync is being checked; iam:GetRole and iam:GetUser are needed).");
            return;
        }
        AccessEntryFindings.recreated(synced.raw(), dates.get(), findings);
        if (!dates.get().unknown().isEmpty()) {
            notChecked.add("EKS-007: IAM gave no creation date for " + dates.get().unknown().size()
                    + " principal(s), e.g. " + dates.get().unknown().get(0));
        }
    }

    private void awsAuth(AwsAuthConfig config, List<SecurityFinding> into) {
        for (Finding finding : new AwsAuthValidator(iam).validate(config)) {
            String resource = finding.index() == null ? finding.key() : finding.key() + "[" + finding.index() + "]";
            String guide = FindingRule.byId(finding.id()).map(FindingRule::guideSection).orElse("");
            into.add(new SecurityFinding(finding.id(), finding.severity(), resource,
                    resource + ": " + finding.message(), guide));
        }
    }
}
