package io.eksaccess.console.awsauth;

import io.eksaccess.console.awsauth.goyaml.Echo;
import io.eksaccess.console.awsauth.goyaml.GoStrings;
import io.eksaccess.console.awsauth.goyaml.GoYamlDecoder;
import io.eksaccess.console.awsauth.goyaml.GoYamlException;
import io.eksaccess.console.awsauth.goyaml.GoYamlLimitException;
import io.eksaccess.console.awsauth.goyaml.JsonRoundTrip;
import io.eksaccess.console.awsauth.goyaml.YamlNode;
import io.eksaccess.console.awsauth.goyaml.YamlTreeReader;
import io.eksaccess.console.system.Sentence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads aws-auth exactly as aws-iam-authenticator v0.7.10's {@code configmap.ParseMap} does
 * (DESIGN invariant 6), held to it by a differential test against the real thing.
 *
 * <ul>
 *   <li>mapRoles / mapUsers: go-yaml v2 → JSON (sigs.k8s.io/yaml) → encoding/json into the
 *       structs, then {@code Validate()}; an entry that fails validation is dropped, the others
 *       stay. A section that cannot be read contributes nothing.
 *   <li>mapAccounts: go-yaml v2 straight into {@code []string}.
 *   <li>A section that is blank, {@code ""}, {@code ''} or two backticks is skipped.
 * </ul>
 *
 * <p>Input beyond the console's limits (size, depth counted through aliases, alias expansion) is
 * not the authenticator's error: {@link #read} refuses it, {@link #parse} reports the section.
 */
public final class AwsAuthParser {

    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
    private static final Pattern PERMISSION_SET_NAME = Pattern.compile("[A-Za-z0-9_+=,.@-]{1,32}");
    /** pkg/endpoints PARTITIONS. */
    public static final List<String> PARTITIONS =
            List.of("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc");

    private AwsAuthParser() {}

    /**
     * For views that show aws-auth: a section beyond the console's limits makes the whole of it
     * unreadable, since the console cannot say what the authenticator makes of it.
     *
     * @throws AwsAuthUnreadableException naming the section and the limit
     */
    public static AwsAuthConfig read(Map<String, String> configMapData) throws AwsAuthUnreadableException {
        return parse(configMapData, true);
    }

    /**
     * Never throws: a section beyond the console's limits becomes an error of that section, and
     * contributes no mapping (for callers that plan or compare rather than show).
     */
    public static AwsAuthConfig parse(Map<String, String> configMapData) {
        try {
            return parse(configMapData, false);
        } catch (AwsAuthUnreadableException e) {
            throw new IllegalStateException("unreachable: limits are section errors here", e);
        }
    }

    private static AwsAuthConfig parse(Map<String, String> configMapData, boolean strict)
            throws AwsAuthUnreadableException {
        List<EntryError> errors = new ArrayList<>();
        List<UserMapping> users = new ArrayList<>();
        List<RoleMapping> roles = new ArrayList<>();
        List<AccountMapping> accounts = new ArrayList<>();
        String usersText = configMapData.get(Section.MAP_USERS.key());
        if (usersText != null && !isSkippable(usersText)) {
            readMappings(Section.MAP_USERS, usersText, strict, errors, (index, lines, fields) -> {
                Sentence error = validateUser(fields);
                if (error == null) {
                    users.add(new UserMapping(index, lines, fields.get("userarn"), fields.get("username"),
                            fields.groups.values(), fields.get("userid")));
                }
                return error;
            });
        }
        String rolesText = configMapData.get(Section.MAP_ROLES.key());
        if (rolesText != null && !isSkippable(rolesText)) {
            readMappings(Section.MAP_ROLES, rolesText, strict, errors, (index, lines, fields) -> {
                Sentence error = validateRole(fields);
                if (error == null) {
                    SsoMatcher sso = fields.sso == null ? null : new SsoMatcher(fields.sso.get("permissionSetName"),
                            fields.sso.get("accountID"), fields.sso.get("partition"));
                    roles.add(new RoleMapping(index, lines, fields.get("rolearn"), sso, fields.get("username"),
                            fields.groups.values(), fields.get("userid")));
                }
                return error;
            });
        }
        String accountsText = configMapData.get(Section.MAP_ACCOUNTS.key());
        if (accountsText != null && !isSkippable(accountsText)) {
            readAccounts(accountsText, strict, accounts, errors);
        }
        Map<String, String> data = new java.util.LinkedHashMap<>();
        configMapData.forEach((k, v) -> {
            if (v != null) {
                data.put(k, v);
            }
        });
        return new AwsAuthConfig(roles, users, accounts, errors, data);
    }

    /** isSkippable in configmap.go. */
    static boolean isSkippable(String text) {
        String trimmed = GoStrings.trimSpace(text);
        return trimmed.isEmpty() || trimmed.equals("``") || trimmed.equals("\"\"") || trimmed.equals("''");
    }

    private interface EntryHandler {
        /** Keeps a valid entry; returns the validation error of an invalid one. */
        Sentence accept(int index, SourceLines lines, JsonStructDecoder.Fields fields);
    }

