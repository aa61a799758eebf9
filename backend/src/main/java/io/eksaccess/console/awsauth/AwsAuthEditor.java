package io.eksaccess.console.awsauth;

import io.eksaccess.console.awsauth.goyaml.GoYamlException;
import io.eksaccess.console.awsauth.goyaml.YamlNode;
import io.eksaccess.console.awsauth.goyaml.YamlTreeReader;
import io.eksaccess.console.system.ConsoleException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies an {@link AwsAuthEdit} to the original text of the section it concerns, so that every
 * other entry keeps its exact bytes, order, comments and formatting, and the other data keys are
 * untouched (DESIGN invariant 4). Only the edited entry's lines change: a removed entry's lines
 * go, an updated entry's lines are replaced, a new entry is appended after the last one with the
 * list's indentation. The result is read back: an edit that would add an error, or change any
 * entry but the edited one (several documents, shared anchors), is refused.
 */
public final class AwsAuthEditor {

    /** The edit cannot be made by changing lines (the list is in flow style, or entries share lines). */
    private AwsAuthEditor() {}

    public static Map<String, String> apply(Map<String, String> data, AwsAuthEdit edit) {
        Section section = sectionOf(edit);
        SectionText text = SectionText.of(section, data.getOrDefault(section.key(), ""));
        String after;
        if (edit instanceof AwsAuthEdit.AddRole e) {
            after = text.append(EntryYaml.role(e.entry()));
        } else if (edit instanceof AwsAuthEdit.UpdateRole e) {
            after = text.replace(e.index(), EntryYaml.role(e.entry()));
        } else if (edit instanceof AwsAuthEdit.RemoveRole e) {
            after = text.replace(e.index(), List.of());
        } else if (edit instanceof AwsAuthEdit.AddUser e) {
            after = text.append(EntryYaml.user(e.entry()));
        } else if (edit instanceof AwsAuthEdit.UpdateUser e) {
            after = text.replace(e.index(), EntryYaml.user(e.entry()));
        } else if (edit instanceof AwsAuthEdit.RemoveUser e) {
            after = text.replace(e.index(), List.of());
        } else if (edit instanceof AwsAuthEdit.AddAccount e) {
            after = text.append(EntryYaml.account(e.accountId()));
        } else {
            after = text.replace(((AwsAuthEdit.RemoveAccount) edit).index(), List.of());
        }
        Map<String, String> result = new LinkedHashMap<>(data);
        result.put(section.key(), after);
        AwsAuthConfig before = AwsAuthParser.parse(data);
        AwsAuthConfig afterConfig = AwsAuthParser.parse(result);
        if (afterConfig.errors().size() > before.errors().size()) {
            throw ConsoleException.invalid("error.awsauth.edit-leaves-error", section.key());
        }
        if (!contents(afterConfig, section).equals(expectedContents(before, section, edit))) {
            throw ConsoleException.invalid("error.awsauth.edit-spills", section.key());
        }
        return result;
    }

    /** What the authenticator keeps of a section, without positions. */
    private static List<Object> contents(AwsAuthConfig config, Section section) {
        return switch (section) {
            case MAP_ROLES -> new ArrayList<>(config.roles().stream().map(AwsAuthEditor::content).toList());
            case MAP_USERS -> new ArrayList<>(config.users().stream().map(AwsAuthEditor::content).toList());
            case MAP_ACCOUNTS -> new ArrayList<>(config.accounts().stream().map(AccountMapping::accountId).toList());
        };
    }

    private static Object content(RoleMapping r) {
        return List.of(r.roleArn(), String.valueOf(r.sso()), r.username(), r.groups(), r.userId());
    }

    private static Object content(UserMapping u) {
        return List.of(u.userArn(), u.username(), u.groups(), u.userId());
    }

    private static List<Object> expectedContents(AwsAuthConfig before, Section section, AwsAuthEdit edit) {
        List<Object> expected = contents(before, section);
        List<Integer> indexes = switch (section) {
            case MAP_ROLES -> before.roles().stream().map(RoleMapping::index).toList();
            case MAP_USERS -> before.users().stream().map(UserMapping::index).toList();
            case MAP_ACCOUNTS -> before.accounts().stream().map(AccountMapping::index).toList();
        };
        if (edit instanceof AwsAuthEdit.AddRole e) {
            expected.add(content(e.entry()));
        } else if (edit instanceof AwsAuthEdit.AddUser e) {
            expected.add(List.of(e.entry().userArn(), e.entry().username(), e.entry().groups(), ""));
        } else if (edit instanceof AwsAuthEdit.AddAccount e) {
            expected.add(e.accountId());
        } else {
            int target = targetIndex(edit);
            int position = indexes.indexOf(target);
            Object replacement = edit instanceof AwsAuthEdit.UpdateRole e ? content(e.entry())
                    : edit instanceof AwsAuthEdit.UpdateUser e
                            ? List.of(e.entry().userArn(), e.entry().username(), e.entry().groups(), "") : null;
            if (position >= 0) {
                expected.remove(position);
            } else {
                position = (int) indexes.stream().filter(i -> i < target).count();
            }
            if (replacement != null) {
                expected.add(position, replacement);
            }
        }
        return expected;
    }

    private static Object content(AwsAuthEdit.RoleEntry entry) {
        return List.of(entry.sso() == null ? entry.roleArn() : "", String.valueOf(entry.sso()), entry.username(),
                entry.groups(), "");
    }

