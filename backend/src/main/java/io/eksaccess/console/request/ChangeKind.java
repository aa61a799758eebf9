package io.eksaccess.console.request;

import io.eksaccess.console.apply.AccessEntryChange;
import io.eksaccess.console.apply.Change;
import io.eksaccess.console.apply.MappingChange;
import io.eksaccess.console.apply.MappingChangeJson;
import io.eksaccess.console.awsauth.AwsAuthEdit;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.AwsAuthValidator;
import io.eksaccess.console.awsauth.Section;
import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.system.Sentence;
import java.util.List;

/** The kinds of change a request can ask for, as the form and the JSON API name them. */
public enum ChangeKind {
    MAP_ROLE,
    UNMAP_ROLE,
    MAP_USER,
    UNMAP_USER,
    MAP_ACCOUNT,
    UNMAP_ACCOUNT,
    CREATE_ACCESS_ENTRY,
    UPDATE_ACCESS_ENTRY,
    DELETE_ACCESS_ENTRY,
    ASSOCIATE_ACCESS_POLICY,
    DISASSOCIATE_ACCESS_POLICY,
    SET_AUTHENTICATION_MODE,
    /** Several entry changes as one request ({@link AccessEntryChange.Batch}); filed by the API and the migration page. */
    ACCESS_ENTRY_BATCH;

    /** The partitions the authenticator knows (a mapping in another never matches a caller, and one of these must be mappable). */
    private static final String ACCOUNT_PART = "arn:(" + String.join("|", AwsAuthParser.PARTITIONS)
            + "):(iam|sts)::[0-9]{12}:";
    private static final java.util.regex.Pattern ROLE_ARN =
            java.util.regex.Pattern.compile(ACCOUNT_PART + "role/[\\w+=,.@-]{1,512}");
    private static final java.util.regex.Pattern USER_ARN =
            java.util.regex.Pattern.compile(ACCOUNT_PART + "user/[\\w+=,.@/-]{1,512}");
    private static final java.util.regex.Pattern NO_SPACE = java.util.regex.Pattern.compile("arn:[\\x21-\\x7e]{1,2048}");
    /** Kubernetes user and group names as aws-auth holds them (usernames may carry {{SessionName}} and the like). */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[\\w:.@/+={}-]{1,255}");

    public boolean maps() {
        return this == MAP_ROLE || this == MAP_USER;
    }

    public boolean account() {
        return this == MAP_ACCOUNT || this == UNMAP_ACCOUNT;
    }

    public boolean role() {
        return this == MAP_ROLE || this == UNMAP_ROLE;
    }

    /** A change to the cluster's EKS access entries (or its authentication mode), not to aws-auth. */
    public boolean accessEntry() {
        return ordinal() >= CREATE_ACCESS_ENTRY.ordinal();
    }

    /** Whether a duration may be asked for: the change is then taken back at the end. */
    public boolean timeBound() {
        return !accessEntry() || this == CREATE_ACCESS_ENTRY || this == ASSOCIATE_ACCESS_POLICY;
    }

    public static ChangeKind of(Change change) {
        if (change instanceof AccessEntryChange) {
            return valueOf(MappingChangeJson.kindOf(change));
        }
        if (change instanceof MappingChange.MapRole) {
            return MAP_ROLE;
        } else if (change instanceof MappingChange.UnmapRole) {
            return UNMAP_ROLE;
        } else if (change instanceof MappingChange.MapUser) {
            return MAP_USER;
        } else if (change instanceof MappingChange.UnmapUser) {
            return UNMAP_USER;
        } else if (change instanceof MappingChange.MapAccount) {
            return MAP_ACCOUNT;
        }
        return UNMAP_ACCOUNT;
    }

