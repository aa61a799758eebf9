package io.eksaccess.console.awsauth;

import io.eksaccess.console.system.Sentence;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a new entry survives the trip through aws-auth: written by {@link AwsAuthEditor} (as the
 * apply writes it) and read back by {@link AwsAuthParser} (as the authenticator reads it) to exactly
 * the same ARN, username and groups. A value that does not (e.g. a username starting with {@code @},
 * which YAML reserves) would otherwise pass filing and fail at apply with a reason about the ConfigMap.
 */
public final class EntryRoundTrip {

    private static final String PROBE_ARN = "arn:aws:iam::111122223333:role/round-trip";
    private static final String PROBE_NAME = "round-trip";

    private EntryRoundTrip() {}

    /** Why the role entry cannot be written exactly, naming the field and the offending character; empty when it can. */
    public static Optional<Sentence> problem(AwsAuthEdit.RoleEntry entry) {
        if (roleSurvives(entry)) {
            return Optional.empty();
        }
        return firstProblem(entry.roleArn(), entry.username(), entry.groups(), true);
    }

    public static Optional<Sentence> problem(AwsAuthEdit.UserEntry entry) {
        if (userSurvives(entry)) {
            return Optional.empty();
        }
        return firstProblem(entry.userArn(), entry.username(), entry.groups(), false);
    }

    private static Optional<Sentence> firstProblem(String arn, String username, List<String> groups, boolean role) {
        java.util.function.Predicate<String> arnOk = value -> role
                ? roleSurvives(new AwsAuthEdit.RoleEntry(value, null, PROBE_NAME, List.of()))
                : userSurvives(new AwsAuthEdit.UserEntry(value, PROBE_NAME, List.of()));
        java.util.function.Predicate<String> usernameOk = value -> role
                ? roleSurvives(new AwsAuthEdit.RoleEntry(PROBE_ARN, null, value, List.of()))
                : userSurvives(new AwsAuthEdit.UserEntry(PROBE_ARN.replace(":role/", ":user/"), value, List.of()));
        java.util.function.Predicate<String> groupOk = value -> role
                ? roleSurvives(new AwsAuthEdit.RoleEntry(PROBE_ARN, null, PROBE_NAME, List.of(value)))
                : userSurvives(new AwsAuthEdit.UserEntry(PROBE_ARN.replace(":role/", ":user/"), PROBE_NAME,
                        List.of(value)));
        if (!arnOk.test(arn)) {
            // A prefix of an ARN is no ARN, so there is no character to point at.
            return Optional.of(Sentence.of("error.roundtrip.arn", arn.length() > 80 ? arn.substring(0, 80) + "…" : arn));
        }
        if (!usernameOk.test(username)) {
            return Optional.of(describe("username", username, usernameOk));
        }
        for (String group : groups) {
            if (!groupOk.test(group)) {
                return Optional.of(describe("group", group, groupOk));
            }
        }
        return Optional.of(Sentence.of("error.roundtrip.entry"));
    }

    /** The first character at which the value stops surviving (the shortest failing prefix ends there). */
    private static Sentence describe(String field, String value, java.util.function.Predicate<String> survives) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        for (int end = 1; end <= value.length(); end++) {
            if (!survives.test(value.substring(0, end))) {
                String c = String.valueOf(value.charAt(end - 1));
                return field.equals("username") ? Sentence.of("error.roundtrip.username-at", shown, c, end)
                        : Sentence.of("error.roundtrip.group-at", shown, c, end);
            }
        }
        return field.equals("username") ? Sentence.of("error.roundtrip.username", shown)
                : Sentence.of("error.roundtrip.group", shown);
    }

    private static boolean roleSurvives(AwsAuthEdit.RoleEntry entry) {
        try {
            AwsAuthConfig read = AwsAuthParser.parse(AwsAuthEditor.apply(Map.of(), new AwsAuthEdit.AddRole(entry)));
            return read.errors().isEmpty() && read.roles().size() == 1
                    && read.roles().get(0).roleArn().equals(entry.roleArn())
                    && read.roles().get(0).username().equals(entry.username())
                    && read.roles().get(0).groups().equals(entry.groups());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean userSurvives(AwsAuthEdit.UserEntry entry) {
        try {
            AwsAuthConfig read = AwsAuthParser.parse(AwsAuthEditor.apply(Map.of(), new AwsAuthEdit.AddUser(entry)));
            return read.errors().isEmpty() && read.users().size() == 1
                    && read.users().get(0).userArn().equals(entry.userArn())
                    && read.users().get(0).username().equals(entry.username())
                    && read.users().get(0).groups().equals(entry.groups());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
