package io.eksaccess.console.awsauth.goyaml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes a {@link YamlNode} tree the way go-yaml v2 decodes into {@code interface{}} (what
 * sigs.k8s.io/yaml does for mapRoles and mapUsers) and into {@code []string} (what the
 * authenticator does for mapAccounts), including merge keys, aliases and go-yaml's limit on
 * alias expansion ("document contains excessive aliasing"), which also defuses billion-laughs input.
 */
public final class GoYamlDecoder {

    /** Stands for a null mapping key, which a Java map cannot tell apart from "absent". */
    public static final Object NULL_KEY = new Object() {
        @Override
        public String toString() {
            return "<nil>";
        }
    };

    /**
     * Nodes decoded, counting each expansion of an alias anew. go-yaml's ratio check alone lets a
     * small document expand to millions; no real aws-auth (1 MiB at most) comes near this.
     */
    public static final long MAX_EXPANDED_NODES = 1_000_000;

    private long decodeCount;
    private long aliasCount;
    private int aliasDepth;
    /** Nesting of the node being decoded, through aliases: the recursion depth, bounded by MAX_DEPTH. */
    private int depth;
    private final Set<YamlNode> activeAliases = Collections.newSetFromMap(new IdentityHashMap<>());

    /** The result of decoding into {@code []string}: what go-yaml leaves in the slice, and its error. */
    public record StringListResult(List<String> values, List<Integer> sourceIndexes, String error) {}

    /**
     * @return null, Boolean, Long, BigInteger, Double, String, {@code List<Object>} or
     *     {@code Map<Object, Object>} (keys as decoded; a null key is {@link #NULL_KEY})
     */
    public static Object decodeInterface(YamlNode root) throws GoYamlException {
        if (root == null) {
            return null;
        }
        GoYamlDecoder decoder = new GoYamlDecoder();
        decoder.count(); // the document node
        return decoder.anyValue(root);
    }

    /**
     * go-yaml's {@code Unmarshal(text, &[]string{})}: elements that are not scalars are skipped
     * with an error; an error that aborts decoding (a bad tag, excessive aliasing) leaves the
     * slice at its full length with the elements decoded so far, as go-yaml does.
     */
    public static StringListResult decodeStringList(YamlNode root) throws GoYamlLimitException {
        List<String> values = new ArrayList<>();
        List<Integer> sources = new ArrayList<>();
        if (root == null) {
            return new StringListResult(values, sources, null);
        }
        GoYamlDecoder decoder = new GoYamlDecoder();
        List<String> typeErrors = new ArrayList<>();
        YamlNode node = root;
        int size = 0;
        try {
            decoder.count();
            decoder.count();
            while (node.kind == YamlNode.Kind.ALIAS) {
                node = decoder.enterAlias(node);
            }
            if (node.kind == YamlNode.Kind.SCALAR) {
                if (GoScalars.resolve(tagOf(node), node.value).value() != null) {
                    typeErrors.add(typeError(node, "[]string"));
                }
            } else if (node.kind == YamlNode.Kind.MAPPING) {
                typeErrors.add(typeError(node, "[]string"));
            } else {
                size = node.children.size();
                for (int i = 0; i < size; i++) {
                    String value = decoder.stringValue(node.children.get(i), typeErrors);
                    if (value != null) {
                        values.add(value);
                        sources.add(i);
                    }
                }
            }
        } catch (GoYamlLimitException e) {
            throw e; // not go-yaml's error: the console's own limit
        } catch (GoYamlException e) {
            // go-yaml made the slice full length up front and stops filling it here.
            while (values.size() < size) {
                values.add("");
                sources.add(-1);
            }
            return new StringListResult(values, sources, e.getMessage());
        }
        // The first few say what is wrong; thousands would make one error line as long as the input.
        String error = typeErrors.isEmpty() ? null : "cannot read " + String.join("; ", typeErrors.subList(0,
                Math.min(typeErrors.size(), 5))) + (typeErrors.size() > 5 ? "; and " + (typeErrors.size() - 5) + " more" : "");
        return new StringListResult(values, sources, error);
    }

    private String stringValue(YamlNode node, List<String> typeErrors) throws GoYamlException {
        count();
        descend(node);
        try {
            return stringValueAt(node, typeErrors);
        } finally {
            depth--;
        }
    }

    private String stringValueAt(YamlNode node, List<String> typeErrors) throws GoYamlException {
        if (node.kind == YamlNode.Kind.ALIAS) {
            YamlNode target = enterAlias(node);
            try {
                return stringValue(target, typeErrors);
            } finally {
                leaveAlias(node);
            }
        }
        if (node.kind != YamlNode.Kind.SCALAR) {
            typeErrors.add(typeError(node, "string"));
            return null;
        }
        GoScalars.Resolved resolved = GoScalars.resolve(tagOf(node), node.value);
        if (resolved.value() == null) {
            return "";
        }
        if (GoScalars.BINARY.equals(resolved.tag())) {
            return GoScalars.decodeBinary(node.value);
        }
        return node.value; // go-yaml stores the scalar's own text, whatever its type
    }

    private Object anyValue(YamlNode node) throws GoYamlException {
        count();
        descend(node);
        try {
            return anyValueAt(node);
        } finally {
            depth--;
        }
    }

