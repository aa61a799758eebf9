package io.eksaccess.console.awsauth.goyaml;

/**
 * Where go-yaml (a port of libyaml) and SnakeYAML disagree about YAML syntax, make SnakeYAML see
 * what go-yaml sees, before it scans:
 * <ul>
 *   <li>a TAB used as separation (after {@code :}, {@code ,}, a tag, anchor or quoted
 *       scalar, or trailing before a comment or the line's end) is accepted by go-yaml and refused
 *       by SnakeYAML: it becomes a space. Tabs inside scalars and in indentation are left alone;</li>
 *   <li>in a flow collection, a {@code :} inside a plain scalar and not followed by a blank
 *       ({@code [arn:aws:iam::1:user/x]}, {@code {k: arn:}}) is part of the scalar for go-yaml, while
 *       SnakeYAML takes it for a value indicator: it becomes {@link #FLOW_COLON}, which
 *       {@link YamlTreeReader} turns back into {@code :} in scalar values;</li>
 *   <li>in a flow collection, a plain scalar glued to {@code :} and a flow collection
 *       ({@code {a:[b]}}) is an error in go-yaml that SnakeYAML accepts.</li>
 * </ul>
 * A tab and a space have the same length, so line and column numbers stay true.
 */
final class LibyamlSyntax {

    /** Stands in for a ':' that go-yaml reads as scalar content (a private-use character). */
    static final char FLOW_COLON = '\uE000';

    private LibyamlSyntax() {}

    /**
     * The text as SnakeYAML should scan it, and the first place where go-yaml's scanner fails
     * ({@code failAt} &lt; 0: nowhere). go-yaml fails there only if it scans that far: it reads
     * the first document only, so an error after that document's end is never seen.
     * {@link YamlTreeReader} decides that from the events.
     */
    record Normalized(String text, int failAt, String failure) {}

    /** The normalized text; an error where go-yaml's scanner fails, wherever that is. */
    static String normalize(String text) throws GoYamlException {
        Normalized normalized = scan(text);
        if (normalized.failAt() >= 0) {
            throw new GoYamlException(normalized.failure());
        }
        return normalized.text();
    }

