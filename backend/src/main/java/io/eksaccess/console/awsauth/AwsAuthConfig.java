package io.eksaccess.console.awsauth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * aws-auth as aws-iam-authenticator reads it: the mappings it keeps, in order, and the errors it
 * reports. {@code data} is the ConfigMap data it was read from, unchanged.
 */
public record AwsAuthConfig(List<RoleMapping> roles, List<UserMapping> users, List<AccountMapping> accounts,
        List<EntryError> errors, Map<String, String> data) {

    public AwsAuthConfig {
        roles = List.copyOf(roles);
        users = List.copyOf(users);
        accounts = List.copyOf(accounts);
        errors = List.copyOf(errors);
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }
}
