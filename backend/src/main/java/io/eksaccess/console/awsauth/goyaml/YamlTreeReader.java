package io.eksaccess.console.awsauth.goyaml;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Reads the first YAML document of a text into {@link YamlNode}s with SnakeYAML's event parser
 * (YAML 1.1, like go-yaml v2). Only events are used: anchors, tags and types are left to
 * {@link GoYamlDecoder}, which follows go-yaml. Iterative, with limits, so hostile input ends in
 * an exception rather than a stack overflow or an endless expansion.
 */
public final class YamlTreeReader {

    /** A ConfigMap holds at most 1 MiB; anything much larger is not an aws-auth section. */
    public static final int MAX_CODE_POINTS = 2 * 1024 * 1024;
    /**
     * go-yaml stops at 10,000 levels; we stop at 1,000 because decoding recurses. No real
     * aws-auth comes near either.
     */
    public static final int MAX_DEPTH = 1000;

    private static final java.util.regex.Pattern ANCHOR_NAME = java.util.regex.Pattern.compile("[0-9A-Za-z_-]+");

    private YamlTreeReader() {}

    /** @return the root node of the first document, or null when the text holds no document */
    public static YamlNode read(String text) throws GoYamlException {
        if (text.length() > MAX_CODE_POINTS && text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            throw new GoYamlLimitException("the text exceeds the limit of " + MAX_CODE_POINTS
                    + " characters; a ConfigMap holds at most 1 MiB");
        }
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS + 1);
        try {
            LibyamlSyntax.Normalized normalized = LibyamlSyntax.scan(text);
            int failAt = normalized.failAt() < 0 ? -1 : normalized.text().codePointCount(0, normalized.failAt());
            return readEvents(new ParserImpl(new StreamReader(normalized.text()), options), failAt, normalized.failure());
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? "" : "line " + (mark.getLine() + 1) + ": ";
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new GoYamlException("not valid YAML: " + where + Echo.message(problem));
        } catch (YAMLException e) {
            throw new GoYamlException("not valid YAML: " + Echo.message(e.getMessage()));
        }
    }

    /**
     * @param failAt code point index where go-yaml's scanner fails (-1: nowhere): an error once
     *     the events reach it, and not when the first document ends before it
     */
    private static YamlNode readEvents(Parser parser, int failAt, String failure) throws GoYamlException {
        Map<String, YamlNode> anchors = new HashMap<>();
        Deque<YamlNode> open = new ArrayDeque<>();
        YamlNode root = null;
        boolean inDocument = false;
        while (true) {
            Event event = parser.getEvent();
            if (failAt >= 0 && (event.getEndMark().getIndex() > failAt
                    || (event.getEventId() == Event.ID.DocumentEnd || event.getEventId() == Event.ID.StreamEnd)
                            && event.getStartMark().getIndex() >= failAt)) {
                throw new GoYamlException(failure);
            }
            switch (event.getEventId()) {
                case StreamStart -> { }
                case StreamEnd -> { return root; }
                case DocumentStart -> inDocument = true;
                case DocumentEnd -> { return root; } // go-yaml reads the first document only
                case Scalar -> {
                    ScalarEvent scalar = (ScalarEvent) event;
                    String tag = scalar.getTag();
                    boolean plain = tag == null && scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
                    YamlNode node = new YamlNode(YamlNode.Kind.SCALAR, tag, scalar.getValue().replace(LibyamlSyntax.FLOW_COLON, ':'), plain,
                            event.getStartMark().getLine(), event.getStartMark().getColumn());
                    node.lastLine = lastTextLine(event.getEndMark(), node.startLine);
                    root = attach(node, (NodeEvent) event, open, anchors, root);
                }
                case Alias -> {
                    String name = ((AliasEvent) event).getAnchor();
                    requireAnchorName(name, event.getStartMark().getLine());
                    YamlNode target = anchors.get(name);
                    if (target == null) {
                        throw new GoYamlException("line " + (event.getStartMark().getLine() + 1)
                                + ": unknown anchor '" + Echo.of(name) + "' referenced");
                    }
                    YamlNode node = new YamlNode(YamlNode.Kind.ALIAS, null, name, false,
                            event.getStartMark().getLine(), event.getStartMark().getColumn());
                    node.aliasTarget = target;
                    node.lastLine = lastTextLine(event.getEndMark(), node.startLine);
                    root = attach(node, null, open, anchors, root);
                }
                case SequenceStart, MappingStart -> {
                    CollectionStartEvent start = (CollectionStartEvent) event;
                    YamlNode.Kind kind = event.getEventId() == Event.ID.SequenceStart
                            ? YamlNode.Kind.SEQUENCE : YamlNode.Kind.MAPPING;
                    YamlNode node = new YamlNode(kind, start.getTag(), null, false,
                            event.getStartMark().getLine(), event.getStartMark().getColumn());
                    node.flow = start.getFlowStyle() == DumperOptions.FlowStyle.FLOW;
                    root = attach(node, start, open, anchors, root);
                    if (open.size() >= MAX_DEPTH) {
                        throw new GoYamlLimitException("line " + (node.startLine + 1) + ": nested deeper than "
                                + MAX_DEPTH + " levels");
                    }
                    open.push(node);
                }
                case SequenceEnd, MappingEnd -> {
                    YamlNode closed = open.pop();
                    if (closed.flow) {
                        closed.lastLine = Math.max(closed.lastLine, lastTextLine(event.getEndMark(), closed.startLine));
                    }
                    if (!open.isEmpty()) {
                        open.peek().lastLine = Math.max(open.peek().lastLine, closed.lastLine);
                    }
                }
                default -> {
                    if (!inDocument) {
                        throw new GoYamlException("unexpected YAML event " + event.getEventId());
                    }
                }
            }
        }
    }

    private static YamlNode attach(YamlNode node, NodeEvent event, Deque<YamlNode> open,
            Map<String, YamlNode> anchors, YamlNode root) throws GoYamlException {
        // Registered before the children are read, as in go-yaml: a node may alias itself,
        // which decoding then reports.
        if (event != null && event.getAnchor() != null) {
            requireAnchorName(event.getAnchor(), node.startLine);
            anchors.put(event.getAnchor(), node);
        }
        if (open.isEmpty()) {
            return root == null ? node : root;
        }
        YamlNode parent = open.peek();
        parent.children.add(node);
        parent.lastLine = Math.max(parent.lastLine, node.lastLine);
        return root;
    }

    /** libyaml allows only [0-9A-Za-z_-] in anchor names; SnakeYAML allows more. */
    private static void requireAnchorName(String name, int line) throws GoYamlException {
        if (!ANCHOR_NAME.matcher(name).matches()) {
            throw new GoYamlException("line " + (line + 1) + ": anchor name '" + Echo.of(name)
                    + "' may hold only letters, digits, '_' and '-'");
        }
    }

    /** An end mark at column 0 sits after the line break of the text's last line. */
    private static int lastTextLine(Mark end, int startLine) {
        int line = end.getColumn() == 0 ? end.getLine() - 1 : end.getLine();
        return Math.max(line, startLine);
    }
}
