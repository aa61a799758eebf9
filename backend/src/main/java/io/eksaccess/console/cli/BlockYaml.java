package io.eksaccess.console.cli;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A streaming reader for the block YAML that {@code kubectl get -o yaml} (go-yaml) and most tools
 * write: block mappings and sequences (indentless or indented), one-line plain, single- and
 * double-quoted scalars, literal and folded block scalars as mapping values, {@code []}, {@code {}}
 * and {@code ---} between documents, and comments: whole lines whose first non-space is {@code #},
 * and {@code " #"} to the end of a line without quotes. It reads a line
 * at a time and hands over each item of a document's top-level sequence or top-level
 * {@code items} sequence as soon as it is read, so a 25,000-object {@code List} is never a tree.
 *
 * <p>Exact by refusal: whatever is outside that subset (anchors, aliases, tags, block scalars
 * as sequence items, comments inside multi-line plain scalars or after quotes, flow collections, escapes, tabs, non-ASCII, duplicate keys, multi-line scalars other than a
 * mapping's plain values, deep
 * nesting, anything SnakeYAML would reject) throws {@link OutsideSubset}, and the caller reads
 * the file with SnakeYAML instead. Within the subset the values equal SnakeYAML's
 * {@code SafeConstructor}: the same {@link Resolver} types plain scalars (only strings and nulls
 * are accepted), mappings are {@link LinkedHashMap}s and sequences {@link ArrayList}s.
 */
final class BlockYaml {

    /** The text leaves the subset; nothing read so far may be used. No stack trace: it is control flow. */
    static final class OutsideSubset extends Exception {
        OutsideSubset(String why) {
            super(why, null, false, false);
        }
    }

    /** Receives a file's content in order. */
    interface Sink {
        /** An element of document {@code document}'s top-level sequence, or of its top-level mapping's {@code items}. */
        void item(int document, Object item) throws OutsideSubset;

        /**
         * The end of a document that was not a top-level sequence: its value (a top-level mapping
         * without {@code items} when {@code itemsStreamed}), or null for an empty document.
         */
        void document(int document, Object value, boolean itemsStreamed) throws OutsideSubset;
    }

    /** Below the SnakeYAML path's nesting limit (100), so a deeper document is left to it and its message. */
    static final int MAX_DEPTH = 90;
    private static final Resolver RESOLVER = new Resolver();

    private final Reader in;
    private final char[] chunk = new char[1 << 16];
    private int chunkPos;
    private int chunkLen;
    private char[] line = new char[256];
    private int lineLen;
    private boolean hasLine;
    /** Leading spaces of the current line, or where its content starts after "- " (a compact entry). */
    private int indent;
    private int document = -1;

    private BlockYaml(Reader in) {
        this.in = in;
    }

    static void read(Reader in, Sink sink) throws IOException, OutsideSubset {
        new BlockYaml(in).readAll(sink);
    }

    /**
     * The second part of document 0 split inside its top-level mapping's {@code items} (an
     * indentless sequence at column 0): the items from here on go to the sink, as {@link #read}
     * would hand them over; then the mapping's keys after {@code items}, returned, and nothing else.
     */
    static Map<String, Object> readRestOfItems(Reader in, Sink sink) throws IOException, OutsideSubset {
        BlockYaml yaml = new BlockYaml(in);
        yaml.document = 0;
        yaml.advance();
        if (!yaml.hasLine || yaml.indent != 0 || !yaml.isSequenceItem()) {
            throw new OutsideSubset("not an item at column 0");
        }
        yaml.readSequence(0, 2, sink); // as read: the items of the top-level mapping (depth 1)
        Map<String, Object> rest = new LinkedHashMap<>();
        if (yaml.hasLine && !yaml.isDocumentStart()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> keys = (Map<String, Object>) yaml.readMapping(0, 1, null);
            rest = keys;
        }
        if (yaml.hasLine) {
            throw new OutsideSubset("more than one document");
        }
        return rest;
    }

    private void readAll(Sink sink) throws IOException, OutsideSubset {
        advance();
        while (hasLine) {
            if (isDocumentStart()) {
                document++;
                advance();
                if (!hasLine || isDocumentStart()) {
                    sink.document(document, null, false);
                    continue;
                }
            } else if (document == -1) {
                document = 0;
            } else {
                throw new OutsideSubset("content after the end of a document");
            }
            if (indent != 0) {
                throw new OutsideSubset("indented top level");
            }
            if (isSequenceItem()) {
                readSequence(0, 1, sink);
            } else if (keyEnd(indent) >= 0) {
                readMapping(0, 1, sink);
            } else {
                throw new OutsideSubset("a top-level scalar");
            }
            if (hasLine && !isDocumentStart()) {
                throw new OutsideSubset("unexpected indentation");
            }
        }
    }

    /** A block mapping whose keys start at column {@code at}; {@code root} streams its items through the sink. */
    private Object readMapping(int at, int depth, Sink root) throws IOException, OutsideSubset {
        checkDepth(depth);
        Map<String, Object> map = new LinkedHashMap<>();
        boolean itemsStreamed = false;
        while (hasLine && indent == at && !isDocumentStart()) {
            int colon = keyEnd(at);
            if (colon < 0) {
                throw new OutsideSubset("not a key");
            }
            Object key = scalar(at, trimEnd(at, colon), true);
            if (!(key instanceof String name) || map.containsKey(name) || (itemsStreamed && name.equals("items"))) {
                throw new OutsideSubset("a key that is not a string, or a duplicate key");
            }
            int start = skipSpaces(colon + 1);
            boolean streamItems = root != null && name.equals("items");
            Object value;
            if (start == lineLen) {
                advance();
                if (!hasLine || isDocumentStart()) {
                    value = null;
                } else if (indent > at) {
                    value = readBlock(indent, depth + 1, streamItems ? root : null);
                } else if (indent == at && isSequenceItem()) {
                    value = readSequence(at, depth + 1, streamItems ? root : null); // kubectl's indentless sequence
                } else {
                    value = null;
                }
                if (streamItems && value == STREAMED) {
                    itemsStreamed = true;
                    continue;
                }
            } else if (line[start] == '|' || line[start] == '>') {
                value = blockScalar(at, start);
                if (hasLine && indent > at) {
                    throw new OutsideSubset("a line indented less than its block scalar");
                }
            } else {
                // A plain value may go on over more-indented lines (go-yaml wraps long text at 80
                // columns): its first line is kept until the next line shows whether it does.
                boolean plain = plainStart(line[start]);
                boolean commented = lineCommented;
                OutsideSubset refused = null;
                if (plain) {
                    hold(start, trimEnd(start, lineLen));
                    try {
                        value = inline(start);
                    } catch (OutsideSubset e) {
                        refused = e; // e.g. "1" alone is no string, but "1 2" over two lines is
                        value = null;
                    }
                } else {
                    value = inline(start);
                }
                advance();
                if (hasLine && indent > at) {
                    if (!plain) {
                        throw new OutsideSubset("a multi-line scalar");
                    }
                    if (commented || skippedComment) {
                        throw new OutsideSubset("a comment inside a multi-line plain scalar"); // SnakeYAML ends it there
                    }
                    value = multiLinePlain(at);
                } else if (refused != null) {
                    throw refused;
                }
            }
            map.put(name, value);
        }
        if (hasLine && indent > at) {
            throw new OutsideSubset("unexpected indentation");
        }
        if (root != null) {
            root.document(document, map, itemsStreamed);
        }
        return map;
    }

    private static final Object STREAMED = new Object();

    /** A block sequence whose "-" is at column {@code at}; with a sink, its items go there and it returns {@link #STREAMED}. */
    private Object readSequence(int at, int depth, Sink sink) throws IOException, OutsideSubset {
        checkDepth(depth);
        List<Object> list = sink == null ? new ArrayList<>() : null;
        while (hasLine && indent == at && isSequenceItem()) {
            Object item;
            int start = skipSpaces(at + 1);
            if (start == lineLen) {
                advance();
                item = hasLine && !isDocumentStart() && indent > at ? readBlock(indent, depth + 1, null) : null;
            } else if (start == at + 1) {
                throw new OutsideSubset("\"-\" not followed by a space");
            } else if (line[start] == '-' && (start + 1 == lineLen || line[start + 1] == ' ')) {
                throw new OutsideSubset("a compact nested sequence");
            } else if (keyEnd(start) >= 0) {
                indent = start; // "- key: value": the mapping's keys are at this column
                item = readMapping(start, depth + 1, null);
            } else {
                item = inline(start);
                advance();
                if (hasLine && indent > at) {
                    throw new OutsideSubset("a multi-line scalar");
                }
            }
            if (sink == null) {
                list.add(item);
            } else {
                sink.item(document, item);
            }
        }
        if (hasLine && indent > at) {
            throw new OutsideSubset("unexpected indentation");
        }
        return sink == null ? list : STREAMED;
    }

    private Object readBlock(int at, int depth, Sink items) throws IOException, OutsideSubset {
        if (isSequenceItem()) {
            return readSequence(at, depth, items);
        }
        if (keyEnd(at) >= 0) {
            return readMapping(at, depth, null);
        }
        throw new OutsideSubset("a multi-line scalar");
    }

    /**
     * A literal ({@code |}) or folded ({@code >}) block scalar, a mapping value whose key is at
     * column {@code at}: kubectl writes them for multi-line annotations such as
     * last-applied-configuration. Its header is on this line (chomping and indentation indicators
     * in either order); its content is the following lines indented at least the block's
     * indentation, and empty lines. Lines are joined, folded and chomped as SnakeYAML's scanner
     * does. A line of only spaces is refused (SnakeYAML counts its spaces in ways not worth
     * copying). Leaves the first line after the scalar current.
     */
    private String blockScalar(int at, int start) throws IOException, OutsideSubset {
        boolean folded = line[start] == '>';
        int chomp = 0; // -1 strip ("-"), 0 clip, 1 keep ("+")
        int increment = 0;
        int i = start + 1;
        for (int part = 0; part < 2 && i < lineLen; part++) {
            char c = line[i];
            if (chomp == 0 && (c == '+' || c == '-')) {
                chomp = c == '+' ? 1 : -1;
                i++;
            } else if (increment == 0 && c >= '1' && c <= '9') {
                increment = c - '0';
                i++;
            }
        }
        if (skipSpaces(i) != lineLen) {
            throw new OutsideSubset("text after a block scalar's header");
        }
        int blockIndent = increment > 0 ? at + increment : -1;
        int leadingBreaks = 0;
        int spaces = nextContentLine();
        while (spaces == 0 && lineLen == 0 && hasLine) {
            leadingBreaks++;
            spaces = nextContentLine();
        }
        if (blockIndent < 0) {
            blockIndent = Math.max(at + 1, hasLine ? spaces : 0);
        }
        StringBuilder text = new StringBuilder();
        int breaks = leadingBreaks;
        boolean lineBreak = false;
        while (hasLine && spaces >= blockIndent) {
            text.append("\n".repeat(breaks));
            boolean leadingNonSpace = line[blockIndent] != ' ';
            text.append(line, blockIndent, lineLen - blockIndent);
            lineBreak = lineBroken;
            breaks = 0;
            spaces = nextContentLine();
            while (hasLine && lineLen == 0) {
                breaks++;
                spaces = nextContentLine();
            }
            if (!hasLine || spaces < blockIndent) {
                break;
            }
            if (folded && lineBreak && leadingNonSpace && line[blockIndent] != ' ') {
                if (breaks == 0) {
                    text.append(' ');
                }
            } else if (lineBreak) {
                text.append('\n');
            }
        }
        if (chomp >= 0 && lineBreak) {
            text.append('\n');
        }
        if (chomp > 0) {
            text.append("\n".repeat(breaks));
        }
        if (hasLine) {
            // The line after the scalar, read raw: a comment line ends the scalar like any less-indented line.
            if (!uncomment(spaces)) {
                advance();
            } else {
                indent = spaces;
            }
        }
        return text.toString();
    }

    /**
     * Reads the next raw line for a block scalar: its leading spaces (0 for an empty line, and
     * hasLine false at the end). A line of only spaces is refused.
     */
    private int nextContentLine() throws IOException, OutsideSubset {
        if (!readLine()) {
            hasLine = false;
            lineLen = 0;
            return 0;
        }
        hasLine = true;
        int spaces = skipSpaces(0);
        if (spaces == lineLen && lineLen > 0) {
            throw new OutsideSubset("a line of only spaces in a block scalar");
        }
        return spaces;
    }

    /** The first line of a plain value, while its next line is read. */
    private char[] held = new char[128];
    private int heldLen;

    private void hold(int start, int end) {
        if (end - start > held.length) {
            held = new char[Math.max(end - start, held.length * 2)];
        }
        System.arraycopy(line, start, held, 0, end - start);
        heldLen = end - start;
    }

    /**
     * A plain scalar whose first line is held and whose next line (current, indented more than
     * the key at {@code at}) continues it. Folded as SnakeYAML folds it: each line trimmed, a
     * single line break becomes a space, n empty lines become n line breaks; then typed by the
     * resolver. Continuation lines must look like a plain scalar's start, and blank lines of
     * spaces are refused, which keeps to what SnakeYAML reads the same way.
     */
    private Object multiLinePlain(int at) throws IOException, OutsideSubset {
        checkPlain(held, 0, heldLen);
        StringBuilder text = new StringBuilder(heldLen * 2).append(held, 0, heldLen);
        while (hasLine && indent > at) {
            if (skippedSpaces) {
                throw new OutsideSubset("a line of only spaces in a multi-line scalar");
            }
            int end = trimEnd(indent, lineLen);
            if (end - indent >= 3 && (line[indent] == '-' || line[indent] == '.') && line[indent + 1] == line[indent]
                    && line[indent + 2] == line[indent]) {
                throw new OutsideSubset("a document marker in a multi-line scalar");
            }
            checkPlain(line, indent, end);
            boolean commented = lineCommented;
            if (skippedBlank == 0) {
                text.append(' ');
            } else {
                text.append("\n".repeat(skippedBlank));
            }
            text.append(line, indent, end - indent);
            advance();
            if (hasLine && indent > at && (commented || skippedComment)) {
                throw new OutsideSubset("a comment inside a multi-line plain scalar"); // SnakeYAML ends it there
            }
        }
        String folded = text.toString();
        String resolved = Strings.resolved(folded);
        if (resolved == NOT_A_STRING) {
            throw new OutsideSubset("a plain scalar that is not a string");
        }
        return resolved == NULL ? null : folded;
    }

    /**
     * A plain scalar's text within the subset: a plain first character and no ": ". Flow
     * indicators ({@code ,[]{}}) after the first character are text in block context, as in prose.
     */
    private static void checkPlain(char[] text, int start, int end) throws OutsideSubset {
        char first = text[start];
        if (!plainStart(first) || first == '-' && (end == start + 1 || text[start + 1] == ' ')) {
            throw new OutsideSubset("a value starting with an indicator");
        }
        for (int i = start; i < end; i++) {
            char c = text[i];
            if (c == ':' && (i + 1 == end || text[i + 1] == ' ')) {
                throw new OutsideSubset("\": \" in a plain scalar");
            }
        }
    }

    private static void checkDepth(int depth) throws OutsideSubset {
        if (depth > MAX_DEPTH) {
            throw new OutsideSubset("deep nesting");
        }
    }

    /** A value on the rest of the line: a scalar, [] or {}. */
    private Object inline(int start) throws OutsideSubset {
        int end = trimEnd(start, lineLen);
        if (end - start == 2 && line[start] == '[' && line[start + 1] == ']') {
            return new ArrayList<>();
        }
        if (end - start == 2 && line[start] == '{' && line[start + 1] == '}') {
            return new LinkedHashMap<>();
        }
        return scalar(start, end, false);
    }

    /** A one-line scalar from start to end (no trailing spaces), typed as SnakeYAML types it; strings and nulls only. */
    private Object scalar(int start, int end, boolean key) throws OutsideSubset {
        char first = line[start];
        if (first == '"' || first == '\'') {
            if (end - start < 2 || line[end - 1] != first) {
                throw new OutsideSubset("a quoted scalar that does not end on its line");
            }
            boolean doubled = false;
            for (int i = start + 1; i < end - 1; i++) {
                char c = line[i];
                if (first == '"' && (c == '"' || c == '\\')) {
                    throw new OutsideSubset("an escape in a double-quoted scalar");
                }
                if (first == '\'' && c == '\'') {
                    if (i + 1 < end - 1 && line[i + 1] == '\'') {
                        i++;
                        doubled = true;
                    } else {
                        throw new OutsideSubset("a lone quote");
                    }
                }
            }
            return doubled ? new String(line, start + 1, end - start - 2).replace("''", "'")
                    : strings.get(line, start + 1, end - 1, false);
        }
        if (!plainStart(first) || first == '-' && (end == start + 1 || line[start + 1] == ' ')) {
            throw new OutsideSubset("a value starting with an indicator");
        }
        for (int i = start; i < end; i++) {
            char c = line[i];
            if (c == ':' && (i + 1 == end || line[i + 1] == ' ')) {
                throw new OutsideSubset("\": \" in a plain scalar");
            }
        }
        String text = strings.get(line, start, end, true);
        if (text == NOT_A_STRING) {
            throw new OutsideSubset("a plain scalar that is not a string");
        }
        if (text == NULL) {
            if (key) {
                throw new OutsideSubset("a null key");
            }
            return null;
        }
        return text;
    }

    /** Markers a plain scalar resolves to when it is no string (compared by identity). */
    private static final String NULL = new String("null");
    private static final String NOT_A_STRING = new String("not a string");

    /**
     * Each distinct scalar once: its String (shared by every object that repeats it, as keys,
     * namespaces and verbs do) and, for plain scalars, SnakeYAML's type for it. The Resolver
     * tries a regular expression on every plain scalar; this asks it once per distinct text.
     */
    private static final class Strings {
        private static final int MAX_LENGTH = 128;
        private String[] texts = new String[1 << 14];
        /** Per slot: the text's characters and hash, compared before the text is (cheaper than String.charAt). */
        private char[][] characters = new char[1 << 14][];
        private int[] hashes = new int[1 << 14];
        /** Per slot: the resolved plain scalar (the text, NULL or NOT_A_STRING); null until asked as plain. */
        private String[] plain = new String[1 << 14];
        private int size;

        String get(char[] chars, int start, int end, boolean resolve) {
            if (end - start > MAX_LENGTH) {
                String text = new String(chars, start, end - start);
                return resolve ? resolved(text) : text;
            }
            int hash = 0;
            for (int i = start; i < end; i++) {
                hash = 31 * hash + chars[i];
            }
            int mask = texts.length - 1;
            int slot = (hash ^ hash >>> 16) & mask;
            while (texts[slot] != null && (hashes[slot] != hash || !same(characters[slot], chars, start, end))) {
                slot = (slot + 1) & mask;
            }
            if (texts[slot] == null) {
                texts[slot] = new String(chars, start, end - start);
                characters[slot] = java.util.Arrays.copyOfRange(chars, start, end);
                hashes[slot] = hash;
                if (++size * 2 > texts.length) {
                    grow();
                    return get(chars, start, end, resolve);
                }
            }
            if (!resolve) {
                return texts[slot];
            }
            if (plain[slot] == null) {
                plain[slot] = resolved(texts[slot]);
            }
            return plain[slot];
        }

        private static String resolved(String text) {
            Tag tag = RESOLVER.resolve(NodeId.scalar, text, true);
            return Tag.STR.equals(tag) ? text : Tag.NULL.equals(tag) ? NULL : NOT_A_STRING;
        }

        private static boolean same(char[] text, char[] chars, int start, int end) {
            if (text.length != end - start) {
                return false;
            }
            for (int i = 0; i < text.length; i++) {
                if (text[i] != chars[start + i]) {
                    return false;
                }
            }
            return true;
        }

        private void grow() {
            String[] oldTexts = texts;
            String[] oldPlain = plain;
            char[][] oldCharacters = characters;
            int[] oldHashes = hashes;
            texts = new String[oldTexts.length * 2];
            plain = new String[oldTexts.length * 2];
            characters = new char[oldTexts.length * 2][];
            hashes = new int[oldTexts.length * 2];
            int mask = texts.length - 1;
            for (int i = 0; i < oldTexts.length; i++) {
                if (oldTexts[i] != null) {
                    int hash = oldHashes[i];
                    int slot = (hash ^ hash >>> 16) & mask;
                    while (texts[slot] != null) {
                        slot = (slot + 1) & mask;
                    }
                    texts[slot] = oldTexts[i];
                    plain[slot] = oldPlain[i];
                    characters[slot] = oldCharacters[i];
                    hashes[slot] = hash;
                }
            }
        }
    }

    private final Strings strings = new Strings();

    private static boolean plainStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '.' || c == '_'
                || c == '~' || c == '=' || c == '+' || c == '-' || c == '(' || c == '$' || c == '^' || c == ';';
    }

    /** The column of the ":" that ends a key starting at {@code start} on this line, or -1 when the line is no "key:" line. */
    private int keyEnd(int start) {
        if (start >= lineLen) {
            return -1;
        }
        char first = line[start];
        if (first == '"' || first == '\'') {
            int close = line.length;
            for (int i = start + 1; i < lineLen; i++) {
                if (line[i] == first) {
                    if (first == '\'' && i + 1 < lineLen && line[i + 1] == '\'') {
                        i++;
                        continue;
                    }
                    close = i;
                    break;
                }
            }
            return close + 1 < lineLen && line[close + 1] == ':' && (close + 2 == lineLen || line[close + 2] == ' ')
                    ? close + 1 : -1;
        }
        if (!plainStart(first) || first == '-' && (start + 1 == lineLen || line[start + 1] == ' ')) {
            return -1;
        }
        for (int i = start; i < lineLen; i++) {
            if (line[i] == ':' && (i + 1 == lineLen || line[i + 1] == ' ')) {
                return i;
            }
        }
        return -1;
    }

    private boolean isSequenceItem() {
        return indent < lineLen && line[indent] == '-' && (indent + 1 == lineLen || line[indent + 1] == ' ');
    }

    private boolean isDocumentStart() {
        return lineLen == 3 && line[0] == '-' && line[1] == '-' && line[2] == '-';
    }

    private int skipSpaces(int from) {
        while (from < lineLen && line[from] == ' ') {
            from++;
        }
        return from;
    }

    private int trimEnd(int start, int end) {
        while (end > start && line[end - 1] == ' ') {
            end--;
        }
        return end;
    }

    /** Blank lines the last {@link #advance} skipped, whether one of them had spaces, and whether it skipped a comment line. */
    private int skippedBlank;
    private boolean skippedSpaces;
    private boolean skippedComment;

    /** The next line that is neither blank nor a comment, its comment cut off; printable ASCII only. */
    private void advance() throws IOException, OutsideSubset {
        skippedBlank = 0;
        skippedSpaces = false;
        skippedComment = false;
        while (true) {
            if (!readLine()) {
                hasLine = false;
                return;
            }
            int spaces = 0;
            while (spaces < lineLen && line[spaces] == ' ') {
                spaces++;
            }
            if (spaces == lineLen) {
                skippedBlank++;
                skippedSpaces |= spaces > 0;
            } else if (!uncomment(spaces)) {
                skippedComment = true;
            } else {
                indent = spaces;
                hasLine = true;
                return;
            }
        }
    }

    /**
     * Comments as SnakeYAML's scanner finds them, outside block scalars: "#" first on its line (after
     * spaces) makes a comment line (false: skip it); "#" after a space ends the line's content there
     * (trailing spaces dropped; {@link #lineCommented}), but only where no quote comes before it,
     * since a quoted scalar may hold " #". A "#" after any other character is text, as in a URL's fragment.
     */
    private boolean uncomment(int spaces) throws OutsideSubset {
        lineCommented = false;
        if (commentAt < 0) {
            return true;
        }
        if (commentAt == spaces) {
            return false;
        }
        if (quoteBeforeComment) {
            throw new OutsideSubset("a comment after a quote");
        }
        lineLen = trimEnd(0, commentAt);
        lineCommented = true;
        return true;
    }

    /** Whether the current line ended with a line break (not the end of the input). */
    private boolean lineBroken;
    /** Where the line's first "#" at its start or after a space is (-1: none), and whether a quote comes before it. */
    private int commentAt;
    private boolean quoteBeforeComment;
    /** Whether {@link #uncomment} cut a comment off the current line. */
    private boolean lineCommented;

    private boolean readLine() throws IOException, OutsideSubset {
        lineLen = 0;
        lineBroken = false;
        commentAt = -1;
        quoteBeforeComment = false;
        boolean any = false;
        while (true) {
            if (chunkPos == chunkLen) {
                chunkLen = in.read(chunk, 0, chunk.length);
                chunkPos = 0;
                if (chunkLen <= 0) {
                    chunkLen = 0;
                    return any;
                }
            }
            any = true;
            while (chunkPos < chunkLen) {
                char c = chunk[chunkPos++];
                if (c == '\n') {
                    lineBroken = true;
                    return true;
                }
                if (c < ' ' || c > '~') {
                    throw new OutsideSubset("a character outside printable ASCII");
                }
                if (commentAt < 0) {
                    // A comment outside a block scalar, text inside one (uncomment decides).
                    if (c == '#' && (lineLen == 0 || line[lineLen - 1] == ' ')) {
                        commentAt = lineLen;
                    }
                    quoteBeforeComment |= c == '\'' || c == '"';
                }
                if (lineLen == line.length) {
                    line = java.util.Arrays.copyOf(line, line.length * 2);
                }
                line[lineLen++] = c;
            }
        }
    }
}
