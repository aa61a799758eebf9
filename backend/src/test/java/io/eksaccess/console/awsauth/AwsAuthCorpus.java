package io.eksaccess.console.awsauth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded generator of aws-auth ConfigMap data: valid maps, subtly invalid ones (missing or
 * doubled ARNs, bad sso blocks, wrong types, case-varied and duplicate keys, YAML 1.1 scalars,
 * null and scalar entries, anchors, merges, flow and block style, comments) and hostile ones
 * (random mutations of the above, non-list sections, JSON text, bad tags and aliases).
 */
final class AwsAuthCorpus {

    private final Random random;

    AwsAuthCorpus(long seed) {
        this.random = new Random(seed);
    }

    Map<String, String> next() {
        Map<String, String> data = new LinkedHashMap<>();
        int shape = random.nextInt(100);
        if (random.nextInt(10) < 8) {
            data.put("mapRoles", maybeMutate(section(true)));
        }
        if (random.nextInt(10) < 6) {
            data.put("mapUsers", maybeMutate(section(false)));
        }
        if (random.nextInt(10) < 5) {
            data.put("mapAccounts", maybeMutate(accounts()));
        }
        if (shape < 5) {
            data.put(pick("mapRoles", "mapUsers", "mapAccounts"), pick("", "  \n", "\"\"", "''", "``", "# only a comment\n",
                    "~", "null", "[]", "{}", "{\"rolearn\": \"x\"}", "foo", "- a\n- b\n", "---\n", "--- |\n  text\n"));
        }
        if (shape >= 95) {
            data.put("other", "kept: as-is\n");
        }
        return data;
    }

