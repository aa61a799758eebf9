package io.eksaccess.console.apply;

import io.eksaccess.console.awsauth.AccountMapping;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthEdit;
import io.eksaccess.console.awsauth.AwsAuthEditor;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.AwsAuthUnreadableException;
import io.eksaccess.console.awsauth.AwsAuthValidator;
import io.eksaccess.console.awsauth.Finding;
import io.eksaccess.console.awsauth.RoleMapping;
import io.eksaccess.console.awsauth.UnifiedDiff;
import io.eksaccess.console.awsauth.UserMapping;
import io.eksaccess.console.system.ConsoleException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Plans a {@link MappingChange} on the current aws-auth data with the minimal-diff editor: finds
 * the entry the change names by ARN there, edits only that entry, and says whether the result may
 * be applied (no new authenticator errors, no lockout).
 */
public final class ChangePlanner {

    /** FINDINGS.md: a malformed ARN, an assumed-role ARN in a mapping, or a role ARN with a path. */
    private static final String UNUSABLE = "AWSAUTH-005";
    /** How many groups a take-back names one by one in each of its sentences; the rest are counted. */
    static final int SAID_GROUPS = 10;
    private static final int SHOWN_CHARS = 200;

    private final AwsAuthValidator validator;
    private final LockoutCheck lockout;

    public ChangePlanner(AwsAuthValidator validator, LockoutCheck lockout) {
        this.validator = validator;
        this.lockout = lockout;
    }

    public ChangePlan plan(Map<String, String> before, MappingChange change) {
        AwsAuthConfig beforeConfig = AwsAuthParser.parse(before);
        List<String> refusals = new ArrayList<>();
        List<String> takenBack = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        Map<String, String> after;
        try {
            // Beyond the reader's limits nothing can be planned on it: a section read as empty
            // would be rewritten from nothing.
            AwsAuthParser.read(before);
            after = change.granted() != null ? takeBack(before, change, takenBack, kept) : edit(before, change);
        } catch (AwsAuthUnreadableException e) {
            refusals.add("aws-auth could not be read: " + e.getMessage() + "; fix it on the cluster first");
            after = before;
        } catch (ConsoleException e) {
            refusals.add(e.getMessage());
            after = before;
        }
        AwsAuthConfig afterConfig = AwsAuthParser.parse(after);
        if (afterConfig.errors().size() > beforeConfig.errors().size()) {
            refusals.add("the change would leave aws-auth with an entry the authenticator drops: "
                    + afterConfig.errors().get(afterConfig.errors().size() - 1).message());
        }
        List<Finding> findings = validator.validate(afterConfig);
        refusals.addAll(newUnusableEntries(validator.validate(beforeConfig), findings));
        return new ChangePlan(change, before, after, afterConfig, diff(before, after), findings,
                refusals, lockout.problems(beforeConfig, afterConfig), inverse(beforeConfig, afterConfig, change),
                takenBack, kept);
    }

    /**
     * A way back that knows what the change it undoes left ({@link MappingChange.Granted}): a three-way
     * merge of the mapping as it was before that change, as that change left it, and as it is now. What
     * the change did and is still so is reverted; what others changed since stays; a mapping the change
     * created stays while it carries access added since. {@code takenBack} and {@code kept} say what and why.
     */
    private static Map<String, String> takeBack(Map<String, String> data, MappingChange change, List<String> takenBack,
            List<String> kept) {
        AwsAuthConfig config = AwsAuthParser.parse(data);
        String arn = change.principal();
        boolean isRole = isRole(change);
        MappingChange.Granted before = beforeOf(change);
        Optional<RoleMapping> role = isRole ? role(config, arn) : Optional.empty();
        Optional<UserMapping> user = isRole ? Optional.empty() : user(config, arn);
        MappingChange.Granted now = role.map(r -> new MappingChange.Granted(r.username(), r.groups()))
                .or(() -> user.map(u -> new MappingChange.Granted(u.username(), u.groups())))
                .orElse(MappingChange.Granted.NONE);
        MappingChange.Granted target = merge(arn, before, change.granted(), now, takenBack, kept);
        if (target.equals(now)) {
            return data;
        }
        if (!target.mapped()) {
            return edit(data, isRole ? new MappingChange.UnmapRole(arn) : new MappingChange.UnmapUser(arn));
        }
        if (isRole) {
            AwsAuthEdit.RoleEntry entry = new AwsAuthEdit.RoleEntry(arn, null, target.username(), target.groups());
            return AwsAuthEditor.apply(data, role.<AwsAuthEdit>map(r -> new AwsAuthEdit.UpdateRole(r.index(), entry))
                    .orElse(new AwsAuthEdit.AddRole(entry)));
        }
        AwsAuthEdit.UserEntry entry = new AwsAuthEdit.UserEntry(arn, target.username(), target.groups());
        return AwsAuthEditor.apply(data, user.<AwsAuthEdit>map(u -> new AwsAuthEdit.UpdateUser(u.index(), entry))
                .orElse(new AwsAuthEdit.AddUser(entry)));
    }

