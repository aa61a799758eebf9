package io.eksaccess.console.request;

import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AccessEntryRules;
import io.eksaccess.console.accessentry.AccessScope;
import io.eksaccess.console.accessentry.AuthenticationMode;
import io.eksaccess.console.apply.AccessEntryChange;
import io.eksaccess.console.apply.AccessEntryPlanner;
import io.eksaccess.console.apply.Change;
import io.eksaccess.console.system.Sentence;
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
     * @throws ConsoleException (400) naming the field that is missing or malformed, and what to give instead
     */
    public Change build(ChangeKind kind) {
        if (kind == null) {
            throw ConsoleException.invalid("error.request.pick-kind");
        }
        if (!kind.accessEntry()) {
            return kind.build(principal, username, groups);
        }
        if (kind == ChangeKind.ACCESS_ENTRY_BATCH) {
            // Its items are changes of their own: RequestsApiController builds each through this record.
            throw ConsoleException.invalid("error.batch.fields");
        }
        if (kind == ChangeKind.SET_AUTHENTICATION_MODE) {
            String mode = trim(authenticationMode).toUpperCase(Locale.ROOT);
            try {
                return new AccessEntryChange.SetAuthenticationMode(AuthenticationMode.valueOf(mode));
            } catch (IllegalArgumentException e) {
                throw ConsoleException.invalid("error.entry.mode", echo(mode)).onField("authenticationMode");
            }
        }
        String arn = trim(principal);
        if (arn.isEmpty()) {
            throw ConsoleException.invalid("error.entry.principal-required").onField("arn");
        }
        if (arn.length() > RequestLimits.MAX_ARN) {
            throw ConsoleException.invalid("error.entry.principal-too-long", String.valueOf(arn.length()),
                    String.valueOf(RequestLimits.MAX_ARN)).onField("arn");
        }
        if (!arn.startsWith("arn:") || arn.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw ConsoleException.invalid("error.entry.principal-malformed", echo(arn)).onField("arn");
        }
        // No entry can have such a principal (EKS refuses it): beside the field, in the planner's words.
        Sentence notPrincipal = AccessEntryRules.principalArnProblem(arn);
        if (notPrincipal != null) {
            throw ConsoleException.invalidBecause(notPrincipal).onField("arn");
        }
        return switch (kind) {
            case CREATE_ACCESS_ENTRY -> {
                String entryType = trim(type).isEmpty() ? AccessEntry.STANDARD : trim(type).toUpperCase(Locale.ROOT);
                if (!AccessEntry.TYPES.contains(entryType)) {
                    throw ConsoleException.invalid("error.entry.type", String.join(", ", AccessEntry.TYPES), echo(entryType))
                            .onField("type");
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
            throw ConsoleException.invalid("error.entry.username-too-long", String.valueOf(user.length()),
                    String.valueOf(RequestLimits.MAX_NAME)).onField("username");
        }
        return user.isEmpty() ? null : user;
    }

    private List<String> cleanGroups() {
        List<String> clean = groups.stream().map(ChangeFields::trim).filter(g -> !g.isEmpty()).distinct().toList();
        if (clean.size() > RequestLimits.MAX_GROUPS) {
            throw ConsoleException.invalid("error.entry.too-many-groups", String.valueOf(clean.size()),
                    String.valueOf(RequestLimits.MAX_GROUPS)).onField("groups");
        }
        for (String group : clean) {
            if (group.length() > RequestLimits.MAX_NAME || group.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\'')) {
                throw ConsoleException.invalid("error.entry.group-malformed", echo(group),
                        String.valueOf(RequestLimits.MAX_NAME)).onField("groups");
            }
        }
        return clean;
    }

    private String policy() {
        String arn = trim(policyArn);
        if (arn.isEmpty()) {
            throw ConsoleException.invalid("error.entry.policy-required").onField("policyArn");
        }
        if (arn.length() > RequestLimits.MAX_ARN) {
            throw ConsoleException.invalid("error.entry.policy-too-long", String.valueOf(arn.length()),
                    String.valueOf(RequestLimits.MAX_ARN)).onField("policyArn");
        }
        // Beside the field, in the planner's words; whether it is the cluster's partition the planner says at filing.
        Sentence problem = AccessEntryPlanner.policyArnProblem(arn, null);
        if (problem != null) {
            throw ConsoleException.invalidBecause(problem).onField("policyArn");
        }
        return arn;
    }

    private AccessScope scope() {
        String scope = trim(scopeType).isEmpty() ? AccessScope.CLUSTER : trim(scopeType).toLowerCase(Locale.ROOT);
        List<String> clean = namespaces.stream().map(ChangeFields::trim).filter(n -> !n.isEmpty()).distinct().toList();
        if (scope.equals(AccessScope.CLUSTER)) {
            if (!clean.isEmpty()) {
                throw ConsoleException.invalid("error.entry.cluster-scope-namespaces").onField("namespaces");
            }
            return AccessScope.cluster();
        }
        if (!scope.equals(AccessScope.NAMESPACE)) {
            throw ConsoleException.invalid("error.entry.scope-type", echo(scope)).onField("scopeType");
        }
        if (clean.isEmpty()) {
            throw ConsoleException.invalid("error.entry.namespace-required").onField("namespaces");
        }
        if (clean.size() > MAX_NAMESPACES) {
            throw ConsoleException.invalid("error.entry.too-many-namespaces", String.valueOf(clean.size()),
                    String.valueOf(MAX_NAMESPACES)).onField("namespaces");
        }
        for (String namespace : clean) {
            if (!NAMESPACE.matcher(namespace).matches()) {
                throw ConsoleException.invalid("error.entry.namespace-malformed", echo(namespace)).onField("namespaces");
            }
        }
        return new AccessScope(AccessScope.NAMESPACE, clean);
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }

    private static String echo(String value) {
        return RequestLimits.echo(value);
    }
}
