package io.eksaccess.console.rbac;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.WhoIs;
import java.util.ArrayList;
import java.util.List;

/**
 * access-for: an IAM caller ARN → the aws-auth mapping it hits (as the authenticator reads it) →
 * the username and groups the API server sees (the authenticator's groups plus
 * {@code system:authenticated}, which the API server adds to every authenticated request) → rules.
 */
public final class EffectiveAccess {

    /** {@code identity} and {@code rules} are null/empty when the ARN is not mapped (the authenticator refuses it). */
    public record Chain(String callerArn, WhoIs.Answer mapping, Identity identity, List<RuleGrant> rules) {}

    private EffectiveAccess() {}

    /** @throws IllegalArgumentException when the authenticator would refuse the ARN itself */
    public static Chain of(AwsAuthConfig awsAuth, String callerArn, RbacIndex index) {
        WhoIs.Answer mapping = WhoIs.resolve(awsAuth, callerArn, false);
        if (!mapping.mapped()) {
            return new Chain(callerArn, mapping, null, List.of());
        }
        List<String> groups = new ArrayList<>(mapping.groups());
        if (!groups.contains(Subject.AUTHENTICATED)) {
            groups.add(Subject.AUTHENTICATED);
        }
        Identity identity = new Identity(mapping.username(), groups);
        return new Chain(callerArn, mapping, identity, index.rulesFor(identity));
    }
}
