package io.eksaccess.console.report.findings;

import java.util.Optional;

/** IAM roles' trust policies (IAM GetRole), for IRSA-001. */
public interface TrustPolicies {

    /** Offline, or without AWS credentials: IRSA-001 is not checked. */
    TrustPolicies NONE = new TrustPolicies() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public Optional<String> trustPolicyOf(String roleArn) {
            return Optional.empty();
        }
    };

    /** False when nothing can be looked up at all (no IAM access configured). */
    default boolean available() {
        return true;
    }

    /** The role's trust policy document as JSON; empty when IAM cannot tell (other account, failure). */
    Optional<String> trustPolicyOf(String roleArn);
}
