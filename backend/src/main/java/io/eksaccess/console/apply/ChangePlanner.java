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

    private final AwsAuthValidator validator;
    private final LockoutCheck lockout;

    public ChangePlanner(AwsAuthValidator validator, LockoutCheck lockout) {
        this.validator = validator;
        this.lockout = lockout;
    }

    public ChangePlan plan(Map<String, String> before, MappingChange change) {
        AwsAuthConfig beforeConfig = AwsAuthParser.parse(before);
        List<String> refusals = new ArrayList<>();
        Map<String, String> after;
        try {
            // Beyond the reader's limits nothing can be planned on it: a section read as empty
            // would be rewritten from nothing.
            AwsAuthParser.read(before);
            after = edit(before, change);
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
                refusals, lockout.problems(beforeConfig, afterConfig), inverse(beforeConfig, change));
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

    /** What undoes the change: the entry as it was before, or its removal if there was none. */
    private static MappingChange inverse(AwsAuthConfig before, MappingChange change) {
        if (change instanceof MappingChange.MapRole || change instanceof MappingChange.UnmapRole) {
            String arn = change.principal();
            return role(before, arn).<MappingChange>map(r -> new MappingChange.MapRole(
                            new AwsAuthEdit.RoleEntry(r.roleArn(), null, r.username(), r.groups())))
                    .orElse(new MappingChange.UnmapRole(arn));
        } else if (change instanceof MappingChange.MapUser || change instanceof MappingChange.UnmapUser) {
            String arn = change.principal();
            return user(before, arn).<MappingChange>map(u -> new MappingChange.MapUser(
                            new AwsAuthEdit.UserEntry(u.userArn(), u.username(), u.groups())))
                    .orElse(new MappingChange.UnmapUser(arn));
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
