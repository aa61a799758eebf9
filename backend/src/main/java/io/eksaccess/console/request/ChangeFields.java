package io.eksaccess.console.request;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AccessScope;
import io.eksaccess.console.accessentry.AuthenticationMode;
import io.eksaccess.console.apply.AccessEntryChange;
import io.eksaccess.console.apply.Change;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The fields of a change as the form and the API carry them, for every kind. {@code principal} is the
 * IAM ARN (the account id for account kinds). Only the shape is checked here; what EKS would refuse on
 * this cluster is the planner's ({@link io.eksaccess.console.apply.AccessEntryPlanner}) at filing.
 *
 * @param scopeType {@code cluster} (default) or {@code namespace}
 */
public record ChangeFields(String principal, String username, List<String> groups, String type, String policyArn,
        String scopeType, List<String> namespaces, String authenticationMode) {

    /** A namespace name, or a prefix of one with a trailing {@code *}. */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?|[a-z0-9][-a-z0-9]{0,61}\\*");
    static final int MAX_NAMESPACES = 50;

    public ChangeFields {
        groups = groups == null ? List.of() : groups;
        namespaces = namespaces == null ? List.of() : namespaces;
    }

    public static ChangeFields mapping(String principal, String username, List<String> groups) {
        return new ChangeFields(principal, username, groups, null, null, null, null, null);
    }

    /**
     * @throws RequestException (400) naming the field that is missing or malformed, and what to give instead
     */
    public Change build(ChangeKind kind) {
        if (kind == null) {
            throw RequestException.invalid("pick what to change");
        }
        if (!kind.accessEntry()) {
            return kind.build(principal, username, groups);
        }
        if (kind == ChangeKind.SET_AUTHENTICATION_MODE) {
            String mode = trim(authenticationMode).toUpperCase(Locale.ROOT);
            try {
                return new AccessEntryChange.SetAuthenticationMode(AuthenticationMode.valueOf(mode));
            } catch (IllegalArgumentException e) {
                throw RequestException.invalid("the authentication mode must be API_AND_CONFIG_MAP or API, not '"
                        + echo(mode) + "'");
            }
        }
        String arn = trim(principal);
        if (arn.isEmpty()) {
            throw RequestException.invalid("the principal ARN is required (arn:aws:iam::111122223333:role/Name)");
        }
        if (arn.length() > RequestLimits.MAX_ARN) {
            throw RequestException.invalid("the principal ARN is " + arn.length() + " characters long; at most "
                    + RequestLimits.MAX_ARN + " are allowed");
        }
        if (!arn.startsWith("arn:") || arn.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw RequestException.invalid("'" + echo(arn) + "' is not an IAM ARN: it looks like"
                    + " arn:aws:iam::111122223333:role/Name (no spaces)");
        }
        return switch (kind) {
            case CREATE_ACCESS_ENTRY -> {
                String entryType = trim(type).isEmpty() ? AccessEntry.STANDARD : trim(type).toUpperCase(Locale.ROOT);
                if (!AccessEntry.TYPES.contains(entryType)) {
                    throw RequestException.invalid("the entry type must be one of " + String.join(", ", AccessEntry.TYPES)
                            + ", not '" + echo(entryType) + "' (STANDARD for people and tools)");
                }
                yield new AccessEntryChange.CreateAccessEntry(arn, entryType, cleanUsername(), cleanGroups());
            }
            case UPDATE_ACCESS_ENTRY -> new AccessEntryChange.UpdateAccessEntry(arn, cleanUsername(), cleanGroups());
            case DELETE_ACCESS_ENTRY -> new AccessEntryChange.DeleteAccessEntry(arn);
            case ASSOCIATE_ACCESS_POLICY -> new AccessEntryChange.AssociateAccessPolicy(arn, policy(), scope());
            case DISASSOCIATE_ACCESS_POLICY -> new AccessEntryChange.DisassociateAccessPolicy(arn, policy());
            default -> throw new IllegalStateException(kind.name());
        };
    }

    private String cleanUsername() {
        String user = trim(username);
        if (user.length() > RequestLimits.MAX_NAME) {
            throw RequestException.invalid("the username is " + user.length() + " characters long; at most "
                    + RequestLimits.MAX_NAME + " are allowed");
        }
        return user.isEmpty() ? null : user;
    }

    private List<String> cleanGroups() {
        List<String> clean = groups.stream().map(ChangeFields::trim).filter(g -> !g.isEmpty()).distinct().toList();
        if (clean.size() > RequestLimits.MAX_GROUPS) {
            throw RequestException.invalid("the change names " + clean.size() + " groups; at most "
                    + RequestLimits.MAX_GROUPS + " are allowed");
        }
        for (String group : clean) {
            if (group.length() > RequestLimits.MAX_NAME || group.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\'')) {
                throw RequestException.invalid("'" + echo(group) + "' is not a Kubernetes group name: no spaces or"
                        + " quotes, at most " + RequestLimits.MAX_NAME + " characters");
            }
        }
        return clean;
    }

    private String policy() {
        String arn = trim(policyArn);
        if (arn.isEmpty()) {
            throw RequestException.invalid("the access policy is required (e.g. arn:aws:eks::aws:cluster-access-policy/"
                    + "AmazonEKSViewPolicy)");
        }
        if (arn.length() > RequestLimits.MAX_ARN) {
            throw RequestException.invalid("the policy ARN is " + arn.length() + " characters long; at most "
                    + RequestLimits.MAX_ARN + " are allowed");
        }
        return arn;
    }

    private AccessScope scope() {
        String scope = trim(scopeType).isEmpty() ? AccessScope.CLUSTER : trim(scopeType).toLowerCase(Locale.ROOT);
        List<String> clean = namespaces.stream().map(ChangeFields::trim).filter(n -> !n.isEmpty()).distinct().toList();
        if (scope.equals(AccessScope.CLUSTER)) {
            if (!clean.isEmpty()) {
                throw RequestException.invalid("a cluster-wide scope takes no namespaces; choose the namespace scope"
                        + " to limit the policy to them");
            }
            return AccessScope.cluster();
        }
        if (!scope.equals(AccessScope.NAMESPACE)) {
            throw RequestException.invalid("the access scope must be 'cluster' or 'namespace', not '" + echo(scope) + "'");
        }
        if (clean.isEmpty()) {
            throw RequestException.invalid("a namespace scope needs at least one namespace (a trailing * is a prefix"
                    + " match: team-*)");
        }
        if (clean.size() > MAX_NAMESPACES) {
            throw RequestException.invalid("the scope names " + clean.size() + " namespaces; at most " + MAX_NAMESPACES
                    + " are allowed: use a prefix such as team-*");
        }
        for (String namespace : clean) {
            if (!NAMESPACE.matcher(namespace).matches()) {
                throw RequestException.invalid("'" + echo(namespace) + "' is not a namespace name: lower-case letters,"
                        + " digits and '-', at most 63 characters, optionally ending in * for a prefix");
            }
        }
        return new AccessScope(AccessScope.NAMESPACE, clean);
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }

    /** Echoed input is capped: an error message is no place for a pasted megabyte. */
    private static String echo(String value) {
        return value.length() > 80 ? value.substring(0, 80) + "…" : value;
    }
}
