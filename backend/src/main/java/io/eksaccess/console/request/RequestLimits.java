package io.eksaccess.console.request;

import io.eksaccess.console.apply.AccessEntryChange;
import io.eksaccess.console.apply.Change;
import io.eksaccess.console.apply.LockoutCheck;
import io.eksaccess.console.apply.MappingChange;
import io.eksaccess.console.awsauth.EntryRoundTrip;
import io.eksaccess.console.system.ConsoleException;
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
    static final Set<String> NODE_USERNAMES = Set.of("system:node:{{EC2PrivateDNSName}}", "system:node:{{SessionName}}");
    /** The groups of node roles (system:node-proxier for Fargate). */
    static final Set<String> NODE_GROUPS = Set.of("system:bootstrappers", "system:nodes", "system:node-proxier");

    private RequestLimits() {}

    /** Echoed input, capped and printable: an error message is no place for a pasted megabyte or a control character. */
    static String echo(String value) {
        String printable = value == null ? "" : value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "…" : printable;
    }

    /** @throws ConsoleException (400) naming the field and the limit, when the text is too long */
    public static void text(String field, String value) {
        if (value == null) {
            return;
        }
        int length = value.strip().codePointCount(0, value.strip().length());
        if (length > MAX_TEXT) {
            throw ConsoleException.invalid("error.request.text-too-long", field, length, MAX_TEXT);
        }
    }

    /** @throws ConsoleException (400) with {@link #problem}'s message */
    public static void change(Change change) {
        Optional<String> problem = problem(change);
        if (problem.isPresent()) {
            throw ConsoleException.invalid("error.request.change-refused", problem.get());
        }
    }

    /** Why this change may not be filed as it is, in words; empty when it may. */
    public static Optional<String> problem(Change change) {
        if (change instanceof AccessEntryChange.Batch batch) {
            int size = batch.changes().size();
            for (int i = 0; i < size; i++) {
                Optional<String> item = problem(batch.changes().get(i));
                if (item.isPresent()) {
                    return Optional.of("change " + (i + 1) + " of " + size + ": " + item.get());
                }
            }
            return Optional.empty();
        }
        if (change.principal().length() > MAX_ARN) {
            return Optional.of("the ARN is " + change.principal().length() + " characters long; at most " + MAX_ARN
                    + " are allowed");
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
            return Optional.of("the username is " + username.length() + " characters long; at most " + MAX_NAME
                    + " are allowed");
        }
        if (groups.size() > MAX_GROUPS) {
            return Optional.of("the change names " + groups.size() + " groups; at most " + MAX_GROUPS
                    + " are allowed: ask for a few groups bound to what is needed");
        }
        for (String group : groups) {
            if (group.length() > MAX_NAME) {
                return Optional.of("the group '" + group.substring(0, 40) + "…' is " + group.length()
                        + " characters long; at most " + MAX_NAME + " are allowed");
            }
        }
        Optional<String> leading = leadingIndicator("the username", username);
        for (int i = 0; leading.isEmpty() && i < groups.size(); i++) {
            leading = leadingIndicator("the group", groups.get(i));
        }
        if (leading.isPresent()) {
            return leading;
        }
        Optional<String> system = systemIdentity(change instanceof MappingChange.MapRole, username, groups);
        if (system.isPresent()) {
            return system;
        }
        return change instanceof MappingChange.MapRole c ? EntryRoundTrip.problem(c.entry())
                : EntryRoundTrip.problem(((MappingChange.MapUser) change).entry());
    }

    /** An entry's names: sizes and spreadsheet/YAML safety here; what EKS reserves is AccessEntryRules'. */
    private static Optional<String> entryNames(String username, List<String> groups) {
        if (groups.size() > MAX_GROUPS) {
            return Optional.of("the change names " + groups.size() + " groups; at most " + MAX_GROUPS + " are allowed");
        }
        Optional<String> leading = username == null ? Optional.empty() : leadingIndicator("the username", username);
        for (int i = 0; leading.isEmpty() && i < groups.size(); i++) {
            leading = leadingIndicator("the group", groups.get(i));
        }
        return leading;
    }

    /**
     * A leading {@code = + - @} is a formula to spreadsheets (the access reports are CSV) and an
     * indicator or a number sign to YAML; no Kubernetes name needs one.
     */
    private static Optional<String> leadingIndicator(String field, String name) {
        if (!name.isEmpty() && "=+-@".indexOf(name.charAt(0)) >= 0) {
            return Optional.of(field + " '" + name + "' starts with '" + name.charAt(0) + "', which YAML or a"
                    + " spreadsheet reads as something else than text; start it with a letter or digit");
        }
        return Optional.empty();
    }

    /**
     * Kubernetes reserves {@code system:} for its own components (system:kube-controller-manager reads
     * every Secret). Only node roles use such names, through the authenticator's node templates;
     * {@code system:masters} is the approval policy's call ({@link AccessRequests#policyProblems}).
     * Compared without case: a look-alike of a system name is refused as well.
     */
    private static Optional<String> systemIdentity(boolean role, String username, List<String> groups) {
        boolean nodeUsername = role && NODE_USERNAMES.contains(username);
        if (isSystem(username) && !nodeUsername) {
            return Optional.of("the username '" + username + "' is a Kubernetes system identity (system:…) and would"
                    + " act as one of the cluster's own components; only node roles may use the templates"
                    + " system:node:{{EC2PrivateDNSName}} (EC2) or system:node:{{SessionName}} (Fargate). Pick a username of your own, e.g. dev:{{SessionName}}");
        }
        for (String group : groups) {
            if (!isSystem(group) || group.equals(LockoutCheck.MASTERS)) {
                continue;
            }
            if (NODE_GROUPS.contains(group) && nodeUsername) {
                continue;
            }
            return Optional.of("the group '" + group + "' is a Kubernetes system group; only node roles (username "
                    + "system:node:{{EC2PrivateDNSName}} or system:node:{{SessionName}}) may join system:bootstrappers,"
                    + " system:nodes and system:node-proxier. Ask for a group of your own bound to what is needed");
        }
        return Optional.empty();
    }

    private static boolean isSystem(String name) {
        return name.toLowerCase(Locale.ROOT).startsWith("system:");
    }
}
