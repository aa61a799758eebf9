package io.eksaccess.console.accessentry;

/**
 * An IAM role or user that who-can's answer reaches: its ARN as written in its aws-auth mapping or
 * access entry, {@code source} "aws-auth" or "accessEntry", {@code grant} "superuser", "rbac" or
 * "accessPolicy" (the first that allows, in the API server's order).
 */
public record IamPrincipal(String arn, String source, String grant) {}
