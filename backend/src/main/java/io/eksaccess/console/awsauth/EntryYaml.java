package io.eksaccess.console.awsauth;

import io.eksaccess.console.awsauth.goyaml.GoScalars;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Writes new entries as block YAML that go-yaml reads back to exactly the given strings. */
final class EntryYaml {

    private static final Pattern SAFE_PLAIN = Pattern.compile("[A-Za-z0-9_./@=+][A-Za-z0-9_./@=+:{}()*,-]*");

    private EntryYaml() {}

    /** The lines of one list item (without indentation), e.g. {@code - rolearn: …}, {@code   username: …}. */
    static List<String> role(AwsAuthEdit.RoleEntry entry) {
        List<String> fields = new ArrayList<>();
        if (entry.sso() == null) {
            fields.add("rolearn: " + scalar(entry.roleArn()));
        } else {
            fields.add("sso:");
            fields.add("  permissionSetName: " + scalar(entry.sso().permissionSetName()));
            fields.add("  accountID: " + quoted(entry.sso().accountId()));
            if (!entry.sso().partition().isEmpty()) {
                fields.add("  partition: " + scalar(entry.sso().partition()));
            }
        }
        fields.add("username: " + scalar(entry.username()));
        fields.addAll(groups(entry.groups()));
        return item(fields);
    }

    static List<String> user(AwsAuthEdit.UserEntry entry) {
        List<String> fields = new ArrayList<>();
        fields.add("userarn: " + scalar(entry.userArn()));
        fields.add("username: " + scalar(entry.username()));
        fields.addAll(groups(entry.groups()));
        return item(fields);
    }

    static List<String> account(String accountId) {
        return List.of("- " + quoted(accountId));
    }

    private static List<String> groups(List<String> groups) {
        if (groups.isEmpty()) {
            return List.of("groups: []");
        }
        List<String> lines = new ArrayList<>();
        lines.add("groups:");
        groups.forEach(group -> lines.add("  - " + scalar(group)));
        return lines;
    }

    private static List<String> item(List<String> fields) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            lines.add((i == 0 ? "- " : "  ") + fields.get(i));
        }
        return lines;
    }

    /** Plain when go-yaml reads the text back as that same string, double-quoted otherwise. */
    static String scalar(String value) {
        boolean plainIsSame = SAFE_PLAIN.matcher(value).matches() && !value.endsWith(":")
                && !value.contains(": ") && GoScalars.resolvePlain(value).value() instanceof String s && s.equals(value);
        return plainIsSame ? value : quoted(value);
    }

    static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7F || c == 0x85 || (c >= 0x80 && c < 0xA0) || c == 0xFEFF || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04X", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }
}