    /**
     * The way back of a later change to the same mapping once an earlier grant's way back ({@code ended}) was
     * taken: its record of the mapping before it still holds what the ended grant gave, which its own end or
     * undo would otherwise give again. Null when there is nothing to hand over: not the same mapping, not a
     * way back that knows what its change left, or a later removal (whose undo is refused instead while the
     * grant it removed has ended).
     */
    public static MappingChange handedOver(MappingChange later, MappingChange ended) {
        if (later.granted() == null || ended.granted() == null || !later.granted().mapped() || later.principal() == null
                || !later.principal().equalsIgnoreCase(ended.principal()) || isRole(later) != isRole(ended)) {
            return null;
        }
        MappingChange.Granted laterBefore = beforeOf(later);
        MappingChange.Granted handed = merge(later.principal(), beforeOf(ended), ended.granted(), laterBefore,
                new ArrayList<>(), new ArrayList<>());
        if (handed.equals(laterBefore)) {
            return null;
        }
        String arn = later.principal();
        if (!handed.mapped()) {
            return isRole(later) ? new MappingChange.UnmapRole(arn, later.granted())
                    : new MappingChange.UnmapUser(arn, later.granted());
        }
        return isRole(later)
                ? new MappingChange.MapRole(new AwsAuthEdit.RoleEntry(arn, null, handed.username(), handed.groups()),
                        later.granted())
                : new MappingChange.MapUser(new AwsAuthEdit.UserEntry(arn, handed.username(), handed.groups()),
                        later.granted());
    }

    private static boolean isRole(MappingChange change) {
        return change instanceof MappingChange.MapRole || change instanceof MappingChange.UnmapRole;
    }

    /** A way back's record of the mapping before the change it undoes (a restore's entry; none for a removal). */
    private static MappingChange.Granted beforeOf(MappingChange change) {
        return change instanceof MappingChange.MapRole r
                ? new MappingChange.Granted(r.entry().username(), r.entry().groups())
                : change instanceof MappingChange.MapUser u ? new MappingChange.Granted(u.entry().username(), u.entry().groups())
                : MappingChange.Granted.NONE;
    }

    /** The mapping once what the change did ({@code before} → {@code granted}) is reverted on {@code now}. */
    static MappingChange.Granted merge(String arn, MappingChange.Granted before, MappingChange.Granted granted,
            MappingChange.Granted now, List<String> takenBack, List<String> kept) {
        if (now.equals(granted)) {
            // Untouched since: back to how it was.
            takenBack.add(!granted.mapped() ? "the mapping of " + arn + " it removed is restored (" + words(before) + ")"
                    : before.mapped() ? "the mapping of " + arn + " as it set it (" + words(granted) + "), back to "
                            + words(before)
                    : "the mapping of " + arn + " it created (" + words(granted) + ")");
            return before;
        }
        if (!now.mapped()) {
            kept.add("the mapping of " + arn + " it gave was removed since, so there is nothing left to take back");
            return now;
        }
        if (!granted.mapped()) {
            kept.add(arn + " was mapped again since (" + words(now) + "): that mapping is not this change's and stays,"
                    + " so the one it removed is not restored");
            return now;
        }
        String username = now.username();
        if (!now.username().equals(granted.username())) {
            kept.add("username " + shown(now.username()) + " of " + arn + ", changed since (it set "
                    + shown(granted.username()) + ")");
        } else if (before.mapped() && !before.username().equals(granted.username())) {
            username = before.username();
            takenBack.add("username " + shown(granted.username()) + " of " + arn + ", back to " + shown(before.username()));
        }
        List<String> groups = new ArrayList<>(now.groups());
        List<String> removed = new ArrayList<>();
        List<String> goneSince = new ArrayList<>();
        for (String group : granted.groups()) {
            if (before.groups().contains(group)) {
                continue;
            }
            if (groups.remove(group)) {
                removed.add(group);
            } else {
                goneSince.add(group);
            }
        }
        List<String> givenBack = new ArrayList<>();
        for (String group : before.groups()) {
            if (!granted.groups().contains(group) && !groups.contains(group)) {
                groups.add(group);
                givenBack.add(group);
            }
        }
        List<String> addedSince = now.groups().stream()
                .filter(group -> !granted.groups().contains(group) && !before.groups().contains(group)).toList();
        said(takenBack, removed, arn, "");
        said(kept, goneSince, arn, " it gave was removed since, so there is nothing to take back");
        said(takenBack, givenBack, arn, " it had removed is given back");
        said(kept, addedSince, arn, ", added since");
        if (!before.mapped()) {
            if (groups.isEmpty() && username.equals(granted.username())) {
                // Nothing others gave is left on the mapping this change created: it goes as a whole.
                takenBack.add("the mapping of " + arn + " it created");
                return MappingChange.Granted.NONE;
            }
            kept.add("the mapping of " + arn + " (which it created) stays, as it carries changes made since");
        }
        return new MappingChange.Granted(username, groups);
    }

