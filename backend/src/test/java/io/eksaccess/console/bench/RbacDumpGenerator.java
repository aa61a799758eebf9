package io.eksaccess.console.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a synthetic world's RBAC as {@code kubectl get clusterroles,clusterrolebindings,roles,
 * rolebindings -A -o yaml} (and {@code -o json}) prints it: one v1 {@code List}, keys sorted, each
 * object with the creationTimestamp, resourceVersion and uid the API server adds. For the offline
 * CLI benchmark ({@code .ci/bench/cli-offline.sh}); not a test.
 * Arguments: OUT_DIR [roles] [bindings] [namespaces]; writes OUT_DIR/dump.yaml and OUT_DIR/dump.json, and
 * OUT_DIR/dump-applied.yaml: the YAML dump with kubectl apply's last-applied-configuration on every object.
 */
public final class RbacDumpGenerator {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z/][A-Za-z0-9._/:-]*");
    private static final List<String> RESERVED = List.of("true", "false", "null", "yes", "no", "on", "off", "y", "n", "~");

    private RbacDumpGenerator() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int roles = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int bindings = args.length > 2 ? Integer.parseInt(args[2]) : 20000;
        int namespaces = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        SyntheticRbacWorld world = new SyntheticRbacWorld("bench", roles, bindings, namespaces, 42);
        List<HasMetadata> objects = new ArrayList<>(world.clusterRoles);
        objects.addAll(world.clusterRoleBindings);
        objects.addAll(world.roles);
        objects.addAll(world.roleBindings);
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<Object> items = new ArrayList<>();
        int resourceVersion = 1000;
        for (HasMetadata object : objects) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = sorted(serialization.convertValue(object, Map.class));
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = (Map<String, Object>) map.get("metadata");
            metadata.put("creationTimestamp", "2026-11-28T10:00:00Z");
            metadata.put("resourceVersion", String.valueOf(resourceVersion++));
            metadata.put("uid", UUID.nameUUIDFromBytes(metadata.toString().getBytes(StandardCharsets.UTF_8)).toString());
            items.add(map);
        }
        Map<String, Object> list = new TreeMap<>();
        list.put("apiVersion", "v1");
        list.put("items", items);
        list.put("kind", "List");
        list.put("metadata", new TreeMap<>(Map.of("resourceVersion", "")));
        Files.createDirectories(out);
        try (Writer writer = Files.newBufferedWriter(out.resolve("dump.yaml"))) {
            yaml(writer, list, 0);
        }
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("    ", "\n")).withArrayIndenter(new DefaultIndenter("    ", "\n"))
                .withSeparators(Separators.createDefaultInstance().withObjectNameValueSpacing(Separators.Spacing.AFTER));
        try (BufferedWriter writer = Files.newBufferedWriter(out.resolve("dump.json"))) {
            JsonMapper.builder().build().writer().with(printer).writeValue(writer, list);
        }
        // The same objects as if created by kubectl apply: it leaves the applied object as JSON in an
        // annotation, which kubectl get prints as a literal block scalar.
        JsonMapper compact = JsonMapper.builder().build();
        for (Object item : items) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) item;
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
            Map<String, Object> applied = new TreeMap<>(object);
            applied.put("metadata", new TreeMap<>(Map.of("annotations", Map.of(), "name", metadata.get("name"))));
            metadata.put("annotations", new TreeMap<>(Map.of("kubectl.kubernetes.io/last-applied-configuration",
                    compact.writeValueAsString(applied) + "\n")));
        }
        try (Writer writer = Files.newBufferedWriter(out.resolve("dump-applied.yaml"))) {
            yaml(writer, list, 0);
        }
        System.out.printf("%d objects (%d roles, %d bindings) in %s: dump.yaml %.1f MB, dump.json %.1f MB%n",
                objects.size(), roles, bindings, out, Files.size(out.resolve("dump.yaml")) / 1e6,
                Files.size(out.resolve("dump.json")) / 1e6);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sorted(Map<String, Object> map) {
        Map<String, Object> result = new TreeMap<>();
        map.forEach((key, value) -> result.put(key, sortedValue(value)));
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Object sortedValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return sorted((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(RbacDumpGenerator::sortedValue).toList();
        }
        return value;
    }

    /** Block style as kubectl (go-yaml) writes it: sequences at their key's indentation. */
    private static void yaml(Writer out, Map<?, ?> map, int indent) throws IOException {
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!first) {
                out.write(" ".repeat(indent));
            }
            first = false;
            out.write(entry.getKey() + ":");
            value(out, entry.getValue(), indent);
        }
    }

    private static void value(Writer out, Object value, int indent) throws IOException {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.write(" {}\n");
                return;
            }
            out.write("\n" + " ".repeat(indent + 2));
            yaml(out, map, indent + 2);
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.write(" []\n");
                return;
            }
            out.write("\n");
            for (Object item : list) {
                out.write(" ".repeat(indent) + "-");
                if (item instanceof Map<?, ?> map) {
                    out.write(" ");
                    yaml(out, map, indent + 2);
                } else {
                    out.write(" " + scalar(item) + "\n");
                }
            }
        } else if (value instanceof String text && text.endsWith("\n")) {
            out.write(" |\n");
            for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
                out.write(" ".repeat(indent + 2) + line + "\n");
            }
        } else {
            out.write(" " + scalar(value) + "\n");
        }
    }

    private static String scalar(Object value) {
        String text = String.valueOf(value);
        if (!(value instanceof String)) {
            return text;
        }
        if (text.matches("\\d{4}-.*")) {
            return "\"" + text + "\"";
        }
        if (PLAIN.matcher(text).matches() && !RESERVED.contains(text.toLowerCase())) {
            return text;
        }
        return "'" + text.replace("'", "''") + "'";
    }
}