    private String maybeMutate(String text) {
        if (random.nextInt(100) >= 12 || text.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text);
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations && !out.isEmpty(); m++) {
            int at = random.nextInt(out.length());
            switch (random.nextInt(5)) {
                case 0 -> out.deleteCharAt(at);
                case 1 -> out.insert(at, pick(":", "-", "[", "]", "{", "}", "#", "&a", "*a", "!", "|", ">", "'", "\"", "%", "@",
                        "`", " ", "  ", "\t", "\n", "? ", ", ", "&x ", "*x", "<<: ", "!!int ", "!!str ", "---\n", "...\n"));
                case 2 -> {
                    int lineStart = out.lastIndexOf("\n", at) + 1;
                    out.insert(lineStart, " ");
                }
                case 3 -> {
                    int lineStart = out.lastIndexOf("\n", at) + 1;
                    int lineEnd = out.indexOf("\n", at);
                    if (lineEnd > lineStart) {
                        out.insert(lineEnd + 1, out.substring(lineStart, lineEnd + 1));
                    }
                }
                default -> out.setCharAt(at, (char) (' ' + random.nextInt(95)));
            }
        }
        return out.toString();
    }

    private String section(boolean roles) {
        int kind = random.nextInt(100);
        if (kind < 4) {
            return flowSection(roles);
        }
        if (kind < 6) {
            return roles ? "rolearn: " + roleArn() + "\nusername: x\n" : "userarn: " + userArn() + "\n";
        }
        if (kind < 9) {
            return anchored(roles);
        }
        String indent = pick("", "", "  ", "    ");
        String seqIndent = pick("  ", "  ", "    ");
        StringBuilder out = new StringBuilder();
        if (random.nextInt(8) == 0) {
            out.append(pick("# aws-auth\n", "---\n", "\n", "# " + "x".repeat(3) + "\n"));
        }
        int entries = random.nextInt(6);
        for (int i = 0; i < entries; i++) {
            out.append(entry(roles, indent, seqIndent));
            if (random.nextInt(10) == 0) {
                out.append(indent).append("# comment between entries\n");
            }
        }
        if (random.nextInt(30) == 0) {
            out.append("---\n- ").append(roles ? "rolearn: second-document\n" : "userarn: second-document\n");
        }
        return out.toString();
    }

    private String entry(boolean roles, String indent, String seqIndent) {
        int kind = random.nextInt(100);
        if (kind < 3) {
            return indent + pick("-\n", "- ~\n", "- null\n", "- foo\n", "- 42\n", "- [a, b]\n", "- []\n", "- {}\n") ;
        }
        List<String> lines = new ArrayList<>();
        if (roles) {
            int arnShape = random.nextInt(100);
            if (arnShape < 70) {
                lines.add(key("rolearn") + ": " + scalar(roleArn()));
            } else if (arnShape < 82) {
                lines.add(key("sso") + ":");
                lines.addAll(ssoBlock(seqIndent));
            } else if (arnShape < 87) {
                lines.add(key("sso") + ": " + pick("{permissionSetName: Admin, accountID: \"111122223333\"}",
                        "{permissionSetName: ReadOnly, accountID: '111122223333', partition: aws-cn}", "foo", "[1]",
                        "null", "{}", "{permissionSetName: Admin, accountID: 111122223333}"));
            } else if (arnShape < 92) {
                lines.add(key("rolearn") + ": " + scalar(roleArn()));
                lines.add(key("sso") + ": {permissionSetName: Admin, accountID: \"111122223333\"}");
            } else if (arnShape < 96) {
                lines.add(key("rolearn") + ": " + oddScalar());
            }
        } else {
            int arnShape = random.nextInt(100);
            if (arnShape < 85) {
                lines.add(key("userarn") + ": " + scalar(userArn()));
            } else if (arnShape < 93) {
                lines.add(key("userarn") + ": " + oddScalar());
            }
        }
        if (random.nextInt(10) < 8) {
            lines.add(key("username") + ": " + (random.nextInt(8) == 0 ? oddScalar() : scalar(username())));
        }
        if (random.nextInt(10) < 8) {
            lines.addAll(groups(seqIndent));
        }
        if (random.nextInt(12) == 0) {
            lines.add(key("userid") + ": " + pick("AROAEXAMPLE", "\"AIDAEXAMPLE\"", "12", "~"));
        }
        if (random.nextInt(10) == 0) {
            lines.add(pick("unknown", "rolearns", "user-name", "Groups2", "extra") + ": " + pick("x", "[1, 2]", "{a: b}", ".inf", "~"));
        }
        if (random.nextInt(12) == 0) {
            // a duplicate (possibly case-varied) key: which one wins depends on JSON key order
            String field = roles ? pick("rolearn", "username", "groups", "sso") : pick("userarn", "username", "groups");
            lines.add(key(field) + ": " + (field.equals("groups") ? pick("[a, b, c]", "[~, 5]", "[]", "~", "x")
                    : field.equals("sso") ? pick("{accountID: \"111122223333\"}", "~", "{permissionSetName: X}")
                    : random.nextBoolean() ? scalar(roles ? roleArn() : userArn()) : oddScalar()));
        }
        if (random.nextInt(25) == 0) {
            lines.add(pick("? [complex]\n" + "  : key", "~: nullkey", "1.5: floatkey", "true: boolkey", "<<: {username: merged}",
                    "<<: [{username: a}, {groups: [b]}]", "<<: notamap", "!!str rolearn: tagged"));
        }
        java.util.Collections.shuffle(lines, random);
        if (random.nextInt(15) == 0 && !lines.isEmpty()) {
            return indent + "- {" + String.join(", ", lines.stream().filter(l -> !l.contains("\n") && !l.endsWith(":")
                    && !l.startsWith("- ")).toList()) + "}\n";
        }
        if (lines.isEmpty()) {
            return indent + "- " + pick("{}", "~", "") + "\n";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String[] parts = lines.get(i).split("\n", -1);
            for (int p = 0; p < parts.length; p++) {
                out.append(indent).append(i == 0 && p == 0 ? "- " : "  ").append(parts[p]);
                if (p == 0 && random.nextInt(20) == 0) {
                    out.append(" # trailing comment");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private List<String> ssoBlock(String seqIndent) {
        List<String> lines = new ArrayList<>();
        lines.add("  " + key("permissionSetName") + ": " + pick("AdministratorAccess", "ReadOnly", "Bad*Name", "",
                "a".repeat(33), "View.Only@x", "123"));
        lines.add("  " + key("accountID") + ": " + pick("\"111122223333\"", "'444455556666'", "111122223333", "1234",
                "\"12345678901a\"", "~"));
        if (random.nextBoolean()) {
            lines.add("  " + key("partition") + ": " + pick("aws", "aws-cn", "aws-us-gov", "aws-nk", "\"\"", "AWS"));
        }
        java.util.Collections.shuffle(lines, random);
        return lines;
    }

    private List<String> groups(String seqIndent) {
        List<String> groups = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            groups.add(random.nextInt(12) == 0 ? oddScalar() : scalar(group()));
        }
        String key = key("groups");
        return switch (random.nextInt(6)) {
            case 0, 1 -> List.of(key + ": [" + String.join(", ", groups) + "]");
            case 2 -> List.of(key + ": " + pick("system:masters", "~", "", "{a: b}", "[[nested]]", "[~, 1, x]"));
            default -> {
                List<String> lines = new ArrayList<>();
                lines.add(key + ":" + (groups.isEmpty() ? " []" : ""));
                for (String g : groups) {
                    lines.add(seqIndent + "- " + g);
                }
                yield lines;
            }
        };
    }

    private String flowSection(boolean roles) {
        String field = roles ? "rolearn" : "userarn";
        return pick("[{" + field + ": " + (roles ? roleArn() : userArn()) + ", username: u, groups: [g]}]\n",
                "[{\"" + field + "\": \"" + (roles ? roleArn() : userArn()) + "\", \"username\": \"u\"}]",
                "[]\n", "[{" + field + ": a}, ~, {" + field + ": b, groups: [x, y]}]\n",
                "[{" + field + ": [unclosed}]\n");
    }

    private String anchored(boolean roles) {
        String field = roles ? "rolearn" : "userarn";
        return pick(
                "- &base\n  " + field + ": " + (roles ? roleArn() : userArn()) + "\n  username: base\n  groups: &g [a, b]\n"
                        + "- <<: *base\n  " + field + ": other\n- " + field + ": third\n  groups: *g\n",
                "- " + field + ": x\n  username: &u name\n- " + field + ": y\n  username: *u\n",
                "- " + field + ": x\n  username: *undefined\n",
                "- &e [*e]\n",
                "- " + field + ": x\n  groups: &a [a, a, a, a, a, a, a, a, a, a]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                        + "  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                        + "  e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n");
    }

    private String accounts() {
        int kind = random.nextInt(100);
        if (kind < 5) {
            return pick("[\"111122223333\", 444455556666]\n", "{a: b}\n", "111122223333\n", "- a\n- {x: y}\n- !!int abc\n- d\n",
                    "- [nested]\n- \"111122223333\"\n", "- &a \"1\"\n- *a\n", "- !!binary aGVsbG8=\n", "- !!float 1\n");
        }
        StringBuilder out = new StringBuilder();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            out.append("- ").append(pick("\"111122223333\"", "444455556666", "'777788889999'", "0123", "0x1F", "yes", "~",
                    "1e3", ".inf", "", "2001-01-01", "12_345")).append('\n');
        }
        return out.toString();
    }

    private String key(String name) {
        return switch (random.nextInt(30)) {
            case 0 -> name.toUpperCase();
            case 1 -> Character.toUpperCase(name.charAt(0)) + name.substring(1);
            case 2 -> name.replace("s", "\u017f"); // ſ folds with s in encoding/json
            case 3 -> name.replace("k", "\u212a"); // the Kelvin sign folds with k
            case 4 -> "\"" + name + "\"";
            default -> name;
        };
    }

    private String scalar(String value) {
        if (value.startsWith("{") && random.nextInt(10) > 0) {
            return "\"" + value + "\""; // unquoted it is a flow mapping, which kills the section
        }
        return switch (random.nextInt(6)) {
            case 0 -> "\"" + value + "\"";
            case 1 -> "'" + value + "'";
            default -> value;
        };
    }

    private String oddScalar() {
        return pick("yes", "no", "y", "n", "on", "off", "true", "False", "~", "null", "", "\"\"", "123", "0x1F", "0o17", "08",
                "0b101", "-0b11", "1e3", "1e400", ".5", "+.5", ".inf", "-.Inf", ".nan", "1_000", "2001-01-01", "12:30",
                "!!str 123", "!!int 12", "!!int abc", "!!float 1", "!!bool yes", "!custom tag", "!!binary aGVsbG8=",
                "[a]", "{a: b}", "|\n  block", "&anchor value", "'quoted'", "<<", "99999999999999999999",
                "18446744073709551615", "-9223372036854775808", "0xFFFFFFFFFFFFFFFFFF");
    }

    private String roleArn() {
        return pick("arn:aws:iam::111122223333:role/Admins", "arn:aws:iam::111122223333:role/NodeInstanceRole",
                "arn:aws:iam::111122223333:role/path/to/Dev", "arn:aws:iam::111122223333:role/ADMINS",
                "arn:aws:sts::111122223333:assumed-role/Admins/alice", "arn:aws-cn:iam::444455556666:role/Ops",
                "arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef", "not-an-arn",
                "arn:aws:iam::111122223333:role/İstanbul");
    }

    private String userArn() {
        return pick("arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/Alice",
                "arn:aws:iam::111122223333:user/ops/bob", "arn:aws:iam::111122223333:root", "bob");
    }

    private String username() {
        return pick("admin:{{SessionName}}", "system:node:{{EC2PrivateDNSName}}", "alice", "ops-{{AccountID}}",
                "{{SessionNameRaw}}", "key-{{AccessKeyID}}", "dev user");
    }

    private String group() {
        return pick("system:masters", "system:bootstrappers", "system:nodes", "developers", "view-only", "{{SessionName}}");
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }
}
