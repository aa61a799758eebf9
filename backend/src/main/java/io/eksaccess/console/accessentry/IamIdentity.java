package io.eksaccess.console.accessentry;

import io.eksaccess.console.awsauth.WhoIs;
import io.eksaccess.console.rbac.Identity;
import java.util.List;

/**
 * How the authenticator maps one caller ARN under the cluster's mode: through an access entry or
 * an aws-auth mapping (or not at all), and the username and groups the API server then sees
 * ({@code system:authenticated} included).
 *
 * @param entry the access entry used (source ACCESS_ENTRY), else null
 * @param mapping the aws-auth mapping used (source AWS_AUTH), else null
 * @param shadowedMapping an aws-auth mapping of the same principal that the entry overrides
 *     (API_AND_CONFIG_MAP only), else null
 * @param identity null when not mapped
 */
public record IamIdentity(String callerArn, AuthenticationMode mode, Source source, AccessEntry entry,
        WhoIs.Answer mapping, WhoIs.Answer shadowedMapping, Identity identity, List<String> notes) {

    public enum Source {
        AWS_AUTH("aws-auth"), ACCESS_ENTRY("accessEntry");

        private final String json;

        Source(String json) {
            this.json = json;
        }

        /** The name in JSON answers. */
        public String json() {
            return json;
        }
    }

    public IamIdentity {
        notes = List.copyOf(notes);
    }

    public boolean mapped() {
        return identity != null;
    }

    /** The access policies that apply to the caller: its entry's, when an entry mapped it. */
    public List<AssociatedAccessPolicy> accessPolicies() {
        return entry == null ? List.of() : entry.associatedAccessPolicies();
    }
}