    private static int targetIndex(AwsAuthEdit edit) {
        if (edit instanceof AwsAuthEdit.UpdateRole e) {
            return e.index();
        }
        if (edit instanceof AwsAuthEdit.RemoveRole e) {
            return e.index();
        }
        if (edit instanceof AwsAuthEdit.UpdateUser e) {
            return e.index();
        }
        if (edit instanceof AwsAuthEdit.RemoveUser e) {
            return e.index();
        }
        return ((AwsAuthEdit.RemoveAccount) edit).index();
    }

    private static Section sectionOf(AwsAuthEdit edit) {
        if (edit instanceof AwsAuthEdit.AddRole || edit instanceof AwsAuthEdit.UpdateRole
                || edit instanceof AwsAuthEdit.RemoveRole) {
            return Section.MAP_ROLES;
        }
        if (edit instanceof AwsAuthEdit.AddUser || edit instanceof AwsAuthEdit.UpdateUser
                || edit instanceof AwsAuthEdit.RemoveUser) {
            return Section.MAP_USERS;
        }
        return Section.MAP_ACCOUNTS;
    }

    /** A section's text split into lines (with their line breaks) and the line span of each list item. */
    private record SectionText(Section section, List<String> lines, List<int[]> items, String indent) {

        static SectionText of(Section section, String text) {
            List<String> lines = splitLines(text);
            YamlNode root;
            try {
                root = AwsAuthParser.isSkippable(text) ? null : YamlTreeReader.read(text);
            } catch (GoYamlException e) {
                throw ConsoleException.invalid("error.awsauth.section-unreadable", section.key(), e.getMessage());
            }
            List<int[]> items = new ArrayList<>();
            String indent = "";
            // Only comments, or a null: no entries yet, new ones go at the end.
            if (root != null && !isNull(root)) {
                if (root.kind() != YamlNode.Kind.SEQUENCE || root.isFlow()) {
                    throw ConsoleException.invalid("error.awsauth.not-a-block-list", section.key());
                }
                int previousLast = -1;
                for (YamlNode item : root.children()) {
                    int first = dashLine(lines, item);
                    if (first <= previousLast) {
                        throw ConsoleException.invalid("error.awsauth.shared-line", section.key());
                    }
                    items.add(new int[] {first, item.lastLine()});
                    previousLast = item.lastLine();
                }
                if (!items.isEmpty()) {
                    String firstLine = lines.get(items.get(0)[0]);
                    indent = firstLine.substring(0, firstLine.indexOf('-'));
                }
            }
            return new SectionText(section, lines, items, indent);
        }

        String append(List<String> itemLines) {
            List<String> out = new ArrayList<>(lines);
            int at = items.isEmpty() ? out.size() : items.get(items.size() - 1)[1] + 1;
            if (at > 0 && at == out.size() && !endsWithBreak(out.get(at - 1))) {
                out.set(at - 1, out.get(at - 1) + "\n");
            }
            out.addAll(at, indented(itemLines));
            return String.join("", out);
        }

        String replace(int index, List<String> itemLines) {
            if (index < 0 || index >= items.size()) {
                throw new IllegalArgumentException(section.key() + " has no entry " + index);
            }
            int[] span = items.get(index);
            List<String> out = new ArrayList<>(lines.subList(0, span[0]));
            List<String> replacement = indented(itemLines);
            String lastOld = lines.get(span[1]);
            if (!replacement.isEmpty() && !endsWithBreak(lastOld)) {
                int last = replacement.size() - 1;
                replacement.set(last, replacement.get(last).substring(0, replacement.get(last).length() - 1));
            }
            out.addAll(replacement);
            out.addAll(lines.subList(span[1] + 1, lines.size()));
            return String.join("", out);
        }

        private List<String> indented(List<String> itemLines) {
            return itemLines.stream().map(line -> indent + line + "\n").toList();
        }
    }

    private static boolean isNull(YamlNode root) {
        try {
            return root.kind() == YamlNode.Kind.SCALAR && io.eksaccess.console.awsauth.goyaml.GoYamlDecoder.decodeInterface(root) == null;
        } catch (GoYamlException e) {
            return false;
        }
    }

    /** The line of the item's "-" indicator: the node itself may start on a later line. */
    private static int dashLine(List<String> lines, YamlNode item) {
        int line = item.startLine();
        int column = item.startColumn();
        while (line >= 0) {
            String text = stripBreak(lines.get(line));
            for (int c = Math.min(column, text.length()) - 1; c >= 0; c--) {
                char ch = text.charAt(c);
                if (ch == '-') {
                    return line;
                }
                if (ch != ' ' && ch != '\t') {
                    throw ConsoleException.invalid("error.awsauth.entry-not-own-line", item.startLine() + 1);
                }
            }
            line--;
            column = Integer.MAX_VALUE;
        }
        throw ConsoleException.invalid("error.awsauth.entry-no-indicator", item.startLine() + 1);
    }

    /** Lines with their breaks, split where YAML 1.1 breaks lines (as the parser counts them). */
    static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                i++;
            } else if (c != '\n' && c != '\r' && c != '\u0085' && c != '\u2028' && c != '\u2029') {
                continue;
            }
            lines.add(text.substring(start, i + 1));
            start = i + 1;
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    private static boolean endsWithBreak(String line) {
        return !line.isEmpty() && "\n\r\u0085\u2028\u2029".indexOf(line.charAt(line.length() - 1)) >= 0;
    }

    private static String stripBreak(String line) {
        int end = line.length();
        while (end > 0 && "\n\r\u0085\u2028\u2029".indexOf(line.charAt(end - 1)) >= 0) {
            end--;
        }
        return line.substring(0, end);
    }
}
