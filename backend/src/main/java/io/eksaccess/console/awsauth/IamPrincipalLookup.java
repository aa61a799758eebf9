package io.eksaccess.console.awsauth;

/**
 * Whether a mapped IAM role or user exists (AWSAUTH-008). The AWS-backed implementation is
 * {@code awsauth.iam.IamClientPrincipalLookup}; offline nothing is known.
 */
public interface IamPrincipalLookup {

    enum Existence { EXISTS, MISSING, UNKNOWN }

    /** The lookup used offline and whenever no AWS credentials are configured. */
    IamPrincipalLookup NONE = arn -> Existence.UNKNOWN;

    Existence lookup(String arn);
}
