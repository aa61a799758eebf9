package io.eksaccess.console.rbac;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers for IAM callers through more than aws-auth (EKS access entries and access policies). The
 * module that knows them implements this; rbac cannot depend on it (it depends on rbac), so the
 * RBAC pages ask through this interface and fall back to aws-auth alone when it answers empty.
 */
public interface IamAnswers {

    /**
     * The cluster's IAM answers from what its caches hold (never AWS), or empty when the cluster
     * maps IAM callers through aws-auth only (not EKS, CONFIG_MAP mode, or entries not synced yet).
     */
    Optional<Answerer> forCluster(String cluster);

    /**
     * Why {@link #forCluster} is empty for a cluster whose IAM callers EKS maps through access
     * entries: its entries have not been read (yet, or the sync fails). The aws-auth-only answers
     * the pages then give are partial, and must say so. Empty when nothing is missing.
     */
    default Optional<Unread> unread(String cluster) {
        return Optional.empty();
    }

    /**
     * A cluster in {@code mode} (API or API_AND_CONFIG_MAP) whose access entries are not read;
     * {@code state} the sync's state and reason ("ERROR: AccessDenied ...").
     */
    record Unread(String cluster, String mode, String state) {

        /** What the pages and the JSON API say above an aws-auth-only answer. */
        public String notice() {
            String notice = "Access entries of " + cluster + " have not been read yet (" + state
                    + "); answers below cover aws-auth and RBAC only.";
            return "API".equals(mode) ? notice + " This cluster is in API mode, where EKS ignores aws-auth:"
                    + " the answer may be incomplete or wrong." : notice;
        }
    }

    /** One cluster's IAM answers, as of one read of its caches. */
    interface Answerer {

        /** The authentication mode, e.g. API_AND_CONFIG_MAP. */
        String mode();

        /** @throws IllegalArgumentException when the authenticator would refuse the ARN itself */
        Chain accessFor(String callerArn, RbacIndex index);

        /** @throws IllegalArgumentException when the authenticator would refuse the ARN itself */
        CanI canI(String callerArn, AccessRequest request, RbacIndex index);

        /** Every IAM role and user whose identity is allowed, sorted by ARN. */
        List<Principal> whoCan(AccessRequest request, WhoCanAnswer rbac);

        /**
         * The CLI's {@code can-i --arn --json} answer.
         *
         * @throws IllegalArgumentException when the authenticator would refuse the ARN itself
         */
        ObjectNode canIJson(String callerArn, AccessRequest request, RbacIndex index);

        /**
         * The CLI's {@code access-for --json} answer with access entries.
         *
         * @throws IllegalArgumentException when the authenticator would refuse the ARN itself
         */
        ObjectNode accessForJson(String callerArn, RbacIndex index);

        /**
         * The access policies that IAM principals whose Kubernetes identity is this user (any session
         * of a template) or group get through their access entries: what the subject view adds to
         * the subject's RBAC rules. Empty for service accounts (no IAM principal is one).
         */
        default List<SubjectPolicy> policiesOf(Subject subject) {
            return List.of();
        }
    }

    /**
     * An access policy granted to {@code principalArn} (an access entry whose identity is the asked
     * subject): {@code grantedBy} in words ("access policy AmazonEKSViewPolicy, namespaces team-*").
     */
    record SubjectPolicy(String principalArn, String name, String arn, String scope, boolean modelled) {

        public String grantedBy() {
            return "access policy " + name + ", " + scope;
        }
    }

    /**
     * access-for through entries: {@code source} "accessEntry", "aws-auth" or null (not mapped);
     * {@code mapping} "mapRoles[0]" when aws-auth mapped the caller; {@code shadowed} the aws-auth
     * mapping an entry overrides; {@code policies} the entry's access policies in words.
     */
    record Chain(String callerArn, String mode, String source, String entryPrincipalArn, String mapping,
            String shadowed, Identity identity, List<RuleGrant> rules, List<PolicyGrant> policies, List<String> notes) {}

    /** An access policy of the caller's entry: its name, scope in words, whether the console models it. */
    record PolicyGrant(String name, String arn, String scope, boolean modelled) {}

    /**
     * can-i for an IAM caller: {@code via} "superuser", "rbac", "accessPolicy" or null when denied;
     * {@code grantedBy} the path in words ("RoleBinding team-a/devs → ClusterRole edit" or "access
     * policy AmazonEKSViewPolicy, namespaces team-*"), null when denied.
     */
    record CanI(boolean allowed, String reason, String via, String grantedBy, Identity identity) {}

    /** An IAM principal who-can reaches: {@code source} "aws-auth"|"accessEntry", {@code grant} "rbac"|"accessPolicy"|"superuser". */
    record Principal(String arn, String source, String grant) {}
}