    /**
     * The change these fields describe. {@code principal} is the ARN, or the account id for account kinds.
     *
     * @throws ConsoleException (400) saying which field is missing or malformed
     */
    public MappingChange build(String principal, String username, List<String> groups) {
        if (accessEntry()) {
            throw ConsoleException.invalid("error.entry.kind-needs-entry-fields", name());
        }
        String p = principal == null ? "" : principal.trim();
        if (p.length() > RequestLimits.MAX_ARN) {
            throw ConsoleException.invalid("error.change.arn-too-long", p.length(), RequestLimits.MAX_ARN).onField("arn");
        }
        if (p.isEmpty()) {
            throw ConsoleException.invalid(account() ? "error.change.account-required" : "error.change.arn-required")
                    .onField("arn");
        }
        if (account() && !p.matches("[0-9]{12}")) {
            throw ConsoleException.invalid("error.change.account-malformed", p).onField("arn");
        }
        if (!account() && !p.startsWith("arn:")) {
            throw ConsoleException.invalid("error.change.not-an-arn", p).onField("arn");
        }
        // A new mapping is checked as the apply checks it (AWSAUTH-005: a role path, a session ARN...), so it is
        // refused now, in the same words, rather than filed, approved and then refused.
        if (maps()) {
            Sentence unusable = AwsAuthValidator.mappingArnProblem(p, role() ? Section.MAP_ROLES : Section.MAP_USERS);
            if (unusable != null) {
                throw ConsoleException.invalidBecause(unusable).onField("arn");
            }
        }
        // A removal must still be able to name a malformed entry already in aws-auth; a new mapping must not add one.
        if (!account() && (maps() ? !(role() ? ROLE_ARN : USER_ARN).matcher(p).matches() : !NO_SPACE.matcher(p).matches())) {
            throw ConsoleException.invalid(role() ? "error.change.not-a-role-arn" : "error.change.not-a-user-arn", p)
                    .onField("arn");
        }
        String user = username == null ? "" : username.trim();
        if (maps() && user.isEmpty()) {
            throw ConsoleException.invalid(this == MAP_ROLE ? "error.change.role-username-required"
                    : "error.change.username-required").onField("username");
        }
        if (user.length() > RequestLimits.MAX_NAME) {
            throw ConsoleException.invalid("error.change.username-too-long", user.length(), RequestLimits.MAX_NAME)
                    .onField("username");
        }
        if (maps() && !NAME.matcher(user).matches()) {
            throw ConsoleException.invalid("error.change.username-malformed", user).onField("username");
        }
        List<String> cleanGroups = groups == null ? List.of()
                : groups.stream().map(String::trim).filter(g -> !g.isEmpty()).distinct().toList();
        for (String group : cleanGroups) {
            if (group.length() > RequestLimits.MAX_NAME) {
                throw ConsoleException.invalid("error.change.group-too-long", group.substring(0, 40), group.length(),
                        RequestLimits.MAX_NAME).onField("groups");
            }
            if (!NAME.matcher(group).matches()) {
                throw ConsoleException.invalid("error.change.group-malformed", group).onField("groups");
            }
        }
        return switch (this) {
            case MAP_ROLE -> new MappingChange.MapRole(new AwsAuthEdit.RoleEntry(p, null, user, cleanGroups));
            case UNMAP_ROLE -> new MappingChange.UnmapRole(p);
            case MAP_USER -> new MappingChange.MapUser(new AwsAuthEdit.UserEntry(p, user, cleanGroups));
            case UNMAP_USER -> new MappingChange.UnmapUser(p);
            case MAP_ACCOUNT -> new MappingChange.MapAccount(p);
            case UNMAP_ACCOUNT -> new MappingChange.UnmapAccount(p);
            default -> throw new IllegalStateException(name());
        };
    }

    /** Comma-separated groups as the form and query parameters carry them. */
    public static List<String> splitGroups(String groups) {
        if (groups == null) {
            return List.of();
        }
        return java.util.Arrays.stream(groups.split(",")).map(String::trim).filter(g -> !g.isEmpty()).toList();
    }
}