    private static String words(MappingChange.Granted mapping) {
        if (!mapping.mapped()) {
            return "none";
        }
        List<String> groups = mapping.groups();
        String shownGroups = groups.stream().limit(SAID_GROUPS).map(ChangePlanner::shown)
                .reduce((a, b) -> a + ", " + b).orElse("no groups");
        return "as " + shown(mapping.username()) + " into " + shownGroups
                + (groups.size() > SAID_GROUPS ? " and " + (groups.size() - SAID_GROUPS) + " more groups" : "");
    }

    /**
     * One line per group ("group G of ARN" + why), the first {@value #SAID_GROUPS} only, then one for the rest:
     * the groups come from the live ConfigMap (hand edits included) and the lines go into the request, the
     * audit and notifications.
     */
    private static void said(List<String> lines, List<String> groups, String arn, String why) {
        groups.stream().limit(SAID_GROUPS).forEach(group -> lines.add("group " + shown(group) + " of " + arn + why));
        if (groups.size() > SAID_GROUPS) {
            lines.add("and " + (groups.size() - SAID_GROUPS) + " more groups of " + arn + why);
        }
    }

    /** A username or group as said back: one line, no control or formatting characters, at most 200 characters. */
    private static String shown(String text) {
        String printable = text.replaceAll("[\\p{Cntrl}\\p{Cf}]", "");
        if (printable.length() <= SHOWN_CHARS) {
            return printable;
        }
        int cut = Character.isHighSurrogate(printable.charAt(SHOWN_CHARS - 1)) ? SHOWN_CHARS - 1 : SHOWN_CHARS;
        return printable.substring(0, cut) + "… (" + printable.length() + " characters)";
    }

    /**
     * Validation: an entry that can never match a caller (a malformed ARN, an assumed-role ARN, a
     * path) must not be written. Findings that are policy (system:masters, IAM users) are not
     * refusals here; the request policy decides on those.
     */
    private static List<String> newUnusableEntries(List<Finding> before, List<Finding> after) {
        List<String> known = new ArrayList<>(before.stream().filter(f -> UNUSABLE.equals(f.id())).map(Finding::message).toList());
        List<String> added = new ArrayList<>();
        for (Finding finding : after) {
            if (UNUSABLE.equals(finding.id()) && !known.remove(finding.message())) {
                added.add("the change would add an entry that never matches a caller: " + finding.message());
            }
        }
        return added;
    }

    private static Map<String, String> edit(Map<String, String> data, MappingChange change) {
        AwsAuthConfig config = AwsAuthParser.parse(data);
        if (change instanceof MappingChange.MapRole c) {
            Optional<RoleMapping> existing = role(config, c.entry().roleArn());
            if (existing.isPresent() && sameRole(existing.get(), c.entry())) {
                return data;
            }
            return AwsAuthEditor.apply(data, existing.<AwsAuthEdit>map(r -> new AwsAuthEdit.UpdateRole(r.index(), c.entry()))
                    .orElse(new AwsAuthEdit.AddRole(c.entry())));
        } else if (change instanceof MappingChange.MapUser c) {
            Optional<UserMapping> existing = user(config, c.entry().userArn());
            if (existing.isPresent() && sameUser(existing.get(), c.entry())) {
                return data;
            }
            return AwsAuthEditor.apply(data, existing.<AwsAuthEdit>map(u -> new AwsAuthEdit.UpdateUser(u.index(), c.entry()))
                    .orElse(new AwsAuthEdit.AddUser(c.entry())));
        } else if (change instanceof MappingChange.MapAccount c) {
            return account(config, c.accountId()).isPresent() ? data
                    : AwsAuthEditor.apply(data, new AwsAuthEdit.AddAccount(c.accountId()));
        }
        // Removals repeat until no entry for the principal is left: with duplicates, removing the
        // winner would hand the principal to the next one.
        Map<String, String> current = data;
        for (int guard = 0; guard < 1_000; guard++) {
            AwsAuthConfig now = AwsAuthParser.parse(current);
            Optional<AwsAuthEdit> removal = removal(now, change);
            if (removal.isEmpty()) {
                return current;
            }
            current = AwsAuthEditor.apply(current, removal.get());
        }
        throw ConsoleException.invalid("error.awsauth.too-many-removals", change.principal());
    }

