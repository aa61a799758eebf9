package io.eksaccess.console.accessentry;

import io.eksaccess.console.awsauth.goyaml.Echo;
import io.eksaccess.console.system.Sentence;
import java.util.ArrayList;
import java.util.List;

/**
 * What EKS refuses in an access entry (ACCESS-ENTRIES.md, "What EKS refuses"), checked before
 * asking so the person gets the reason in the console's words and what to do instead. Empty
 * list: EKS would take it.
 */
public final class AccessEntryRules {

    static final List<String> RESERVED_USERNAME_PREFIXES = List.of("system:", "eks:", "aws:", "amazon:", "iam:");
    /** The key of the one problem the migration planner fixes itself (an Identity Center role without its path). */
    public static final String SSO_WITHOUT_PATH = "text.entry-rules.sso-path";

    private AccessEntryRules() {}

    /**
     * @param clusterAccount the cluster's AWS account (node entries must be roles in it); null: not checked
     * @param existing the cluster's entries (one entry per principal)
     */
    public static List<Sentence> problems(AccessEntry entry, String clusterAccount, List<AccessEntry> existing) {
        List<Sentence> problems = new ArrayList<>();
        principal(entry, clusterAccount, existing, problems);
        if (!AccessEntry.TYPES.contains(entry.type())) {
            problems.add(Sentence.of("text.entry-rules.type", Echo.of(entry.type()), String.join(", ", AccessEntry.TYPES)));
            return problems;
        }
        if (!entry.type().equals(AccessEntry.STANDARD)) {
            if (entry.username() != null || !entry.kubernetesGroups().isEmpty()
                    || !entry.associatedAccessPolicies().isEmpty()) {
                problems.add(Sentence.of("text.entry-rules.node-identity", entry.type()));
            }
            return problems;
        }
        username(entry.username(), problems);
        for (String group : entry.kubernetesGroups()) {
            if (group.startsWith("system:")) {
                problems.add(Sentence.of(group.equals("system:masters") ? "text.entry-rules.group-masters"
                        : "text.entry-rules.group-system", Echo.of(group)));
            }
        }
        for (AssociatedAccessPolicy policy : entry.associatedAccessPolicies()) {
            if (!policy.accessScope().isCluster() && policy.accessScope().namespaces().isEmpty()) {
                problems.add(Sentence.of("text.entry-rules.scope-without-namespaces", policy.policyName()));
            }
        }
        return problems;
    }

    private static void principal(AccessEntry entry, String clusterAccount, List<AccessEntry> existing,
            List<Sentence> problems) {
        String arn = entry.principalArn();
        Sentence notPrincipal = principalArnProblem(arn);
        if (notPrincipal != null) {
            problems.add(notPrincipal);
            return;
        }
        PrincipalArn principal = PrincipalArn.parse(arn);
        if (principal.isRole() && principal.path().startsWith("/aws-service-role/")) {
            problems.add(Sentence.of("text.entry-rules.service-linked"));
        }
        if (principal.isRole() && principal.name().startsWith("AWSReservedSSO_")
                && !principal.path().startsWith("/aws-reserved/sso.amazonaws.com/")) {
            problems.add(Sentence.of(SSO_WITHOUT_PATH, principal.name()));
        }
        if (!entry.type().equals(AccessEntry.STANDARD) && AccessEntry.TYPES.contains(entry.type())) {
            if (!principal.isRole()) {
                problems.add(Sentence.of("text.entry-rules.node-user", entry.type()));
            } else if (clusterAccount != null && !clusterAccount.equals(principal.account())) {
                problems.add(Sentence.of("text.entry-rules.node-account", entry.type(), clusterAccount, principal.account()));
            }
        }
        for (AccessEntry other : existing) {
            if (principal.samePrincipal(other.principal())) {
                problems.add(Sentence.of("text.entry-rules.one-per-principal", other.principalArn()));
                break;
            }
        }
    }

    /**
     * Why EKS refuses this text as an entry's principal (an STS session ARN, or not an IAM role or user ARN), or
     * null: the one check for the form and the API at filing and for the planner at filing and apply.
     */
    public static Sentence principalArnProblem(String arn) {
        if (arn != null && arn.contains(":sts:") && arn.contains(":assumed-role/")) {
            return Sentence.of("text.entry-rules.session-arn");
        }
        return PrincipalArn.parse(arn) == null ? Sentence.of("text.entry-rules.not-iam") : null;
    }

    private static void username(String username, List<Sentence> problems) {
        if (username == null) {
            return;
        }
        for (String prefix : RESERVED_USERNAME_PREFIXES) {
            if (username.startsWith(prefix)) {
                problems.add(Sentence.of("text.entry-rules.username-reserved", Echo.of(username), prefix));
            }
        }
        int session = firstSessionTemplate(username);
        if (session >= 0 && username.lastIndexOf(':', session) < 0) {
            problems.add(Sentence.of("text.entry-rules.username-session", Echo.of(username)));
        }
    }

    private static int firstSessionTemplate(String username) {
        int name = username.indexOf("{{SessionName}}");
        int raw = username.indexOf("{{SessionNameRaw}}");
        return name < 0 ? raw : raw < 0 ? name : Math.min(name, raw);
    }
}