    static Normalized scan(String text) {
        if ((text.indexOf('\t') < 0 && text.indexOf(':') < 0 && text.indexOf('%') < 0)
                || text.indexOf(FLOW_COLON) >= 0) {
            return afterEmptyRootCollection(text, -1, null);
        }
        int failAt = -1;
        String failure = null;
        char[] out = text.toCharArray();
        char quote = 0;
        int flowDepth = 0;
        int blockIndent = -1;
        int plainIndent = NOT_IN_PLAIN; // the previous line ended inside a plain scalar of this block indent
        int lineStart = 0;
        int lineNumber = 1;
        while (lineStart <= out.length) {
            int lineEnd = lineStart;
            while (lineEnd < out.length && out[lineEnd] != '\n') {
                lineEnd++;
            }
            int indent = 0;
            while (lineStart + indent < lineEnd && out[lineStart + indent] == ' ') {
                indent++;
            }
            int firstContent = lineStart;
            while (firstContent < lineEnd && (out[firstContent] == ' ' || out[firstContent] == '\t')) {
                firstContent++;
            }
            boolean blank = firstContent == lineEnd || out[firstContent] == '\r';
            if (quote == 0 && blockIndent >= 0 && (blank || indent > blockIndent)) {
                lineStart = lineEnd + 1; // block scalar content: every character is content
                lineNumber++;
                continue;
            }
            blockIndent = -1;
            if (plainIndent != NOT_IN_PLAIN && quote == 0 && flowDepth == 0 && !blank) {
                // A plain scalar going on: go-yaml takes tabs at or right of its indent + 1 as blanks.
                boolean tabsInside = true;
                for (int t = lineStart; t < firstContent; t++) {
                    tabsInside &= out[t] != '\t' || t - lineStart > plainIndent;
                }
                if (tabsInside) {
                    for (int t = lineStart; t < firstContent; t++) {
                        out[t] = ' ';
                    }
                }
            }
            boolean continuesPlain = plainIndent != NOT_IN_PLAIN && !blank && firstContent - lineStart > plainIndent;
            boolean sawComment = false;
            int lastQuoteClose = -1;
            int lastToken = -1; // end of the last non-comment token on this line
            for (int i = lineStart; i < lineEnd; i++) {
                char c = out[i];
                if (quote == '"') {
                    if (c == '\\') {
                        i++;
                    } else if (c == '"') {
                        quote = 0;
                        lastQuoteClose = i;
                        lastToken = i;
                    }
                    continue;
                }
                if (quote == '\'') {
                    if (c == '\'' && i + 1 < lineEnd && out[i + 1] == '\'') {
                        i++;
                    } else if (c == '\'') {
                        quote = 0;
                        lastQuoteClose = i;
                        lastToken = i;
                    }
                    continue;
                }
                if (c == '%' && i == lineStart && flowDepth == 0 && failAt < 0 && !isKnownDirective(out, i, lineEnd)) {
                    failAt = i; // go-yaml knows %YAML and %TAG only; SnakeYAML skips others
                    failure = "not valid YAML: line " + lineNumber + ": found unknown directive name";
                }
                char previous = i > lineStart ? out[i - 1] : ' ';
                boolean tokenStart = i == firstContent || previous == ' ' || previous == '\t'
                        || (flowDepth > 0 && "[{,".indexOf(previous) >= 0);
                if (c == '#' && (i == lineStart || previous == ' ' || previous == '\t')) {
                    sawComment = true;
                    break; // comment
                }
                if ((c == '"' || c == '\'') && tokenStart) {
                    quote = c;
                    continue;
                }
                if ((c == '[' || c == '{') && (tokenStart || flowDepth > 0 && previous == ':')) {
                    flowDepth++;
                } else if ((c == ']' || c == '}') && flowDepth > 0) {
                    flowDepth--;
                } else if (c == ':' && flowDepth > 0 && i > lineStart && isPlainChar(previous) && i - 1 != lastQuoteClose
                        && i + 1 < lineEnd && " \t\r".indexOf(out[i + 1]) < 0) {
                    if (out[i + 1] == '[' || out[i + 1] == '{') {
                        if (failAt < 0) {
                            failAt = i;
                            failure = "not valid YAML: line " + lineNumber + ": did not find expected ',' or '}'";
                        }
                    } else {
                        out[i] = FLOW_COLON;
                    }
                } else if (c == '\t' && i > firstContent) {
                    int runEnd = i;
                    while (runEnd < lineEnd && (out[runEnd] == '\t' || out[runEnd] == ' ')) {
                        runEnd++;
                    }
                    if (flowDepth == 0 && afterBlockIndicator(out, lineStart, i)) {
                        // After '-' or '?' go-yaml skips spaces only and refuses the tab; so does SnakeYAML.
                    } else if (isSeparation(out, lineStart, i, runEnd, lineEnd, lastQuoteClose, flowDepth)) {
                        for (int t = i; t < runEnd; t++) {
                            if (out[t] == '\t') {
                                out[t] = ' ';
                            }
                        }
                    }
                    i = runEnd - 1;
                    continue;
                }
                if (c != ' ' && c != '\t' && c != '\r') {
                    lastToken = i;
                }
            }
            if (!blank) {
                plainIndent = quote != 0 || flowDepth != 0 || sawComment || lastToken < 0 ? NOT_IN_PLAIN
                        : continuesPlain ? plainIndent : plainScalarIndent(out, lineStart, firstContent, lastToken);
            }
            if (quote == 0 && flowDepth == 0 && lastToken >= 0 && opensBlockScalar(out, lineStart, lastToken)) {
                blockIndent = indent;
            }
            lineStart = lineEnd + 1;
            lineNumber++;
        }
        return afterEmptyRootCollection(new String(out), failAt, failure);
    }

    /**
     * go-yaml forgets the simple-key candidate of a flow collection that closes empty (its
     * decrease_flow_level deletes the candidate of the collection's own start token), so after a
     * root {@code []} or {@code {}} it reads just one more token and ends the document, where
     * SnakeYAML reads on. The text is cut after the collection unless that next token is one
     * go-yaml refuses.
     */
    private static Normalized afterEmptyRootCollection(String text, int failAt, String failure) {
        java.util.regex.Matcher m = EMPTY_ROOT_COLLECTION.matcher(text);
        if (!m.find()) {
            return new Normalized(text, failAt, failure);
        }
        int cut = m.end();
        int next = cut;
        while (next < text.length() && " \t\r\n".indexOf(text.charAt(next)) >= 0) {
            next++;
        }
        if (next >= text.length() || text.charAt(next) == '#') {
            return new Normalized(text.substring(0, cut), -1, null);
        }
        if (text.substring(cut, next).indexOf('\n') >= 0) {
            // On a new line the next token may start a simple key, and go-yaml reads on for its
            // ':' -- unless it is itself an empty flow collection, which forgets its key the same way.
            java.util.regex.Matcher again = EMPTY_COLLECTION.matcher(text).region(next, text.length());
            return again.lookingAt() ? new Normalized(text.substring(0, again.end()), -1, null)
                    : new Normalized(text, failAt, failure);
        }
        char c = text.charAt(next);
        char after = next + 1 < text.length() ? text.charAt(next + 1) : '\n';
        boolean blankAfter = " \t\r\n".indexOf(after) >= 0;
        String refused = null;
        if (c == '@' || c == '`' || c == '%') {
            refused = "found character that cannot start any token";
        } else if (c == '-' && blankAfter) {
            refused = "block sequence entries are not allowed in this context";
        } else if (c == '?' && blankAfter) {
            refused = "mapping keys are not allowed in this context";
        } else if ((c == '&' || c == '*') && !(Character.isLetterOrDigit(after) || after == '-' || after == '_')) {
            refused = "did not find expected alphabetic or numeric character";
        } else if ((c == '\'' || c == '"') && text.indexOf(c, next + 1) < 0) {
            refused = "found unexpected end of stream";
        }
        return refused == null ? new Normalized(text.substring(0, cut), -1, null)
                : new Normalized(text, next, "not valid YAML: " + refused);
    }

