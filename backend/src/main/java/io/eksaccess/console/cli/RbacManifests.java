package io.eksaccess.console.cli;

import io.eksaccess.console.rbac.RbacJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import io.eksaccess.console.awsauth.goyaml.Echo;
import io.eksaccess.console.rbac.RbacIndex;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads RBAC objects from a manifest file or a directory of them (*.yaml, *.yml, *.json, recursively,
 * in name order): multi-document YAML, JSON, and {@code List} objects as
 * {@code kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml} prints them.
 * Objects of other kinds or API groups are skipped. A file or object that cannot be read becomes an
 * {@link Problem} and the rest is still used; later objects with the same kind, namespace and name
 * replace earlier ones, as applying them in order would.
 *
 * <p>For the findings command ({@link #loadDump}) it also collects Namespaces, ServiceAccounts,
 * Pods, Secret metadata and kube-system/aws-auth, as {@code kubectl get … -A -o yaml} prints them.
 */
final class RbacManifests {

    static final String RBAC_GROUP = "rbac.authorization.k8s.io/";
    private static final int MAX_FILE_BYTES = 256 * 1024 * 1024;

    /** Created when first needed: a cache hit reads no JSON, and setting up Jackson is most of a hit's start. */
    private static final class Json {
        static final JsonMapper STRICT_JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        static final JsonMapper LENIENT_JSON = JsonMapper.builder().build();
        /** The streaming JSON read: strict, and leaves documents nested deeper than BlockYaml's limit to the whole-file read. */
        static final JsonMapper STREAMING_JSON = JsonMapper.builder(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(BlockYaml.MAX_DEPTH).build()).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    }

    /** Created when first needed: setting it up loads much of fabric8, which well-formed RBAC manifests never need. */
    static final class Fabric8 {
        static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    }

    /** {@code document} is the 0-based YAML document (or JSON value) in the file; null for the whole file. */
    record Problem(String file, Integer document, String message) {
        String line() {
            return file + (document == null ? "" : " (document " + document + ")") + ": " + message;
        }
    }

    /** {@code warnings}: input that was used but is ambiguous (a duplicate key); one line each, no effect on exit codes. */
    record Loaded(RbacIndex index, int objects, List<Problem> problems, List<Problem> warnings) {}

    static final class UnusableInputException extends Exception {
        UnusableInputException(String message) {
            super(message);
        }
    }

    private final Map<String, Role> roles = new LinkedHashMap<>();
    private final Map<String, ClusterRole> clusterRoles = new LinkedHashMap<>();
    private final Map<String, RoleBinding> roleBindings = new LinkedHashMap<>();
    private final Map<String, ClusterRoleBinding> clusterRoleBindings = new LinkedHashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();
    /** Whether the core kinds the findings command needs are collected too (RBAC commands ignore them). */
    private final boolean core;
    private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
    private final Map<String, ServiceAccount> serviceAccounts = new LinkedHashMap<>();
    private final Map<String, Pod> pods = new LinkedHashMap<>();
    private final Map<String, Secret> secrets = new LinkedHashMap<>();
    private boolean sawSecretList;
    /** A Secret was read or skipped (the RBAC commands skip them): see {@link #copyable}. */
    private boolean sawSecret;
    private ConfigMap awsAuth;

    /**
     * A cluster dump for the findings command: RBAC plus Namespaces, ServiceAccounts, Pods, Secret
     * metadata (data is dropped as it is read) and kube-system/aws-auth. {@code secretsIncluded}:
     * the dump had Secrets or an empty SecretList, so their absence means there are none.
     */
    record Dump(List<Role> roles, List<ClusterRole> clusterRoles, List<RoleBinding> roleBindings,
            List<ClusterRoleBinding> clusterRoleBindings, List<Namespace> namespaces, List<ServiceAccount> serviceAccounts,
            List<Pod> pods, List<Secret> secrets, boolean secretsIncluded, Optional<ConfigMap> awsAuth,
            int objects, List<Problem> problems, List<Problem> warnings) {}

    private RbacManifests(boolean core) {
        this.core = core;
    }

    /**
     * @throws UnusableInputException when the path does not exist, or not one RBAC object could be read
     *     (an empty world would answer "nobody" with confidence)
     */
    static Loaded load(String path) throws UnusableInputException {
        return load(path, PreparedCache.OFF);
    }

    /** {@link #load(String)}, the dump read from (and kept in) the cache when it has it. */
    static Loaded load(String path, PreparedCache cache) throws UnusableInputException {
        return load(path, cache, false);
    }

    /** {@code afresh}: read the dump itself whatever the cache has, and keep it there anew. */
    static Loaded load(String path, PreparedCache cache, boolean afresh) throws UnusableInputException {
        List<Path> files = files(path);
        PreparedCache.Entry entry = cache.entry(path, files, false);
        if (entry != null && !afresh) {
            Loaded cached = entry.cached(PreparedCodec::decodeLoaded);
            if (cached != null) {
                return cached; // the built index itself: nothing parsed, aggregated or sorted again
            }
        }
        RbacManifests manifests = read(files, entry, false);
        Dump rbac = manifests.rbacDump(path);
        RbacIndex index = RbacIndex.build(rbac.roles(), rbac.clusterRoles(), rbac.roleBindings(), rbac.clusterRoleBindings());
        Loaded loaded = new Loaded(index, rbac.objects(), rbac.problems(), rbac.warnings());
        if (entry != null && PreparedCache.keepable(rbac)) {
            byte[] body = PreparedCodec.encodeLoaded(loaded);
            if (body != null) {
                entry.store(body, manifests.copyable());
            }
        }
        return loaded;
    }

    /** @throws UnusableInputException when the path does not exist, or not one object of a kind read could be read */
    static Dump loadDump(String path) throws UnusableInputException {
        return loadFindings(path, PreparedCache.OFF, false).dump();
    }

    /**
     * The findings command's input. {@code answer}: the findings without --aws-auth or
     * --access-entries as printed, kept by an earlier call (then {@code dump} is null: not even decoded);
     * else null and {@code dump} is the dump, read or kept.
     */
    record Findings(int objects, List<Problem> problems, List<Problem> warnings, Dump dump,
            FindingsAnswer answer, Keeper keeper) {

        /** Keeps the dump, with the plain answer when given, for the next call; nothing when it was kept already. */
        void keep(FindingsAnswer plain) {
            if (keeper != null) {
                keeper.keep(dump, plain);
            }
        }
    }

    /** Where a findings dump read (or kept without its plain answer) is kept. */
    record Keeper(PreparedCache.Entry entry, boolean copyable) {
        void keep(Dump dump, FindingsAnswer plain) {
            if (PreparedCache.keepable(dump)) {
                byte[] body = PreparedCodec.encodeFindings(dump, plain, copyable);
                if (body != null) {
                    entry.store(body, copyable);
                }
            }
        }
    }

    /**
     * The findings' dump, from the cache or read from the very bytes the cache key was computed of;
     * {@code plain}: without --aws-auth and --access-entries, when a kept answer answers.
     * Unusable input is never kept; the caller keeps the rest ({@link Findings#keep}).
     */
    static Findings loadFindings(String path, PreparedCache cache, boolean plain) throws UnusableInputException {
        List<Path> files = files(path);
        PreparedCache.Entry entry = cache.entry(path, files, true);
        if (entry != null) {
            Findings cached = entry.cached((bytes, from, to) -> PreparedCodec.decodeFindings(bytes, from, to, plain, entry));
            if (cached != null) {
                return cached;
            }
        }
        RbacManifests manifests = read(files, entry, true);
        Dump dump = manifests.dump(path);
        return new Findings(dump.objects(), dump.problems(), dump.warnings(), dump, null,
                entry == null ? null : new Keeper(entry, manifests.copyable()));
    }

    /** The files read ({@code core}: with the findings' kinds), from the bytes the cache entry was named by. */
    private static RbacManifests read(List<Path> files, PreparedCache.Entry entry, boolean core) {
        RbacManifests manifests = new RbacManifests(core);
        files.forEach(file -> manifests.readFile(file, entry == null ? null : entry.contents().get(file)));
        return manifests;
    }

    /**
     * Whether the cache may keep a copy of the files read: not when they hold a Secret (its values
     * would get a second copy) or a part that could not be read (it might be one).
     */
    private boolean copyable() {
        return !sawSecret && !sawSecretList && problems.isEmpty();
    }

    /** Only the RBAC objects: what the RBAC commands index. */
    private Dump rbacDump(String path) throws UnusableInputException {
        int objects = rbacObjects();
        if (objects == 0) {
            throw new UnusableInputException("no Role, ClusterRole, RoleBinding or ClusterRoleBinding found in " + path
                    + firstProblem());
        }
        return new Dump(List.copyOf(roles.values()), List.copyOf(clusterRoles.values()), List.copyOf(roleBindings.values()),
                List.copyOf(clusterRoleBindings.values()), List.of(), List.of(), List.of(), List.of(), false, Optional.empty(),
                objects, List.copyOf(problems), List.copyOf(warnings));
    }

    /** {@link #loadDump} of one text, as if it were a file called {@code name}. */
    static Dump loadDumpText(String name, String text) throws UnusableInputException {
        RbacManifests m = new RbacManifests(true);
        m.readText(name, text);
        return m.dump(name);
    }

    /** {@link #readSplit} of one file's bytes cut at {@code split}, as {@link #loadDump} reads it; null when declined. */
    static Dump loadDumpSplit(String name, byte[] bytes, int split) throws UnusableInputException {
        RbacManifests m = new RbacManifests(true);
        return isItemsCut(bytes, split) && m.readSplit(name, bytes, split) ? m.dump(name) : null;
    }

    private Dump dump(String path) throws UnusableInputException {
        RbacManifests m = this;
        int objects = m.rbacObjects() + m.namespaces.size() + m.serviceAccounts.size() + m.pods.size() + m.secrets.size()
                + (m.awsAuth == null ? 0 : 1);
        if (objects == 0) {
            throw new UnusableInputException("no Kubernetes object the findings read (RBAC, Namespace, ServiceAccount, Pod,"
                    + " Secret, the aws-auth ConfigMap) found in " + path + m.firstProblem());
        }
        return new Dump(List.copyOf(m.roles.values()), List.copyOf(m.clusterRoles.values()), List.copyOf(m.roleBindings.values()),
                List.copyOf(m.clusterRoleBindings.values()), List.copyOf(m.namespaces.values()),
                List.copyOf(m.serviceAccounts.values()), List.copyOf(m.pods.values()), List.copyOf(m.secrets.values()),
                m.sawSecretList || !m.secrets.isEmpty(), Optional.ofNullable(m.awsAuth), objects, List.copyOf(m.problems),
                List.copyOf(m.warnings));
    }

    /** The manifest files of {@code --from PATH}, in the order they are read. */
    private static List<Path> files(String path) throws UnusableInputException {
        Path root = Path.of(path);
        if (!Files.exists(root)) {
            throw new UnusableInputException("cannot read " + Echo.of(path) + ": no such file or directory");
        }
        List<Path> files;
        if (Files.isDirectory(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(Files::isRegularFile).filter(RbacManifests::isManifest).sorted().toList();
            } catch (IOException | RuntimeException e) {
                throw new UnusableInputException("cannot read " + Echo.of(path) + ": " + Echo.message(e.getMessage()));
            }
        } else {
            files = List.of(root);
        }
        return files;
    }

    private int rbacObjects() {
        return roles.size() + clusterRoles.size() + roleBindings.size() + clusterRoleBindings.size();
    }

    private String firstProblem() {
        return problems.isEmpty() ? "" : " (first problem: " + problems.get(0).line() + ")";
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    /** {@code bytes}: the file's contents already read (for the cache's key), or null to read it here. */
    private void readFile(Path file, byte[] bytes) {
        String name = file.toString();
        try {
            if ((bytes == null ? Files.size(file) : bytes.length) > MAX_FILE_BYTES) {
                problems.add(new Problem(name, null, "larger than " + (MAX_FILE_BYTES >> 20) + " MiB"));
                return;
            }
        } catch (IOException | RuntimeException e) {
            problems.add(new Problem(name, null, "cannot read: " + Echo.message(e.getMessage())));
            return;
        }
        if (bytes == null) {
            try {
                if (Files.size(file) >= SPLIT_BYTES && startsWithLetter(file)) {
                    bytes = Files.readAllBytes(file); // for the split read; a dump this size fits in memory
                }
            } catch (IOException | RuntimeException e) {
                // read it as a stream below, which reports what is wrong
            }
        }
        RbacManifests streamed = new RbacManifests(core);
        if (bytes != null && bytes.length >= SPLIT_BYTES && streamed.readSplit(name, bytes, itemsSplit(bytes))
                || streamed.readStreaming(file, bytes)) {
            absorb(streamed);
        } else {
            readWholeFile(file, bytes);
        }
    }

    /** Whether the file may be YAML the split read takes (JSON is streamed from the file: its bytes are not held). */
    private static boolean startsWithLetter(Path file) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            int first = in.read();
            return first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z';
        }
    }

    /** Files from this size on are read as two halves on two threads (kubectl's List: ~500 objects a MiB). */
    static final int SPLIT_BYTES = 1 << 20;

    /**
     * Where kubectl's List (document 0: a top-level mapping whose {@code items} is an indentless
     * sequence at column 0) can be cut in two for {@link #readSplit}: the start of the first item
     * at or after the middle, when every line from {@code items:} to there at column 0 is an item's
     * {@code - }; else -1.
     */
    static int itemsSplit(byte[] bytes) {
        int start = itemsStart(bytes);
        return start < 0 ? -1 : itemAtOrAfter(bytes, start, Math.max(start + 1, bytes.length / 2));
    }

    /** Whether {@code split} is a cut {@link #itemsSplit} could have chosen (at any position). */
    static boolean isItemsCut(byte[] bytes, int split) {
        int start = itemsStart(bytes);
        return start >= 0 && split > start && itemAtOrAfter(bytes, start, split) == split;
    }

    /** Where the first item of a column-0 {@code items:} line starts, or -1. */
    private static int itemsStart(byte[] bytes) {
        if (bytes.length == 0 || !(bytes[0] >= 'a' && bytes[0] <= 'z' || bytes[0] >= 'A' && bytes[0] <= 'Z')) {
            return -1; // JSON, a document marker, a comment, a byte order mark: read as a stream
        }
        byte[] items = "items:\n- ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + items.length <= bytes.length; i++) {
            if (bytes[i] == 'i' && java.util.Arrays.equals(bytes, i, i + items.length, items, 0, items.length)) {
                return i + items.length - 2;
            }
            while (i < bytes.length && bytes[i] != '\n') {
                i++; // to the end of this line
            }
        }
        return -1;
    }

    /**
     * The first line at or after {@code from} that starts an item ("-" then a space or the line's
     * end), when every column-0 line from {@code start} (the first item) up to it starts an item
     * or is a comment: these lines are all elements of the items sequence. Else -1.
     */
    private static int itemAtOrAfter(byte[] bytes, int start, int from) {
        for (int i = start; i < bytes.length - 1; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            byte next = bytes[i + 1];
            boolean item = next == '-' && (i + 2 == bytes.length || bytes[i + 2] == ' ' || bytes[i + 2] == '\n');
            if (item && i + 1 >= from) {
                return i + 1;
            }
            if (!item && next != ' ' && next != '\n' && next != '#') {
                return -1; // the items end (or something else is at column 0) before there; "#" is a comment
            }
        }
        return -1;
    }

    /**
     * Reads the file's bytes as two parts on two threads: up to {@code split} (a cut {@link #itemsSplit}
     * chose, so both parts start at column 0 within the List's items; BlockYaml as usual),
     * and from there (the rest of the items, then the List's remaining keys); each part's objects go
     * into an instance of its own, merged in file order, so objects, problems and warnings are what
     * one pass gives. False, with nothing kept, when {@code split} is -1 or either part leaves the
     * subset the single pass would take in one piece; the caller then reads the file as before.
     */
    boolean readSplit(String name, byte[] bytes, int split) {
        if (split <= 0) {
            return false;
        }
        RbacManifests first = new RbacManifests(core);
        RbacManifests second = new RbacManifests(core);
        Object[] rest = new Object[1]; // the keys after items, or why the second part is refused
        Thread thread = new Thread(() -> {
            try {
                rest[0] = BlockYaml.readRestOfItems(asciiReader(bytes, split, bytes.length), second.itemSink(name));
            } catch (BlockYaml.OutsideSubset | IOException | RuntimeException | StackOverflowError e) {
                rest[0] = e;
            }
        }, "dump-split");
        thread.start();
        Map<String, Object> head = new LinkedHashMap<>();
        boolean[] ended = new boolean[1];
        boolean taken;
        try {
            BlockYaml.Sink items = first.itemSink(name);
            BlockYaml.read(asciiReader(bytes, 0, split), new BlockYaml.Sink() {
                @Override
                public void item(int document, Object item) throws BlockYaml.OutsideSubset {
                    items.item(document, item);
                }

                @Override
                @SuppressWarnings("unchecked")
                public void document(int document, Object value, boolean itemsStreamed) throws BlockYaml.OutsideSubset {
                    if (document != 0 || !itemsStreamed || ended[0]) {
                        throw new BlockYaml.OutsideSubset("not one List");
                    }
                    ended[0] = true;
                    head.putAll((Map<String, Object>) value);
                }
            });
            taken = ended[0];
        } catch (BlockYaml.OutsideSubset | IOException | RuntimeException e) {
            taken = false;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (!taken || !(rest[0] instanceof Map<?, ?> after)) {
            return false;
        }
        Map<String, Object> list = new LinkedHashMap<>(head);
        for (Map.Entry<?, ?> key : after.entrySet()) {
            if (key.getKey().equals("items") || list.containsKey(key.getKey())) {
                return false; // a duplicate key: the single pass refuses it too, and SnakeYAML warns
            }
            list.put((String) key.getKey(), key.getValue());
        }
        if (!(list.get("kind") instanceof String kind) || !kind.endsWith("List")) {
            return false; // as the single pass: items in an object that is not a List
        }
        absorb(first);
        absorb(second);
        sawSecretList |= kind.equals("SecretList");
        return true;
    }

    /** Bytes as characters for BlockYaml: it refuses anything but printable ASCII, so no decoding is needed. */
    private static java.io.Reader asciiReader(byte[] bytes, int from, int to) {
        return new java.io.InputStreamReader(new java.io.ByteArrayInputStream(bytes, from, to - from),
                StandardCharsets.ISO_8859_1);
    }

    /** Items handed over by BlockYaml, read into this instance as {@link #readStreaming}'s sink reads them. */
    private BlockYaml.Sink itemSink(String name) {
        return new BlockYaml.Sink() {
            @Override
            public void item(int document, Object item) {
                readDocument(name, document, item);
            }

            @Override
            public void document(int document, Object value, boolean itemsStreamed) throws BlockYaml.OutsideSubset {
                throw new BlockYaml.OutsideSubset("a document in the second part");
            }
        };
    }

    /**
     * Reads the file as a stream, one object at a time into this (empty) instance: {@link BlockYaml}
     * for YAML, Jackson's streaming parser for JSON, each top-level {@code items} element read and
     * converted on its own. False when the file is anything but plain well-formed input (invalid
     * UTF-8, a NUL, a syntax error, a duplicate key, YAML outside BlockYaml's subset, nesting
     * deeper than its limit): then nothing here may be used, and {@link #readWholeFile} reads it
     * with the whole-file semantics (problems, warnings, expansion budget) as before.
     */
    private boolean readStreaming(Path file, byte[] bytes) {
        String name = file.toString();
        try (java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                bytes == null ? Files.newInputStream(file) : new java.io.ByteArrayInputStream(bytes),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16)) {
            reader.mark(1 << 16);
            int first;
            int skipped = 0;
            do {
                first = reader.read();
            } while (first >= 0 && Character.isWhitespace(first) && ++skipped < (1 << 15));
            reader.reset();
            BlockYaml.Sink sink = new BlockYaml.Sink() {
                @Override
                public void item(int document, Object item) {
                    readDocument(name, document, item);
                }

                @Override
                public void document(int document, Object value, boolean itemsStreamed) throws BlockYaml.OutsideSubset {
                    if (!itemsStreamed) {
                        readDocument(name, document, value);
                    } else if (value instanceof Map<?, ?> list && list.get("kind") instanceof String kind
                            && kind.endsWith("List")) {
                        sawSecretList |= kind.equals("SecretList");
                    } else {
                        throw new BlockYaml.OutsideSubset("items in an object that is not a List");
                    }
                }
            };
            if (first == '{' || first == '[') {
                readJsonStream(reader, sink);
            } else {
                BlockYaml.read(reader, sink);
            }
            return true;
        } catch (BlockYaml.OutsideSubset | IOException | RuntimeException e) {
            return false;
        }
    }

    /** One JSON value: an object (its items streamed when it has them) or an array (each element an item). */
    private static void readJsonStream(java.io.Reader reader, BlockYaml.Sink sink) throws BlockYaml.OutsideSubset {
        try (JsonParser parser = Json.STREAMING_JSON.createParser(reader)) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    sink.item(0, Json.STREAMING_JSON.readValue(parser, Object.class));
                }
            } else if (token == JsonToken.START_OBJECT) {
                Map<String, Object> root = new LinkedHashMap<>();
                boolean itemsStreamed = false;
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (name.equals("items") && value == JsonToken.START_ARRAY) {
                        while (parser.nextToken() != JsonToken.END_ARRAY) {
                            sink.item(0, Json.STREAMING_JSON.readValue(parser, Object.class));
                        }
                        itemsStreamed = true;
                    } else {
                        root.put(name, Json.STREAMING_JSON.readValue(parser, Object.class));
                    }
                }
                sink.document(0, root, itemsStreamed);
            } else {
                throw new BlockYaml.OutsideSubset("not an object or array");
            }
            if (parser.nextToken() != null) {
                throw new BlockYaml.OutsideSubset("content after the JSON value");
            }
        }
    }

    /** Adds what another instance read (a file read on its own), as if it had been read here. */
    private void absorb(RbacManifests other) {
        roles.putAll(other.roles);
        clusterRoles.putAll(other.clusterRoles);
        roleBindings.putAll(other.roleBindings);
        clusterRoleBindings.putAll(other.clusterRoleBindings);
        problems.addAll(other.problems);
        warnings.addAll(other.warnings);
        namespaces.putAll(other.namespaces);
        serviceAccounts.putAll(other.serviceAccounts);
        pods.putAll(other.pods);
        secrets.putAll(other.secrets);
        sawSecretList |= other.sawSecretList;
        sawSecret |= other.sawSecret;
        if (other.awsAuth != null) {
            awsAuth = other.awsAuth;
        }
    }

    private void readWholeFile(Path file, byte[] bytes) {
        String name = file.toString();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes == null ? Files.readAllBytes(file) : bytes)).toString();
        } catch (CharacterCodingException e) {
            problems.add(new Problem(name, null, "not UTF-8 text"));
            return;
        } catch (IOException | RuntimeException e) {
            problems.add(new Problem(name, null, "cannot read: " + Echo.message(e.getMessage())));
            return;
        }
        readText(name, text);
    }

    /** One file's text: its documents, each checked against the expansion budget before it is read. */
    void readText(String name, String text) {
        if (text.indexOf('\0') >= 0) {
            problems.add(new Problem(name, null, "binary, not YAML or JSON"));
            return;
        }
        List<Object> documents = new ArrayList<>();
        List<Problem> duplicates = new ArrayList<>();
        try {
            if (text.stripLeading().startsWith("{") || text.stripLeading().startsWith("[")) {
                documents.add(readJson(name, text, duplicates));
            } else {
                DuplicateKeyNotingConstructor constructor = new DuplicateKeyNotingConstructor(loaderOptions());
                for (Object document : new Yaml(constructor).loadAll(text)) {
                    constructor.duplicates.forEach(d -> duplicates.add(new Problem(name, documents.size(), d)));
                    constructor.duplicates.clear();
                    documents.add(document);
                }
            }
        } catch (RuntimeException e) {
            // SnakeYAML reads documents lazily: the ones before the broken one are lost too, so the
            // whole file counts as unreadable.
            String message = e.getMessage() == null ? e.toString() : Echo.message(e.getMessage());
            problems.add(new Problem(name, null, "not valid YAML or JSON: " + message));
            return;
        }
        warnings.addAll(duplicates);
        ExpansionBudget budget = new ExpansionBudget(text.length());
        for (int i = 0; i < documents.size(); i++) {
            String refused = budget.refusal(documents.get(i));
            if (refused != null) {
                problems.add(new Problem(name, i, refused));
            } else {
                readDocument(name, i, documents.get(i));
            }
        }
    }

    /**
     * JSON keeps the later of two equal keys (as encoding/json does), and the duplicate becomes a
     * warning: Jackson's strict mode names it, the lenient read keeps the value.
     */
    private static Object readJson(String name, String text, List<Problem> duplicates) {
        try {
            return Json.STRICT_JSON.readValue(text, Object.class);
        } catch (StreamReadException e) {
            if (e.getOriginalMessage() == null || !e.getOriginalMessage().startsWith("Duplicate Object property")) {
                throw e;
            }
            duplicates.add(new Problem(name, 0, Echo.message(e.getOriginalMessage()).replace("Duplicate Object property",
                    "duplicate key") + "; the later value is used"));
            return Json.LENIENT_JSON.readValue(text, Object.class);
        }
    }

    /**
     * Keeps the later of two equal keys, as before, but in our words: SnakeYAML's own warning goes
     * through java.util.logging as two lines on stderr.
     */
    private static final class DuplicateKeyNotingConstructor extends SafeConstructor {
        final List<String> duplicates = new ArrayList<>();

        DuplicateKeyNotingConstructor(LoaderOptions options) {
            super(options);
        }

        @Override
        protected void processDuplicateKeys(MappingNode node, boolean forceStringKeys) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (NodeTuple tuple : node.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key && !Tag.MERGE.equals(key.getTag())
                        && !seen.add(key.getValue())) {
                    duplicates.add("duplicate key '" + Echo.of(key.getValue()) + "' at line "
                            + (key.getStartMark().getLine() + 1) + "; the later value is used");
                }
            }
            super.processDuplicateKeys(node, forceStringKeys);
        }
    }

    /**
     * SnakeYAML shares an aliased value instead of copying it, so a few hundred bytes can stand
     * for millions of nested values, which reading them (here and in the conversion to fabric8
     * objects) would walk one by one. Without aliases a value takes at least a character, so a
     * file's values may add up to its length (plus some slack); nesting, aliases included, stops
     * at the parser's own depth limit.
     */
    static final class ExpansionBudget {
        static final int MAX_DEPTH = 100;
        private long left;

        ExpansionBudget(int textLength) {
            this.left = textLength + 100_000L;
        }

        /** @return why the document is refused, or null; walks it iteratively within the budget */
        String refusal(Object document) {
            java.util.ArrayDeque<Object> values = new java.util.ArrayDeque<>();
            java.util.ArrayDeque<Integer> depths = new java.util.ArrayDeque<>();
            values.push(document == null ? "" : document);
            depths.push(0);
            while (!values.isEmpty()) {
                Object value = values.pop();
                int depth = depths.pop();
                if (--left < 0) {
                    return "refused: its aliases expand to more values than the file has characters"
                            + " (a YAML alias bomb?); write the values out";
                }
                if (depth > MAX_DEPTH) {
                    return "refused: nested deeper than " + MAX_DEPTH + " levels, counting what aliases stand for";
                }
                List<Object> children = new ArrayList<>();
                if (value instanceof Map<?, ?> map) {
                    children.addAll(map.keySet()); // a key may be an aliased list too (? *a : x)
                    children.addAll(map.values());
                } else if (value instanceof List<?> list) {
                    children.addAll(list);
                }
                for (Object child : children) {
                    values.push(child == null ? "" : child);
                    depths.push(depth + 1);
                }
            }
            return null;
        }
    }

    private void readDocument(String file, int document, Object value) {
        if (value == null) {
            return; // an empty document between "---" separators
        }
        if (value instanceof List<?> items) {
            items.forEach(item -> readDocument(file, document, item));
            return;
        }
        if (!(value instanceof Map<?, ?> object)) {
            problems.add(new Problem(file, document, "not a Kubernetes object (a mapping with kind)"));
            return;
        }
        Object kind = object.get("kind");
        sawSecret |= "Secret".equals(kind);
        if (object.get("items") instanceof List<?> items && kind instanceof String k && k.endsWith("List")) {
            sawSecretList |= k.equals("SecretList");
            items.forEach(item -> readDocument(file, document, item));
            return;
        }
        if (core && "v1".equals(object.get("apiVersion")) && kind instanceof String coreKind) {
            try {
                readCoreObject(coreKind, object);
            } catch (IllegalArgumentException | ClassCastException e) {
                problems.add(new Problem(file, document, coreKind + describe(object) + ": " + Echo.message(e.getMessage())));
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.toString() : Echo.message(e.getMessage());
                problems.add(new Problem(file, document, coreKind + describe(object) + " cannot be read: " + message));
            }
            return;
        }
        if (!(object.get("apiVersion") instanceof String apiVersion) || !apiVersion.startsWith(RBAC_GROUP)
                || !(kind instanceof String)) {
            return; // not RBAC: ServiceAccounts, Namespaces, other groups' look-alike kinds
        }
        try {
            readObject((String) kind, trimmed(object));
        } catch (IllegalArgumentException | ClassCastException e) {
            problems.add(new Problem(file, document, kind + describe(object) + ": " + Echo.message(e.getMessage())));
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : Echo.message(e.getMessage());
            problems.add(new Problem(file, document, kind + describe(object) + " cannot be read: " + message));
        }
    }

    private void readObject(String kind, Map<String, Object> object) {
        switch (kind) {
            case "Role" -> {
                Role role = RbacObjectMaps.role(object);
                role = role != null ? role : Fabric8.SERIALIZATION.convertValue(object, Role.class);
                roles.put(key(role.getMetadata(), true), role);
            }
            case "ClusterRole" -> {
                ClusterRole role = RbacObjectMaps.clusterRole(object);
                role = role != null ? role : Fabric8.SERIALIZATION.convertValue(object, ClusterRole.class);
                clusterRoles.put(key(role.getMetadata(), false), role);
            }
            case "RoleBinding" -> {
                RoleBinding binding = RbacObjectMaps.roleBinding(object);
                binding = binding != null ? binding : Fabric8.SERIALIZATION.convertValue(object, RoleBinding.class);
                requireRoleRef(binding.getRoleRef());
                roleBindings.put(key(binding.getMetadata(), true), binding);
            }
            case "ClusterRoleBinding" -> {
                ClusterRoleBinding binding = RbacObjectMaps.clusterRoleBinding(object);
                binding = binding != null ? binding
                        : Fabric8.SERIALIZATION.convertValue(object, ClusterRoleBinding.class);
                requireRoleRef(binding.getRoleRef());
                clusterRoleBindings.put(key(binding.getMetadata(), false), binding);
            }
            default -> { } // e.g. a future RBAC kind: nothing the authorizer reads
        }
    }

    private void readCoreObject(String kind, Map<?, ?> object) {
        switch (kind) {
            case "Namespace" -> {
                Namespace namespace = Fabric8.SERIALIZATION.convertValue(object, Namespace.class);
                namespaces.put(key(namespace.getMetadata(), false), namespace);
            }
            case "ServiceAccount" -> {
                ServiceAccount account = Fabric8.SERIALIZATION.convertValue(object, ServiceAccount.class);
                serviceAccounts.put(key(account.getMetadata(), true), account);
            }
            case "Pod" -> {
                Pod pod = Fabric8.SERIALIZATION.convertValue(object, Pod.class);
                pods.put(key(pod.getMetadata(), true), pod);
            }
            case "Secret" -> {
                // Metadata and type only: the token or password in data is never even converted.
                Map<String, Object> metadataOnly = new LinkedHashMap<>();
                for (String field : List.of("apiVersion", "kind", "metadata", "type")) {
                    if (object.containsKey(field)) {
                        metadataOnly.put(field, object.get(field));
                    }
                }
                Secret secret = Fabric8.SERIALIZATION.convertValue(metadataOnly, Secret.class);
                secrets.put(key(secret.getMetadata(), true), secret);
            }
            case "ConfigMap" -> {
                ConfigMap configMap = Fabric8.SERIALIZATION.convertValue(object, ConfigMap.class);
                if ("kube-system".equals(configMap.getMetadata() == null ? null : configMap.getMetadata().getNamespace())
                        && "aws-auth".equals(configMap.getMetadata().getName())) {
                    awsAuth = configMap;
                }
            }
            default -> { } // other core kinds: nothing the findings read
        }
    }

    private static void requireRoleRef(io.fabric8.kubernetes.api.model.rbac.RoleRef roleRef) {
        if (roleRef == null || roleRef.getName() == null || roleRef.getKind() == null) {
            throw new IllegalArgumentException("has no roleRef kind and name");
        }
    }

    private static String key(io.fabric8.kubernetes.api.model.ObjectMeta metadata, boolean namespaced) {
        if (metadata == null || metadata.getName() == null || metadata.getName().isEmpty()) {
            throw new IllegalArgumentException("has no metadata.name");
        }
        if (namespaced && (metadata.getNamespace() == null || metadata.getNamespace().isEmpty())) {
            throw new IllegalArgumentException("has no metadata.namespace (kubectl get -A -o yaml prints it)");
        }
        return (namespaced ? metadata.getNamespace() + "/" : "") + metadata.getName();
    }

    /** Only what the authorizer reads; this also keeps timestamps and managedFields out of the mapping. */
    private static Map<String, Object> trimmed(Map<?, ?> object) {
        Map<String, Object> result = new LinkedHashMap<>();
        for (String field : List.of("apiVersion", "kind", "rules", "aggregationRule", "roleRef", "subjects")) {
            if (object.containsKey(field)) {
                result.put(field, object.get(field));
            }
        }
        if (object.get("metadata") instanceof Map<?, ?> metadata) {
            Map<String, Object> trimmedMetadata = new LinkedHashMap<>();
            for (String field : List.of("name", "namespace", "labels")) {
                if (metadata.containsKey(field)) {
                    trimmedMetadata.put(field, metadata.get(field));
                }
            }
            result.put("metadata", trimmedMetadata);
        }
        return result;
    }

    private static String describe(Map<?, ?> object) {
        if (object.get("metadata") instanceof Map<?, ?> metadata && metadata.get("name") != null) {
            Object namespace = metadata.get("namespace");
            return " " + Echo.of((namespace == null ? "" : namespace + "/") + metadata.get("name"));
        }
        return "";
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(ExpansionBudget.MAX_DEPTH);
        options.setCodePointLimit(MAX_FILE_BYTES);
        options.setWarnOnDuplicateKeys(false); // noted by DuplicateKeyNotingConstructor instead
        return options;
    }

    /** The problems as the commands' {@code "errors"} array. */
    static ArrayNode errorsJson(List<Problem> problems) {
        ArrayNode errors = RbacJson.JSON.createArrayNode();
        for (Problem problem : problems) {
            ObjectNode node = errors.addObject();
            node.put("file", problem.file());
            if (problem.document() == null) {
                node.putNull("document");
            } else {
                node.put("document", problem.document().intValue());
            }
            node.put("message", problem.message());
        }
        return errors;
    }
}
