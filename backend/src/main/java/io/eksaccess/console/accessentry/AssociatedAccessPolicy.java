package io.eksaccess.console.accessentry;

/** An access policy associated with an access entry, and where it applies. */
public record AssociatedAccessPolicy(String policyArn, AccessScope accessScope) {

    /** The policy's name: the ARN's last segment ({@code AmazonEKSViewPolicy}). */
    public String policyName() {
        return policyArn.substring(policyArn.lastIndexOf('/') + 1);
    }
}