    private static final java.util.regex.Pattern EMPTY_COLLECTION =
            java.util.regex.Pattern.compile("\\[[ \\t]*]|\\{[ \\t]*}");
    private static final java.util.regex.Pattern EMPTY_ROOT_COLLECTION =
            java.util.regex.Pattern.compile("\\A(?:[ \\t]*(?:#[^\\n]*)?\\n)*[ ]*(?:\\[[ \\t]*]|\\{[ \\t]*})");

    private static final int NOT_IN_PLAIN = Integer.MIN_VALUE;

    /**
     * When a block-context line ends inside a plain scalar ({@code - a}, {@code key: a b}), the
     * indent of the block collection holding it (the '-' or the key's column; -1 at the root);
     * else {@link #NOT_IN_PLAIN}.
     */
    private static int plainScalarIndent(char[] s, int lineStart, int firstContent, int last) {
        int indent = -1;
        int i = firstContent;
        while (i <= last && s[i] == '-' && (i == last || s[i + 1] == ' ')) {
            indent = i - lineStart;
            i += 1;
            while (i <= last && s[i] == ' ') {
                i++;
            }
        }
        if (i > last) {
            return NOT_IN_PLAIN; // a bare '-'
        }
        int valueStart = i;
        for (int k = i; k <= last; k++) {
            if (s[k] == ':' && (k == last || s[k + 1] == ' ')) {
                indent = i - lineStart; // a mapping key at this column
                valueStart = k + 1;
                while (valueStart <= last && s[valueStart] == ' ') {
                    valueStart++;
                }
                break;
            }
        }
        if (valueStart > last || "\"'[]{}|>&!*#%@`".indexOf(s[valueStart]) >= 0 || s[last] == '"' || s[last] == '\'') {
            return NOT_IN_PLAIN;
        }
        return indent;
    }

    private static boolean isKnownDirective(char[] s, int at, int lineEnd) {
        String line = new String(s, at, lineEnd - at);
        return line.matches("%(YAML|TAG)[ \t].*");
    }

    /** The whitespace before {@code tab} follows a block indicator ('-' or '?' then blanks). */
    private static boolean afterBlockIndicator(char[] s, int lineStart, int tab) {
        int i = tab - 1;
        while (i >= lineStart && s[i] == ' ') {
            i--;
        }
        return i >= lineStart && (s[i] == '-' || s[i] == '?') && (i == lineStart || s[i - 1] == ' ' || s[i - 1] == '\t');
    }

    /** The whitespace run [start, end) separates tokens rather than sitting inside a plain scalar. */
    private static boolean isSeparation(char[] s, int lineStart, int start, int end, int lineEnd, int lastQuoteClose,
            int flowDepth) {
        char next = end < lineEnd ? s[end] : '\n';
        if (next == '\n' || next == '\r' || next == '#') {
            return true; // trailing: go-yaml drops it from a plain scalar
        }
        if (next == ':' && (end + 1 >= lineEnd || s[end + 1] == ' ' || s[end + 1] == '\t' || s[end + 1] == '\r')) {
            return true; // trailing whitespace of a key
        }
        if (flowDepth > 0 && ",]}".indexOf(next) >= 0) {
            return true;
        }
        int end0 = start - 1; // the last character before the blanks that hold the tab
        while (end0 > lineStart && s[end0] == ' ') {
            end0--;
        }
        char previous = s[end0];
        if (end0 == lastQuoteClose || previous == ':'
                || flowDepth > 0 && (previous == ',' || previous == '[' || previous == '{')) {
            return true;
        }
        int wordStart = end0;
        while (wordStart > lineStart && s[wordStart - 1] != ' ' && s[wordStart - 1] != '\t') {
            wordStart--;
        }
        char first = s[wordStart];
        return first == '!' || first == '&' || first == '*';
    }

    /** {@code key: |}, {@code - >-}, {@code |2}: the line's last token is a block scalar header. */
    private static boolean opensBlockScalar(char[] s, int lineStart, int last) {
        int start = last;
        while (start > lineStart && s[start - 1] != ' ' && s[start - 1] != '\t') {
            start--;
        }
        if (s[start] != '|' && s[start] != '>') {
            return false;
        }
        for (int i = start + 1; i <= last; i++) {
            if ("+-0123456789".indexOf(s[i]) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlainChar(char c) {
        return c != ' ' && c != '\t' && "[]{},\"'".indexOf(c) < 0;
    }
}
