package io.eksaccess.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.bench.SyntheticRbacWorld;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Issue #19: the streaming manifest read (BlockYaml, Jackson's streaming parser, RbacObjectMaps)
 * against the whole-file read it replaces (SnakeYAML or Jackson into a tree, then Jackson into
 * fabric8). For thousands of generated and mutated manifests, kubectl-shaped and hostile, the
 * file read by {@link RbacManifests#loadDump} (streaming, falling back to the whole-file read for
 * what it does not take) must equal {@link RbacManifests#loadDumpText} (whole-file read only):
 * the same objects, problems, warnings and errors. The test also checks that the streaming read
 * took most of the kubectl-shaped ones, so it cannot pass by always falling back.
 */
@RunsAlongside(seconds = 6)
class StreamingManifestDifferentialTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** Characters that change what YAML means, or test the reader's limits. */
    private static final String MUTATIONS = ":- #'\"&*!|>[]{},?%@`~\n\t\\0yYnN.<=/" + "\u00e9\r\\\0";

    @TempDir
    Path dir;

    @Test
    void blockYamlReadsWhatSnakeYamlReadsOrLeavesItToIt() throws Exception {
        Random random = new Random(19);
        int taken = 0;
        int total = 0;
        for (String base : kubectlShaped(random)) {
            for (int m = 0; m < 60; m++) {
                String text = m == 0 ? base : mutate(base, random);
                total++;
                if (agreesWithSnakeYaml(text)) {
                    taken++;
                }
            }
        }
        // Most mutants leave the subset (or YAML); the unmutated ones and many others must be taken.
        assertThat(taken).as("documents BlockYaml read itself, of " + total).isGreaterThan(total / 10);
    }

    /**
     * Block scalars as kubectl writes them for multi-line annotations (last-applied-configuration
     * is a literal scalar): before, one such annotation sent the whole dump to SnakeYAML. Every
     * header (style, chomping, indentation indicator) over contents with empty, leading, trailing
     * and more-indented lines, as a value in a mapping at column 0, in an item's mapping and last
     * in a document or the file; each is either refused or read exactly as SnakeYAML reads it,
     * and the ones kubectl writes must be read.
     */
    @Test
    void blockScalarsAreReadAsSnakeYamlReadsThem() throws Exception {
        List<String> headers = List.of("|", "|-", "|+", ">", ">-", ">+", "|1", "|2", "|-2", "|2-", ">+1", ">2+", "|3", "|  ");
        List<String> contents = List.of("x", "{\"a\":\"b # c\"}", "a\nb", "a\n\nb", "\n\na", "a\n\n", "a\n  b\nc",
                " a\nb", "a: b\n- c\n'd'", "a\n\n  b\n\nc\n\n\n", "");
        int taken = 0;
        int total = 0;
        for (String header : headers) {
            for (String content : contents) {
                for (String context : List.of("top", "item", "last", "eof")) {
                    String text = blockScalarIn(context, header, content);
                    total++;
                    if (agreesWithSnakeYaml(text)) {
                        taken++;
                    }
                }
            }
        }
        assertThat(taken).as("block scalars BlockYaml read itself, of " + total).isGreaterThan(total * 3 / 4);
        String lastApplied = """
                apiVersion: v1
                items:
                - apiVersion: rbac.authorization.k8s.io/v1
                  kind: Role
                  metadata:
                    annotations:
                      kubectl.kubernetes.io/last-applied-configuration: |
                        {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"annotations":{},"name":"r","namespace":"a"},"rules":[]}
                      note: >-
                        two
                        lines
                    name: r
                    namespace: a
                  rules: []
                kind: List
                metadata:
                  resourceVersion: ""
                """;
        assertThat(agreesWithSnakeYaml(lastApplied)).as("kubectl's last-applied-configuration is read by BlockYaml").isTrue();
    }

    /**
     * Plain values over several lines, as go-yaml wraps long text at 80 columns: folded, typed and
     * refused exactly as SnakeYAML does, and the wrapped text kubectl writes is read.
     */
    @Test
    void multiLinePlainValuesAreReadAsSnakeYamlReadsThem() throws Exception {
        List<String> firsts = List.of("a", "1", "true", "null", "~", "a b", "x:y", "- a", "a: b", "'q'", "http://x/y");
        List<String> rests = List.of("b", "2", "c d", "\n  e", "\n\n  e", "\n  - f", "\n  g: h", "\n  #c", "\n  ---",
                "\n  ...x", "\n  [x]", "\n    deeper\n  back", "\n  \n  spaces", "\n  tail\n\n");
        int taken = 0;
        int total = 0;
        for (String first : firsts) {
            for (String rest : rests) {
                String value = first + (rest.startsWith("\n") ? rest : "\n  " + rest);
                for (String context : List.of("top", "item", "last", "eof")) {
                    String text = switch (context) {
                        case "top" -> "k: " + value + "\nz: end\n";
                        case "item" -> "items:\n- k: " + value.replace("\n  ", "\n    ") + "\n  z: end\n- d\n";
                        case "last" -> "k: " + value + "\n---\nz: end\n";
                        default -> "z: end\nk: " + value;
                    };
                    total++;
                    if (agreesWithSnakeYaml(text)) {
                        taken++;
                    }
                }
            }
        }
        assertThat(taken).as("multi-line plain values BlockYaml read itself, of " + total).isGreaterThan(total / 3);
        assertThat(agreesWithSnakeYaml("""
                metadata:
                  annotations:
                    description: Grants read access to the team's namespaces for the on-call rotation and
                      the incident tooling, as agreed in the access review
                  name: on-call
                """)).as("go-yaml's wrapped annotation is read by BlockYaml").isTrue();
    }

    /**
     * Comments: whole lines (any indentation, between any two lines) and " # ..." at the end of a line,
     * inserted into kubectl-shaped dumps, around block scalars and multi-line plain values. Each is
     * either refused or read exactly as SnakeYAML reads it (comments inside multi-line plain values and
     * after quotes are refused), and most are read; a "#" after any other character is text.
     */
    @Test
    void commentsAreReadAsSnakeYamlReadsThem() throws Exception {
        Random random = new Random(1919_2026);
        List<String> comments = List.of("# c", "#", "#: - [x] 'q\"", "# a # b: c");
        io.eksaccess.console.bench.RbacDumpGenerator.main(new String[] {dir.toString(), "6", "12", "2"});
        List<String> bases = new ArrayList<>(kubectlShaped(random));
        bases.add(Files.readString(dir.resolve("dump.yaml")));
        bases.add(Files.readString(dir.resolve("dump-applied.yaml")));
        int taken = 0;
        int total = 0;
        for (String base : bases) {
            if (!agreesWithSnakeYaml(base)) {
                continue; // left to SnakeYAML without comments already
            }
            String[] lines = base.split("\n", -1);
            for (int n = 0; n < 150; n++) {
                int at = random.nextInt(lines.length);
                String comment = comments.get(random.nextInt(comments.size()));
                List<String> edited = new ArrayList<>(List.of(lines));
                if (random.nextBoolean()) {
                    edited.add(at, " ".repeat(random.nextInt(7)) + comment); // a comment line
                } else {
                    String spaces = " ".repeat(1 + random.nextInt(2)); // after content: a comment; right after it: text
                    edited.set(at, edited.get(at) + (random.nextInt(4) == 0 ? "" : spaces) + comment);
                }
                total++;
                if (agreesWithSnakeYaml(String.join("\n", edited))) {
                    taken++;
                }
            }
        }
        assertThat(taken).as("dumps with a comment BlockYaml read itself, of " + total).isGreaterThan(total / 2);

        List<String> around = List.of("a: | # c\n  x\nb: c\n", "a: >-  #c\n  x\n  y\n# c\nb: c\n", "a: |\n  x\n # c\nb: c\n",
                "a: |+\n  x\n\n# c\n\nb: c\n", "a: |\n  # text\n# c\n  x\n", "a: |\n# c\n  x\n", "a: |\n  x\nb: c # d\n",
                "a: |2\n   x\n  # text\n # c\n", "a: |\n  x\n# c\n", "k: one\n  two # c\nz: end\n", "k: one # c\n  two\n",
                "k: one\n# c\n  two\n", "k: one\n  # c\nz: end\n", "k: a#b\nz: http://x/#f # c\n", "k: 'a #b'\n", "k: 'a' # c\n",
                "k: \"a\" #c\n", "--- # c\nk: v\n", "# only\n", "---\n# only\n---\nk: v\n", "k: # c\n  a: b\n", "- # c\n  a: b\n",
                "k: [] # c\n", "k: {} #c\n", "k #c: v\n", "k: v #c\n  # d\n", "items:\n# c\n- a\n  # d\n- b # e\n");
        int aroundTaken = 0;
        for (String text : around) {
            if (agreesWithSnakeYaml(text)) {
                aroundTaken++;
            }
        }
        assertThat(aroundTaken).as("of the hand-written cases").isGreaterThan(around.size() / 2);

        // A dump with thousands of long comment lines (a generator's notes) stays with BlockYaml: before, its first
        // comment sent the whole file to SnakeYAML.
        String heavy = commentHeavy(Files.readString(dir.resolve("dump-applied.yaml")), 2_600, 1_000);
        assertThat(heavy.length()).isGreaterThan(2_600_000);
        assertThat(agreesWithSnakeYaml(heavy)).as("a comment-heavy dump is read by BlockYaml").isTrue();
    }

    /** A comment-heavy List over the split size: read in two parts, streamed and whole alike. */
    @Test
    void aCommentHeavyListIsReadInTwoPartsAsTheWholeFileReadsIt() throws Exception {
        io.eksaccess.console.bench.RbacDumpGenerator.main(new String[] {dir.toString(), "12", "24", "3"});
        String heavy = commentHeavy(Files.readString(dir.resolve("dump.yaml")), 2_600, 1_000);
        Path file = Files.writeString(dir.resolve("heavy.yaml"), heavy);
        byte[] bytes = Files.readAllBytes(file);
        int split = RbacManifests.itemsSplit(bytes);
        assertThat(split).as("comment lines at column 0 do not end the items").isPositive();
        Object whole = outcome(() -> RbacManifests.loadDumpText(file.toString(), heavy));
        assertThat(whole).isInstanceOf(RbacManifests.Dump.class);
        assertThat(outcome(() -> RbacManifests.loadDumpSplit(file.toString(), bytes, split))).isEqualTo(whole);
        assertThat(outcome(() -> RbacManifests.loadDump(file.toString()))).isEqualTo(whole);
    }

    /**
     * {@code count} comment lines of {@code length} characters spread over the text, before sequence entries
     * ("- ") after the first one, half at the entry's indentation and half at column 0, as a generator's notes.
     */
    private static String commentHeavy(String text, int count, int length) {
        String[] lines = text.split("\n", -1);
        List<Integer> entries = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].stripLeading().startsWith("- ") && !lines[i - 1].equals("items:")) {
                entries.add(i);
            }
        }
        StringBuilder out = new StringBuilder(text.length() + count * (length + 1));
        int written = 0;
        int next = 0;
        for (int i = 0; i < lines.length; i++) {
            if (next < entries.size() && entries.get(next) == i) {
                next++;
                int due = (int) ((long) count * next / entries.size()) - written;
                String indent = lines[i].substring(0, lines[i].length() - lines[i].stripLeading().length());
                for (int c = 0; c < due; c++, written++) {
                    String pad = c % 2 == 0 ? indent : "";
                    out.append(pad).append("# ").append("note ".repeat(length).substring(0, length - 2 - pad.length())).append('\n');
                }
            }
            out.append(lines[i]).append(i + 1 < lines.length ? "\n" : "");
        }
        return out.toString();
    }

    /** A block scalar {@code header} with {@code content} (lines indented by 2 more than the key). */
    private static String blockScalarIn(String context, String header, String content) {
        String lines = content.isEmpty() ? "" : content.replaceAll("(?m)^(?=.)", "  ") + "\n";
        return switch (context) {
            case "top" -> "a: " + header + "\n" + lines + "b: c\n";
            case "item" -> "items:\n- k: v\n  a: " + header + "\n" + lines.replaceAll("(?m)^(?=.)", "  ") + "  b: c\n- d\n";
            case "last" -> "a: " + header + "\n" + lines + "---\nb: c\n";
            default -> ("a: b\nc: " + header + "\n" + lines).replaceFirst("\n$", "");
        };
    }

    @Test
    void streamingLoadEqualsTheWholeFileLoad() throws Exception {
        Random random = new Random(1919);
        List<String> texts = new ArrayList<>();
        for (String base : kubectlShaped(random)) {
            texts.add(base);
            for (int m = 0; m < 25; m++) {
                texts.add(mutate(base, random));
            }
        }
        for (int i = 0; i < 1500; i++) {
            texts.add(new HostileInputFuzzTest.Generator(new Random(20_260_119L + i)).document());
        }
        int i = 0;
        for (String text : texts) {
            Path file = dir.resolve("m" + (i++) + ".yaml");
            byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8); // a lone surrogate becomes "?"
            Files.write(file, bytes);
            String written = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            Object streamed = outcome(() -> RbacManifests.loadDump(file.toString()));
            Object whole = outcome(() -> RbacManifests.loadDumpText(file.toString(), written));
            assertThat(streamed).as("file %s:%n%s", file, text.length() > 2000 ? text.substring(0, 2000) : text)
                    .isEqualTo(whole);
        }
    }

    /**
     * The split read (two parts on two threads, for large Lists) against the whole-file read: kubectl-shaped
     * Lists, mutated, with objects that are problems, a non-object item, blank lines, wrapped values, block
     * scalars, keys after items (duplicated too), a SecretList and a second document, cut at every line
     * that starts with "-". Each cut is declined or gives exactly the whole-file read's objects, problems
     * (in order, with their document numbers) and warnings; most cuts of the unmutated Lists are taken.
     */
    @Test
    void aListReadInTwoPartsEqualsTheWholeFileReadAtEveryCut() throws Exception {
        Random random = new Random(2019);
        List<String> texts = new ArrayList<>();
        io.eksaccess.console.bench.RbacDumpGenerator.main(new String[] {dir.toString(), "12", "24", "3"});
        for (String base : List.of(Files.readString(dir.resolve("dump.yaml")),
                Files.readString(dir.resolve("dump-applied.yaml")))) {
            List<String> variants = List.of(base,
                    base.replaceFirst("\n- ", "\n- just text\n- apiVersion: rbac.authorization.k8s.io/v1\n  kind: RoleBinding\n"
                            + "  metadata:\n    name: no-role-ref\n    namespace: a\n- "),
                    base.replace("\n- ", "\n\n- "),
                    base.replace("kind: List\n", "kind: SecretList\nextra: a\n  wrapped value\n"),
                    base.replace("kind: List\n", "kind: List\napiVersion: v2\n"),
                    base.replace("apiVersion: v1\nitems:", "items:"),
                    base + "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: later\n");
            for (String variant : variants) {
                texts.add(variant);
                for (int m = 0; m < 6; m++) {
                    texts.add(mutate(variant, random));
                }
            }
        }
        int taken = 0;
        int unmutatedCuts = 0;
        int unmutatedTaken = 0;
        for (int t = 0; t < texts.size(); t++) {
            byte[] bytes = texts.get(t).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String written = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            Object whole = outcome(() -> RbacManifests.loadDumpText("f.yaml", written));
            for (int cut = 1; cut < bytes.length; cut++) {
                if (bytes[cut] != '-' || bytes[cut - 1] != '\n') {
                    continue;
                }
                int at = cut;
                Object split = outcome(() -> RbacManifests.loadDumpSplit("f.yaml", bytes, at));
                boolean unmutated = t % 7 == 0;
                unmutatedCuts += unmutated ? 1 : 0;
                if (split != null) {
                    taken++;
                    unmutatedTaken += unmutated ? 1 : 0;
                    assertThat(split).as("cut at %d of:%n%s", cut, written).isEqualTo(whole);
                }
            }
        }
        assertThat(taken).isPositive();
        assertThat(unmutatedTaken).as("cuts of unmutated Lists taken, of " + unmutatedCuts).isGreaterThan(unmutatedCuts / 3);
    }

    /** A List over the split size is read in two parts, and equals the whole-file read. */
    @Test
    void aLargeListIsReadInTwoPartsAsTheWholeFileReadsIt() throws Exception {
        io.eksaccess.console.bench.RbacDumpGenerator.main(new String[] {dir.toString(), "600", "1600", "20"});
        Path file = dir.resolve("dump.yaml");
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length).isGreaterThan(RbacManifests.SPLIT_BYTES);
        int split = RbacManifests.itemsSplit(bytes);
        assertThat(split).isGreaterThan(bytes.length / 2 - 1);
        Object whole = outcome(() -> RbacManifests.loadDumpText(file.toString(),
                new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(whole).isInstanceOf(RbacManifests.Dump.class);
        assertThat(outcome(() -> RbacManifests.loadDumpSplit(file.toString(), bytes, split))).isEqualTo(whole);
        assertThat(outcome(() -> RbacManifests.loadDump(file.toString()))).isEqualTo(whole);
    }

    @Test
    void fastConversionEqualsJacksonsOrDeclines() {
        SyntheticRbacWorld world = new SyntheticRbacWorld("conv", 200, 400, 5, 7);
        int converted = 0;
        Random random = new Random(3);
        List<HasMetadata> objects = new ArrayList<>(world.clusterRoles);
        objects.addAll(world.roles);
        objects.addAll(world.roleBindings);
        objects.addAll(world.clusterRoleBindings);
        objects.add(SERIALIZATION.unmarshal("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: agg, labels: {a: b}}
                aggregationRule:
                  clusterRoleSelectors:
                  - matchLabels: {x: y}
                    matchExpressions:
                    - {key: k, operator: In, values: [v1, v2]}
                rules: []
                """, ClusterRole.class));
        for (HasMetadata object : objects) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = SERIALIZATION.convertValue(object, Map.class);
            for (int variant = 0; variant < 6; variant++) {
                Map<String, Object> input = variant == 0 ? map : perturbed(map, random);
                Class<? extends HasMetadata> type = object.getClass();
                HasMetadata fast = fast(type, input);
                if (variant == 0) {
                    assertThat(fast).as("well-formed %s is converted without Jackson", object.getMetadata().getName())
                            .isNotNull();
                }
                if (fast != null) {
                    converted++;
                    assertThat(fast).isEqualTo(SERIALIZATION.convertValue(input, type));
                }
            }
        }
        assertThat(converted).isGreaterThan(objects.size());
    }

    private static HasMetadata fast(Class<? extends HasMetadata> type, Map<String, Object> map) {
        if (type == Role.class) {
            return RbacObjectMaps.role(map);
        }
        if (type == ClusterRole.class) {
            return RbacObjectMaps.clusterRole(map);
        }
        if (type == RoleBinding.class) {
            return RbacObjectMaps.roleBinding(map);
        }
        return RbacObjectMaps.clusterRoleBinding(map);
    }

    /** A deep copy with one value somewhere replaced by a number, a null, a boolean, or an extra key added. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> perturbed(Map<String, Object> map, Random random) {
        Map<String, Object> copy = (Map<String, Object>) deepCopy(map);
        List<Object> containers = new ArrayList<>();
        collect(copy, containers);
        Object target = containers.get(random.nextInt(containers.size()));
        Object replacement = List.of(42, true, "x", new ArrayList<>(), new LinkedHashMap<>()).get(random.nextInt(5));
        if (target instanceof Map<?, ?> m) {
            Map<String, Object> writable = (Map<String, Object>) m;
            List<String> keys = new ArrayList<>(writable.keySet());
            if (keys.isEmpty() || random.nextInt(4) == 0) {
                writable.put(random.nextBoolean() ? "extra" : "name", replacement);
            } else {
                writable.put(keys.get(random.nextInt(keys.size())), random.nextInt(5) == 0 ? null : replacement);
            }
        } else if (target instanceof List<?> l && !l.isEmpty()) {
            ((List<Object>) l).set(random.nextInt(l.size()), random.nextInt(5) == 0 ? null : replacement);
        }
        return copy;
    }

    private static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, deepCopy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(deepCopy(v)));
            return copy;
        }
        return value;
    }

    private static void collect(Object value, List<Object> into) {
        if (value instanceof Map<?, ?> map) {
            into.add(map);
            map.values().forEach(v -> collect(v, into));
        } else if (value instanceof List<?> list) {
            into.add(list);
            list.forEach(v -> collect(v, into));
        }
    }

    /** Whether BlockYaml read it; when it did, its documents must be SnakeYAML's. */
    private static boolean agreesWithSnakeYaml(String text) throws Exception {
        List<Object> fast = new ArrayList<>();
        Map<Integer, List<Object>> items = new LinkedHashMap<>();
        try {
            BlockYaml.read(new StringReader(text), new BlockYaml.Sink() {
                @Override
                public void item(int document, Object item) {
                    items.computeIfAbsent(document, d -> new ArrayList<>()).add(item);
                    while (fast.size() <= document) {
                        fast.add(null);
                    }
                }

                @Override
                @SuppressWarnings("unchecked")
                public void document(int document, Object value, boolean itemsStreamed) {
                    while (fast.size() <= document) {
                        fast.add(null);
                    }
                    if (itemsStreamed) {
                        ((Map<String, Object>) value).put("items", items.remove(document));
                    }
                    fast.set(document, value);
                }
            });
        } catch (BlockYaml.OutsideSubset e) {
            return false;
        }
        items.forEach(fast::set); // top-level sequences
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        List<Object> snake = new ArrayList<>();
        try {
            new Yaml(new SafeConstructor(options)).loadAll(text).forEach(snake::add);
        } catch (RuntimeException e) {
            throw new AssertionError("BlockYaml read what SnakeYAML rejects (" + e.getMessage() + "):\n" + text, e);
        }
        assertThat(fast).as("documents of%n%s", text).isEqualTo(snake);
        return true;
    }

    private static Object outcome(ThrowingSupplier<RbacManifests.Dump> load) {
        try {
            return load.get();
        } catch (RbacManifests.UnusableInputException e) {
            return "unusable: " + e.getMessage();
        }
    }

    private interface ThrowingSupplier<T> {
        T get() throws RbacManifests.UnusableInputException;
    }

    private static String mutate(String text, Random random) {
        StringBuilder result = new StringBuilder(text);
        for (int edits = 1 + random.nextInt(2); edits > 0; edits--) {
            int at = random.nextInt(result.length());
            switch (random.nextInt(3)) {
                case 0 -> result.insert(at, MUTATIONS.charAt(random.nextInt(MUTATIONS.length())));
                case 1 -> result.deleteCharAt(at);
                default -> result.setCharAt(at, MUTATIONS.charAt(random.nextInt(MUTATIONS.length())));
            }
        }
        return result.toString();
    }

    /** Small worlds written as kubectl writes them (a List, indentless sequences), indented, and as separate documents. */
    private static List<String> kubectlShaped(Random random) {
        SyntheticRbacWorld world = new SyntheticRbacWorld("d", 6, 10, 2, random.nextLong());
        List<HasMetadata> objects = new ArrayList<>(world.clusterRoles);
        objects.addAll(world.roles);
        objects.addAll(world.clusterRoleBindings);
        objects.addAll(world.roleBindings);
        List<String> texts = new ArrayList<>();
        StringBuilder list = new StringBuilder("apiVersion: v1\nitems:\n");
        StringBuilder documents = new StringBuilder();
        StringBuilder topLevelSequence = new StringBuilder();
        for (HasMetadata object : objects) {
            String yaml = SERIALIZATION.asYaml(object).replaceFirst("^---\n", "");
            String indentless = yaml.replaceAll("(?m)^(\\s*)  - ", "$1- ");
            list.append(indent("- ", indentless));
            documents.append("---\n").append(yaml);
            topLevelSequence.append(indent("- ", yaml));
        }
        list.append("kind: List\nmetadata:\n  resourceVersion: \"\"\n");
        texts.add(list.toString());
        texts.add(documents.toString());
        texts.add(topLevelSequence.toString());
        texts.add(list.toString().replace("kind: List", "kind: ConfigMap"));
        texts.add(documents + "---\n\n---\n");
        // kubectl apply leaves last-applied-configuration, which kubectl get prints as a literal block scalar.
        texts.add(list.toString().replaceAll("(?m)^  metadata:\n", """
                  metadata:
                    annotations:
                      kubectl.kubernetes.io/last-applied-configuration: |
                        {"apiVersion":"v1","kind":"x","metadata":{"annotations":{}}}
                      notes: >
                        folded
                        text

                          more indented
                """));
        return texts;
    }

    private static String indent(String first, String yaml) {
        Function<String, String> pad = line -> "  " + line;
        String[] lines = yaml.split("\n");
        StringBuilder result = new StringBuilder(first).append(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            result.append(pad.apply(lines[i])).append('\n');
        }
        return result.toString();
    }
}
