package io.eksaccess.console.request;

import io.eksaccess.console.apply.AccessEntryChange;
import io.eksaccess.console.apply.Change;
import io.eksaccess.console.apply.LockoutCheck;
import io.eksaccess.console.apply.MappingChange;
import io.eksaccess.console.awsauth.EntryRoundTrip;
import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.system.Sentence;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a filed (or break-glass) change and its texts may hold, checked before anything is stored:
 * bounded sizes (a 10 MB justification once became a 10 MB audit row), no Kubernetes system
 * identities outside the node templates, and names aws-auth can hold exactly. V19 backs the sizes
 * with database CHECKs. Only new input is checked: stored requests are read as they are.
 */
public final class RequestLimits {

    /** Justifications, review comments and break-glass reasons, in characters. */
    public static final int MAX_TEXT = 4000;
    public static final int MAX_GROUPS = 50;
    /** Kubernetes usernames and groups. */
    public static final int MAX_NAME = 255;
    public static final int MAX_ARN = 2048;

    /** The usernames the authenticator's node templates give EC2 nodes and Fargate pods. */
    private static final String EC2_NODE = "system:node:{{EC2PrivateDNSName}}";
    private static final String FARGATE_NODE = "system:node:{{SessionName}}";
    static final Set<String> NODE_USERNAMES = Set.of(EC2_NODE, FARGATE_NODE);
    /** The groups of node roles (system:node-proxier for Fargate). */
    static final Set<String> NODE_GROUPS = Set.of("system:bootstrappers", "system:nodes", "system:node-proxier");

    private RequestLimits() {}

    /** Echoed input, capped and printable: an error message is no place for a pasted megabyte or a control character. */
    static String echo(String value) {
        String printable = value == null ? "" : value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "…" : printable;
    }

    /**
     * @param field the key of the field's name in the sentence (text.limits.field.*)
     * @throws ConsoleException (400) naming the field and the limit, when the text is too long
     */
    public static void text(String field, String value) {
        if (value == null) {
            return;
        }
        int length = value.strip().codePointCount(0, value.strip().length());
        if (length > MAX_TEXT) {
            throw ConsoleException.invalid("error.request.text-too-long", Sentence.of(field), length, MAX_TEXT);
        }
    }

    /** @throws ConsoleException (400) with {@link #problem}'s sentence */
    public static void change(Change change) {
        Optional<Sentence> problem = problem(change);
        if (problem.isPresent()) {
            throw ConsoleException.invalidBecause(problem.get());
        }
    }

    /** Why this change may not be filed as it is; empty when it may. */
    public static Optional<Sentence> problem(Change change) {
        if (change instanceof AccessEntryChange.Batch batch) {
            int size = batch.changes().size();
            for (int i = 0; i < size; i++) {
                Optional<Sentence> item = problem(batch.changes().get(i));
                if (item.isPresent()) {
                    return Optional.of(Sentence.of("error.limits.batch-item", i + 1, size, item.get()));
                }
            }
            return Optional.empty();
        }
        if (change.principal().length() > MAX_ARN) {
            return Optional.of(Sentence.of("error.limits.arn-too-long", change.principal().length(), MAX_ARN));
        }
        String username;
        List<String> groups;
        if (change instanceof MappingChange.MapRole c) {
            username = c.entry().username();
            groups = c.entry().groups();
        } else if (change instanceof MappingChange.MapUser c) {
            username = c.entry().username();
            groups = c.entry().groups();
        } else if (change instanceof AccessEntryChange.CreateAccessEntry c) {
            return entryNames(c.username(), c.kubernetesGroups());
        } else if (change instanceof AccessEntryChange.UpdateAccessEntry c) {
            return entryNames(c.username(), c.kubernetesGroups());
        } else {
            return Optional.empty();
        }
        if (username.length() > MAX_NAME) {
            return Optional.of(Sentence.of("error.limits.username-too-long", username.length(), MAX_NAME));
        }
        if (groups.size() > MAX_GROUPS) {
            return Optional.of(Sentence.of("error.limits.too-many-groups", groups.size(), MAX_GROUPS));
        }
        for (String group : groups) {
            if (group.length() > MAX_NAME) {
                return Optional.of(Sentence.of("error.limits.group-too-long", group.substring(0, 40), group.length(),
                        MAX_NAME));
            }
        }
        Optional<Sentence> leading = leadingIndicator("error.limits.username-leading", username);
        for (int i = 0; leading.isEmpty() && i < groups.size(); i++) {
            leading = leadingIndicator("error.limits.group-leading", groups.get(i));
        }
        if (leading.isPresent()) {
            return leading;
        }
        Optional<Sentence> system = systemIdentity(change instanceof MappingChange.MapRole, username, groups);
        if (system.isPresent()) {
            return system;
        }
        return change instanceof MappingChange.MapRole c ? EntryRoundTrip.problem(c.entry())
                : EntryRoundTrip.problem(((MappingChange.MapUser) change).entry());
    }

    /** An entry's names: sizes and spreadsheet/YAML safety here; what EKS reserves is AccessEntryRules'. */
    private static Optional<Sentence> entryNames(String username, List<String> groups) {
        if (groups.size() > MAX_GROUPS) {
            return Optional.of(Sentence.of("error.limits.entry-too-many-groups", groups.size(), MAX_GROUPS));
        }
        Optional<Sentence> leading = username == null ? Optional.empty()
                : leadingIndicator("error.limits.username-leading", username);
        for (int i = 0; leading.isEmpty() && i < groups.size(); i++) {
            leading = leadingIndicator("error.limits.group-leading", groups.get(i));
        }
        return leading;
    }

    /**
     * A leading {@code = + - @} is a formula to spreadsheets (the access reports are CSV) and an
     * indicator or a number sign to YAML; no Kubernetes name needs one.
     */
    private static Optional<Sentence> leadingIndicator(String key, String name) {
        if (!name.isEmpty() && "=+-@".indexOf(name.charAt(0)) >= 0) {
            return Optional.of(Sentence.of(key, name, String.valueOf(name.charAt(0))));
        }
        return Optional.empty();
    }

    /**
     * Kubernetes reserves {@code system:} for its own components (system:kube-controller-manager reads
     * every Secret). Only node roles use such names, through the authenticator's node templates;
     * {@code system:masters} is the approval policy's call ({@link AccessRequests#policyProblems}).
     * Compared without case: a look-alike of a system name is refused as well.
     */
    private static Optional<Sentence> systemIdentity(boolean role, String username, List<String> groups) {
        boolean nodeUsername = role && NODE_USERNAMES.contains(username);
        if (isSystem(username) && !nodeUsername) {
            // The {{…}} templates are arguments: in a message they would need MessageFormat's quoting.
            return Optional.of(Sentence.of("error.limits.system-username", username, EC2_NODE, FARGATE_NODE,
                    "dev:{{SessionName}}"));
        }
        for (String group : groups) {
            if (!isSystem(group) || group.equals(LockoutCheck.MASTERS)) {
                continue;
            }
            if (NODE_GROUPS.contains(group) && nodeUsername) {
                continue;
            }
            return Optional.of(Sentence.of("error.limits.system-group", group, EC2_NODE, FARGATE_NODE));
        }
        return Optional.empty();
    }

    private static boolean isSystem(String name) {
        return name.toLowerCase(Locale.ROOT).startsWith("system:");
    }
}