    private static Optional<AwsAuthEdit> removal(AwsAuthConfig config, MappingChange change) {
        if (change instanceof MappingChange.UnmapRole c) {
            return role(config, c.roleArn()).map(r -> new AwsAuthEdit.RemoveRole(r.index()));
        } else if (change instanceof MappingChange.UnmapUser c) {
            return user(config, c.userArn()).map(u -> new AwsAuthEdit.RemoveUser(u.index()));
        }
        return account(config, ((MappingChange.UnmapAccount) change).accountId())
                .map(a -> new AwsAuthEdit.RemoveAccount(a.index()));
    }

    /**
     * What undoes the change: the entry as it was before, or its removal if there was none, with what the
     * change left ({@code after}'s mapping), so that taking it back later keeps what others changed since.
     */
    private static MappingChange inverse(AwsAuthConfig before, AwsAuthConfig after, MappingChange change) {
        if (change instanceof MappingChange.MapRole || change instanceof MappingChange.UnmapRole) {
            String arn = change.principal();
            MappingChange.Granted left = arn == null ? null : role(after, arn)
                    .map(r -> new MappingChange.Granted(r.username(), r.groups())).orElse(MappingChange.Granted.NONE);
            return role(before, arn).<MappingChange>map(r -> new MappingChange.MapRole(
                            new AwsAuthEdit.RoleEntry(r.roleArn(), null, r.username(), r.groups()), left))
                    .orElse(new MappingChange.UnmapRole(arn, left));
        } else if (change instanceof MappingChange.MapUser || change instanceof MappingChange.UnmapUser) {
            String arn = change.principal();
            MappingChange.Granted left = user(after, arn).map(u -> new MappingChange.Granted(u.username(), u.groups()))
                    .orElse(MappingChange.Granted.NONE);
            return user(before, arn).<MappingChange>map(u -> new MappingChange.MapUser(
                            new AwsAuthEdit.UserEntry(u.userArn(), u.username(), u.groups()), left))
                    .orElse(new MappingChange.UnmapUser(arn, left));
        }
        String account = change.principal();
        return account(before, account).isPresent() ? new MappingChange.MapAccount(account)
                : new MappingChange.UnmapAccount(account);
    }

    private static Optional<RoleMapping> role(AwsAuthConfig config, String arn) {
        return config.roles().stream().filter(r -> !r.roleArn().isEmpty() && r.roleArn().equalsIgnoreCase(arn))
                .reduce((first, second) -> second);
    }

    private static Optional<UserMapping> user(AwsAuthConfig config, String arn) {
        return config.users().stream().filter(u -> u.userArn().equalsIgnoreCase(arn)).reduce((first, second) -> second);
    }

    private static Optional<AccountMapping> account(AwsAuthConfig config, String accountId) {
        return config.accounts().stream().filter(a -> a.accountId().equals(accountId)).findFirst();
    }

    private static boolean sameRole(RoleMapping mapping, AwsAuthEdit.RoleEntry entry) {
        return mapping.username().equals(entry.username()) && mapping.groups().equals(entry.groups());
    }

    private static boolean sameUser(UserMapping mapping, AwsAuthEdit.UserEntry entry) {
        return mapping.username().equals(entry.username()) && mapping.groups().equals(entry.groups());
    }

    /** One unified diff over all data keys that changed, in key order. */
    static List<String> diff(Map<String, String> before, Map<String, String> after) {
        List<String> lines = new ArrayList<>();
        for (String key : new TreeSet<>(union(before, after).keySet())) {
            String was = before.getOrDefault(key, "");
            String now = after.getOrDefault(key, "");
            if (!was.equals(now)) {
                lines.addAll(UnifiedDiff.render("data." + key, was, now));
            }
        }
        return lines;
    }

    private static Map<String, String> union(Map<String, String> a, Map<String, String> b) {
        Map<String, String> all = new LinkedHashMap<>(a);
        all.putAll(b);
        return all;
    }
}