    private static void readMappings(Section section, String text, boolean strict, List<EntryError> errors,
            EntryHandler handler) throws AwsAuthUnreadableException {
        if (GoStrings.looksLikeJsonObject(text)) {
            // utilyaml.ToJSON passes text starting with "{" through as JSON: an object is never a list.
            errors.add(new EntryError(section, null, null, true,
                    Sentence.of("text.aws-auth-read.json-object", section.key())));
            return;
        }
        YamlNode root;
        Object json;
        try {
            root = YamlTreeReader.read(text);
            json = JsonRoundTrip.toJsonValue(GoYamlDecoder.decodeInterface(root));
        } catch (GoYamlLimitException e) {
            beyondLimits(section, e, strict, errors);
            return;
        } catch (GoYamlException e) {
            // go-yaml's own words for what it could not read, as the authenticator would log them.
            errors.add(new EntryError(section, null, null, true,
                    Sentence.of("text.aws-auth-read.unreadable", section.key(), e.getMessage())));
            return;
        }
        if (json == null) {
            return; // only comments: nothing mapped, no error
        }
        if (!(json instanceof List<?> list)) {
            errors.add(new EntryError(section, null, linesOf(root), true,
                    Sentence.of("text.aws-auth-read.not-a-list", section.key(), JsonStructDecoder.describe(json))));
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            SourceLines lines = root.kind() == YamlNode.Kind.SEQUENCE && i < root.children().size()
                    ? linesOf(root.children().get(i)) : null;
            JsonStructDecoder.Fields fields = section == Section.MAP_ROLES
                    ? JsonStructDecoder.decodeRole(list.get(i)) : JsonStructDecoder.decodeUser(list.get(i));
            Sentence invalid = handler.accept(i, lines, fields);
            for (Sentence typeError : fields.typeErrors) {
                errors.add(new EntryError(section, i, lines, invalid != null, invalid != null ? typeError
                        : Sentence.of("text.aws-auth-read.kept-without-value", typeError)));
            }
            if (invalid != null) {
                errors.add(new EntryError(section, i, lines, true, Sentence.of("text.aws-auth-read.entry-ignored", invalid)));
            }
        }
    }

    private static Sentence validateRole(JsonStructDecoder.Fields fields) {
        String roleArn = fields.get("rolearn");
        if (roleArn.isEmpty() && fields.sso == null) {
            return Sentence.of("text.aws-auth-read.role-neither");
        }
        if (!roleArn.isEmpty() && fields.sso != null) {
            return Sentence.of("text.aws-auth-read.role-both");
        }
        if (fields.sso != null) {
            String accountId = fields.sso.get("accountID");
            String name = fields.sso.get("permissionSetName");
            String partition = fields.sso.get("partition");
            if (!ACCOUNT_ID.matcher(accountId).matches()) {
                return Sentence.of("text.aws-auth-read.sso-account", Echo.of(accountId));
            }
            if (!PERMISSION_SET_NAME.matcher(name).matches()) {
                return Sentence.of("text.aws-auth-read.sso-permission-set", Echo.of(name));
            }
            if (!partition.isEmpty() && !PARTITIONS.contains(partition)) {
                return Sentence.of("text.aws-auth-read.sso-partition", Echo.of(partition));
            }
        }
        return null;
    }

    private static Sentence validateUser(JsonStructDecoder.Fields fields) {
        return fields.get("userarn").isEmpty() ? Sentence.of("text.aws-auth-read.user-no-arn") : null;
    }

    private static void readAccounts(String text, boolean strict, List<AccountMapping> accounts, List<EntryError> errors)
            throws AwsAuthUnreadableException {
        YamlNode root;
        GoYamlDecoder.StringListResult result;
        try {
            root = YamlTreeReader.read(text);
            result = GoYamlDecoder.decodeStringList(root);
        } catch (GoYamlLimitException e) {
            beyondLimits(Section.MAP_ACCOUNTS, e, strict, errors);
            return;
        } catch (GoYamlException e) {
            errors.add(new EntryError(Section.MAP_ACCOUNTS, null, null, true,
                    Sentence.of("text.aws-auth-read.unreadable", Section.MAP_ACCOUNTS.key(), e.getMessage())));
            return;
        }
        for (int i = 0; i < result.values().size(); i++) {
            int index = result.sourceIndexes().get(i);
            SourceLines lines = index >= 0 && root.kind() == YamlNode.Kind.SEQUENCE
                    ? linesOf(root.children().get(index)) : null;
            accounts.add(new AccountMapping(index, lines, result.values().get(i)));
        }
        if (result.error() != null) {
            // The decoder's go-yaml type errors, in go-yaml's words.
            errors.add(new EntryError(Section.MAP_ACCOUNTS, null, linesOf(root), false,
                    Sentence.of("text.aws-auth-read.accounts-not-ids", result.error())));
        }
    }

    private static void beyondLimits(Section section, GoYamlLimitException e, boolean strict, List<EntryError> errors)
            throws AwsAuthUnreadableException {
        if (strict) {
            throw new AwsAuthUnreadableException(section.key() + ": " + e.getMessage());
        }
        errors.add(new EntryError(section, null, null, true,
                Sentence.of("text.aws-auth-read.beyond-limits", section.key(), e.getMessage())));
    }

    private static SourceLines linesOf(YamlNode node) {
        return node == null ? null : new SourceLines(node.startLine() + 1, node.lastLine() + 1);
    }
}