    private Object anyValueAt(YamlNode node) throws GoYamlException {
        switch (node.kind) {
            case ALIAS -> {
                YamlNode target = enterAlias(node);
                try {
                    return anyValue(target);
                } finally {
                    leaveAlias(node);
                }
            }
            case SCALAR -> {
                return scalar(node);
            }
            case SEQUENCE -> {
                List<Object> list = new ArrayList<>(node.children.size());
                for (YamlNode child : node.children) {
                    list.add(anyValue(child));
                }
                return list;
            }
            default -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                fillMapping(node, map);
                return map;
            }
        }
    }

    private void fillMapping(YamlNode node, Map<Object, Object> out) throws GoYamlException {
        List<YamlNode> children = node.children;
        for (int i = 0; i + 1 < children.size(); i += 2) {
            YamlNode keyNode = children.get(i);
            if (isMerge(keyNode)) {
                merge(children.get(i + 1), out);
                continue;
            }
            Object key = anyValue(keyNode);
            if (key instanceof Map || key instanceof List) {
                throw new GoYamlException("line " + (keyNode.startLine + 1) + ": invalid map key");
            }
            Object value = anyValue(children.get(i + 1));
            out.put(key == null ? NULL_KEY : key, value);
        }
    }

    private void merge(YamlNode node, Map<Object, Object> out) throws GoYamlException {
        switch (node.kind) {
            case MAPPING -> mergeOne(node, out);
            case ALIAS -> {
                requireMapping(node.aliasTarget);
                mergeOne(node, out);
            }
            case SEQUENCE -> {
                // Earlier maps in the list win, so they are merged last.
                for (int i = node.children.size() - 1; i >= 0; i--) {
                    YamlNode child = node.children.get(i);
                    requireMapping(child.kind == YamlNode.Kind.ALIAS ? child.aliasTarget : child);
                    mergeOne(child, out);
                }
            }
            default -> throw wantMap();
        }
    }

    private void mergeOne(YamlNode node, Map<Object, Object> out) throws GoYamlException {
        count();
        descend(node);
        try {
            if (node.kind == YamlNode.Kind.ALIAS) {
                YamlNode target = enterAlias(node);
                try {
                    mergeOne(target, out);
                } finally {
                    leaveAlias(node);
                }
                return;
            }
            fillMapping(node, out);
        } finally {
            depth--;
        }
    }

    /**
     * YamlTreeReader limits the depth of the text, but an alias puts a whole anchored tree at its
     * own depth: four 990-deep lists, each holding the previous one's alias, nest 3,960 deep. Go's
     * stacks grow; Java's overflow, so nesting is counted here, aliases included.
     */
    private void descend(YamlNode node) throws GoYamlLimitException {
        if (++depth > YamlTreeReader.MAX_DEPTH) {
            depth--;
            throw new GoYamlLimitException("line " + (node.startLine + 1) + ": nested deeper than "
                    + YamlTreeReader.MAX_DEPTH + " levels, counting what aliases stand for");
        }
    }

    private static void requireMapping(YamlNode node) throws GoYamlException {
        if (node == null || node.kind != YamlNode.Kind.MAPPING) {
            throw wantMap();
        }
    }

    private static GoYamlException wantMap() {
        return new GoYamlException("map merge requires map or sequence of maps as the value");
    }

    private static boolean isMerge(YamlNode node) {
        return node.kind == YamlNode.Kind.SCALAR && node.value.equals("<<")
                && (node.plain || GoScalars.MERGE.equals(node.tag));
    }

    private static Object scalar(YamlNode node) throws GoYamlException {
        if (node.tag == null && !node.plain) {
            return node.value; // quoted or block scalar: always a string
        }
        GoScalars.Resolved resolved = GoScalars.resolve(tagOf(node), node.value);
        if (GoScalars.BINARY.equals(resolved.tag())) {
            return GoScalars.decodeBinary(node.value);
        }
        if (GoScalars.TIMESTAMP.equals(resolved.tag())) {
            return node.value; // go-yaml keeps timestamps as text in interface{}
        }
        return resolved.value();
    }

    private static String tagOf(YamlNode node) {
        if (node.tag == null) {
            return node.plain ? "" : GoScalars.STR;
        }
        return node.tag;
    }

    private YamlNode enterAlias(YamlNode alias) throws GoYamlException {
        if (!activeAliases.add(alias)) {
            throw new GoYamlException("anchor '" + Echo.of(alias.value) + "' value contains itself");
        }
        aliasDepth++;
        return alias.aliasTarget;
    }

    private void leaveAlias(YamlNode alias) {
        aliasDepth--;
        activeAliases.remove(alias);
    }

    /** go-yaml's decoder.unmarshal bookkeeping: refuse documents that are mostly alias expansion. */
    private void count() throws GoYamlException {
        decodeCount++;
        if (decodeCount > MAX_EXPANDED_NODES) {
            throw new GoYamlLimitException("more than " + MAX_EXPANDED_NODES
                    + " values once aliases are expanded; the console does not read that much");
        }
        if (aliasDepth > 0) {
            aliasCount++;
        }
        if (aliasCount > 100 && decodeCount > 1000 && (double) aliasCount / decodeCount > allowedAliasRatio(decodeCount)) {
            throw new GoYamlException("document contains excessive aliasing");
        }
    }

    private static double allowedAliasRatio(long decodeCount) {
        final long low = 400_000;
        final long high = 4_000_000;
        if (decodeCount <= low) {
            return 0.99;
        }
        if (decodeCount >= high) {
            return 0.10;
        }
        return 0.99 - 0.89 * ((double) (decodeCount - low) / (high - low));
    }

    private static String typeError(YamlNode node, String target) {
        String what = switch (node.kind) {
            case MAPPING -> "a mapping";
            case SEQUENCE -> "a list";
            default -> "`" + Echo.of(node.value) + "`";
        };
        return "line " + (node.startLine + 1) + ": " + what + " is not a " + target;
    }
}
