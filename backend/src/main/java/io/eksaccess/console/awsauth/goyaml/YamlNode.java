package io.eksaccess.console.awsauth.goyaml;

import java.util.ArrayList;
import java.util.List;

/**
 * One node of a YAML document as the parser saw it, before any type is resolved: the same shape
 * as go-yaml v2's internal node, so decoding can follow go-yaml step by step.
 */
public final class YamlNode {

    public enum Kind { SCALAR, SEQUENCE, MAPPING, ALIAS }

    final Kind kind;
    /** Explicit tag in long form ({@code tag:yaml.org,2002:int}), or null when none was written. */
    final String tag;
    /** Scalar text (or the anchor name of an alias). */
    final String value;
    /** A plain scalar without a tag: its type is resolved from its text (go-yaml's "implicit"). */
    final boolean plain;
    final List<YamlNode> children = new ArrayList<>();
    YamlNode aliasTarget;
    boolean flow;
    /** 0-based line where the node starts, and the last line that holds any of its text. */
    final int startLine;
    final int startColumn;
    int lastLine;

    YamlNode(Kind kind, String tag, String value, boolean plain, int startLine, int startColumn) {
        this.kind = kind;
        this.tag = tag;
        this.value = value;
        this.plain = plain;
        this.startLine = startLine;
        this.startColumn = startColumn;
        this.lastLine = startLine;
    }

    public Kind kind() {
        return kind;
    }

    public List<YamlNode> children() {
        return children;
    }

    public boolean isFlow() {
        return flow;
    }

    public int startLine() {
        return startLine;
    }

    public int startColumn() {
        return startColumn;
    }

    public int lastLine() {
        return lastLine;
    }
}
