package io.eksaccess.console.awsauth;

import io.eksaccess.console.awsauth.goyaml.GoStrings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * "Who is this?": the mapping a caller ARN hits and the username and groups it gets, following
 * the authenticator's ConfigMapMapper and server: canonicalize the ARN, lower-case it, look in
 * mapRoles, then mapUsers, then mapAccounts (which yields the canonical ARN as username and no
 * groups), then render the username and group templates.
 *
 * <p>Offline, {@code {{AccessKeyID}}} and {@code {{EC2PrivateDNSName}}} cannot be known; they stay
 * as written and a note says so. {@code {{SessionName}}} is the session name with "@" replaced by
 * "-", {@code {{SessionNameRaw}}} the session name as is, {@code {{AccountID}}} the caller's account.
 */
public final class WhoIs {

    private static final Pattern INSTANCE_ID = Pattern.compile("i-(\\w{8}|\\w{17})");

    /** {@code entryIndex} is the entry's position in its section's YAML list. */
    public record Answer(boolean mapped, Section via, int entryIndex, String username, List<String> groups,
            List<String> notes) {

        static Answer notMapped(List<String> notes) {
            return new Answer(false, null, -1, null, List.of(), notes);
        }
    }

    private WhoIs() {}

    /**
     * @param ssoRoleMatch whether the authenticator runs with the alpha {@code SSORoleMatch}
     *     feature gate; off by default, and without it {@code sso} entries never match
     * @throws IllegalArgumentException when the authenticator would refuse the ARN itself
     */
    public static Answer resolve(AwsAuthConfig config, String callerArn, boolean ssoRoleMatch) {
        CallerArn caller = CallerArn.canonicalize(callerArn);
        String subject = GoStrings.toLower(caller.canonicalArn());
        List<String> notes = new ArrayList<>();

        // MapStore keeps one mapping per key (the last one written) in a Go map, then takes the
        // first match in Go's random map order.
        Map<String, RoleMapping> roles = new LinkedHashMap<>();
        config.roles().forEach(role -> roles.put(role.key(), role));
        List<RoleMapping> roleHits = new ArrayList<>();
        for (RoleMapping role : roles.values()) {
            if (!role.roleArn().isEmpty() ? GoStrings.equalFold(role.roleArn(), subject)
                    : ssoRoleMatch && ArnLike.matches(subject, role.ssoArnLike())) {
                roleHits.add(role);
            } else if (!ssoRoleMatch && role.sso() != null && ArnLike.matches(subject, role.ssoArnLike())) {
                notes.add("mapRoles[" + role.index() + "] (sso) would match if the authenticator ran with "
                        + "--feature-gates=SSORoleMatch=true; it is off by default");
            }
        }
        if (!roleHits.isEmpty()) {
            noteAmbiguity(roleHits.size(), Section.MAP_ROLES, notes);
            RoleMapping hit = roleHits.get(0);
            return render(caller, Section.MAP_ROLES, hit.index(), hit.username(), hit.groups(), notes);
        }
        Map<String, UserMapping> users = new LinkedHashMap<>();
        config.users().forEach(user -> users.put(user.key(), user));
        List<UserMapping> userHits = users.values().stream()
                .filter(user -> GoStrings.equalFold(user.userArn(), subject)).toList();
        if (!userHits.isEmpty()) {
            noteAmbiguity(userHits.size(), Section.MAP_USERS, notes);
            UserMapping hit = userHits.get(0);
            return render(caller, Section.MAP_USERS, hit.index(), hit.username(), hit.groups(), notes);
        }
        for (AccountMapping account : config.accounts()) {
            if (account.accountId().equals(caller.accountId())) {
                return new Answer(true, Section.MAP_ACCOUNTS, account.index(), caller.canonicalArn(), List.of(), notes);
            }
        }
        return Answer.notMapped(notes);
    }

    private static void noteAmbiguity(int hits, Section section, List<String> notes) {
        if (hits > 1) {
            notes.add(hits + " " + section.key() + " entries match; the authenticator picks one of them at random"
                    + " (shown: the first)");
        }
    }

    private static Answer render(CallerArn caller, Section via, int index, String username, List<String> groups,
            List<String> notes) {
        List<String> renderedGroups = new ArrayList<>();
        for (String group : groups) {
            renderedGroups.add(renderTemplate(group, caller, notes));
        }
        return new Answer(true, via, index, renderTemplate(username, caller, notes), renderedGroups, notes);
    }

    /** server.go renderTemplate, in the same order of replacements. */
    public static String renderTemplate(String template, CallerArn caller, List<String> notes) {
        String session = caller.sessionName();
        if (template.contains("{{EC2PrivateDNSName}}")) {
            if (session != null && !INSTANCE_ID.matcher(session).matches()) {
                addOnce(notes, "the authenticator refuses this caller: {{EC2PrivateDNSName}} needs a session name"
                        + " that is an EC2 instance ID, and '" + session + "' is not");
            } else {
                addOnce(notes, "{{EC2PrivateDNSName}} is looked up in EC2 at sign-in; shown unrendered");
            }
        }
        String out = template.replace("{{AccountID}}", caller.accountId());
        if (session != null) {
            out = out.replace("{{SessionName}}", session.replace("@", "-"));
            out = out.replace("{{SessionNameRaw}}", session);
        } else if (template.contains("{{SessionName")) {
            addOnce(notes, "the session name is not part of an IAM role ARN; paste the assumed-role ARN to render it");
        }
        if (template.contains("{{AccessKeyID}}")) {
            addOnce(notes, "{{AccessKeyID}} is the caller's access key at sign-in; shown unrendered");
        }
        return out;
    }

    private static void addOnce(List<String> notes, String note) {
        if (!notes.contains(note)) {
            notes.add(note);
        }
    }
}
