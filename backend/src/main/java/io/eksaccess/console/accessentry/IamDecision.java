package io.eksaccess.console.accessentry;

import io.eksaccess.console.rbac.BindingRef;
import io.eksaccess.console.rbac.Identity;

/**
 * can-i for an IAM caller. {@code via} is {@link #SUPERUSER}, {@link #RBAC} or
 * {@link #ACCESS_POLICY} when allowed, null when denied; {@code binding} is set for RBAC,
 * {@code accessPolicy} for an access policy; {@code identity} is null when the caller is not mapped.
 */
public record IamDecision(boolean allowed, String reason, Identity identity, String via, BindingRef binding,
        AssociatedAccessPolicy accessPolicy) {

    public static final String SUPERUSER = "superuser";
    public static final String RBAC = "rbac";
    public static final String ACCESS_POLICY = "accessPolicy";
}
