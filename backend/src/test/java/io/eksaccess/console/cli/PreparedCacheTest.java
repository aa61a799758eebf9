package io.eksaccess.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #19: read dumps kept between calls ({@link PreparedCache}). A hit answers exactly as a
 * miss and as {@code --no-cache} (stdout, stderr with its skipped/warning lines, exit code) for
 * every command that reads one; a changed dump is a miss even with the same size and time; an
 * entry that is corrupt, truncated or of another format is ignored and rewritten; the
 * directory and entries are private; {@code --no-cache} and the environment switch keep nothing.
 */
class PreparedCacheTest {

    /** kubectl's List, plus a binding without roleRef (a problem, exit 1) and a Role in a second document. */
    private static final String DUMP = """
            apiVersion: v1
            items:
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRole
              metadata:
                name: pod-reader
                labels:
                  agg: "true"
              rules:
              - apiGroups:
                - ""
                resources:
                - pods
                - pods/log
                verbs:
                - get
                - list
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRole
              metadata:
                name: aggregated
              aggregationRule:
                clusterRoleSelectors:
                - matchLabels:
                    agg: "true"
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: RoleBinding
              metadata:
                name: devs-read
                namespace: team-a
              roleRef:
                apiGroup: rbac.authorization.k8s.io
                kind: ClusterRole
                name: aggregated
              subjects:
              - apiGroup: rbac.authorization.k8s.io
                kind: User
                name: alice
              - kind: ServiceAccount
                name: ci
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRoleBinding
              metadata:
                name: broken
            - apiVersion: v1
              kind: ServiceAccount
              metadata:
                name: ci
                namespace: team-a
            kind: List
            metadata:
              resourceVersion: ""
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: deployer
              namespace: team-a
            rules:
            - apiGroups:
              - apps
              resources:
              - deployments
              verbs:
              - '*'
            """;

    /**
     * {@link #DUMP} with a ClusterRoleBinding that has its roleRef: nothing unreadable, so the
     * entry holds a copy of the dump and a hit is confirmed byte by byte.
     */
    private static final String CLEAN = DUMP.replace("""
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRoleBinding
              metadata:
                name: broken
            """, """
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRoleBinding
              metadata:
                name: viewers
              roleRef:
                apiGroup: rbac.authorization.k8s.io
                kind: ClusterRole
                name: pod-reader
              subjects:
              - apiGroup: rbac.authorization.k8s.io
                kind: Group
                name: devs
              - kind: ServiceAccount
                name: monitor
                namespace: ops
            """);

    /** Questions other than the one that wrote the entry, all answered from it. */
    private static final List<List<String>> QUESTIONS = List.of(
            List.of("who-can", "get", "pods", "-n", "team-a"),
            List.of("who-can", "--json", "list", "pods/log", "-n", "team-a"),
            List.of("who-can", "create", "deployments", "--api-group", "apps", "-n", "team-a"),
            List.of("who-can", "--json", "get", "pods"),
            List.of("who-can", "get", "pods", "--name", "web", "-n", "ops"),
            List.of("who-can", "get", "--non-resource-url", "/healthz"),
            List.of("who-can", "--json", "delete", "secrets", "-n", "nowhere"),
            List.of("can-i", "--user", "alice", "get", "pods", "-n", "team-a"),
            List.of("can-i", "--json", "--group", "devs", "list", "pods", "-n", "ops"),
            List.of("can-i", "--user", "system:serviceaccount:team-a:ci", "create", "deployments", "--api-group", "apps",
                    "-n", "team-a"),
            List.of("can-i", "--json", "--user", "system:serviceaccount:ops:monitor", "--group", "x", "get", "pods/log"),
            List.of("can-i", "--user", "bob", "--group", "system:masters", "delete", "nodes"),
            List.of("can-i", "--user", "alice", "get", "--non-resource-url", "/metrics"),
            List.of("rules-for", "--user", "alice"),
            List.of("rules-for", "--json", "--group", "devs"),
            List.of("rules-for", "--service-account", "ops:monitor"),
            List.of("rules-for", "--json", "--service-account", "team-a:ci"),
            List.of("rules-for", "--user", "nobody"),
            List.of("findings"),
            List.of("findings", "--json"),
            // kubectl's RESOURCE[.VERSION].GROUP, and the core-group hint (a note on stderr, a field in JSON)
            List.of("who-can", "create", "deployments.apps", "-n", "team-a"),
            List.of("who-can", "--json", "create", "deployments.v1.apps", "-n", "team-a"),
            List.of("can-i", "--user", "system:serviceaccount:team-a:ci", "create", "deployments.v1.apps", "-n", "team-a"),
            List.of("who-can", "create", "deployments", "-n", "team-a"),
            List.of("who-can", "--json", "create", "deployments/scale", "-n", "team-a"));

    /** A duplicate key leaves BlockYaml's subset: SnakeYAML reads it and a warning is printed. */
    private static final String WITH_WARNING = DUMP.replace("  name: deployer\n", "  name: deployer\n  name: deployer\n");

    private static final List<List<String>> COMMANDS = List.of(
            List.of("who-can", "get", "pods/log", "-n", "team-a"),
            List.of("who-can", "--json", "create", "deployments", "--api-group", "apps", "-n", "team-a"),
            List.of("can-i", "--user", "alice", "list", "pods", "-n", "team-a"),
            List.of("can-i", "--json", "--user", "system:serviceaccount:team-a:ci", "get", "pods", "-n", "team-a"),
            List.of("rules-for", "--user", "alice"),
            List.of("rules-for", "--json", "--service-account", "team-a:ci"),
            List.of("findings"),
            List.of("findings", "--json"));

    @TempDir
    Path dir;

    private Path cache;
    private Path entries;
    private Map<String, String> environment;

    @BeforeEach
    void environment() {
        cache = dir.resolve("xdg");
        entries = cache.resolve("eks-access-console").resolve("prepared");
        environment = new HashMap<>(Map.of("XDG_CACHE_HOME", cache.toString(), "HOME", dir.resolve("home").toString()));
    }

    private record Run(int exit, String out, String err) {}

    private Run run(List<String> command, Path dump, String... more) {
        List<String> args = new ArrayList<>(command.subList(0, 1));
        args.add("--from");
        args.add(dump.toString());
        args.addAll(List.of(more));
        args.addAll(command.subList(1, command.size()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new ConsoleCli(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), environment).run(args.toArray(String[]::new));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private List<Path> entryFiles() throws Exception {
        if (!Files.isDirectory(entries)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(entries)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".idx")).sorted().toList();
        }
    }

    @Test
    void aHitAnswersAsAMissAndAsNoCacheForEveryCommand() throws Exception {
        for (String text : List.of(DUMP, WITH_WARNING)) {
            Path dump = Files.writeString(dir.resolve("dump-" + text.length() + ".yaml"), text);
            for (List<String> command : COMMANDS) {
                Run fresh = run(command, dump, "--no-cache");
                assertThat(fresh.exit()).as("%s", command).isEqualTo(1); // the binding without roleRef
                assertThat(fresh.err()).contains("skipped");
                if (text == WITH_WARNING) {
                    assertThat(fresh.err()).as("%s", command).contains("warning: ").contains("duplicate key 'name'");
                }
                Run miss = run(command, dump);
                List<Path> written = entryFiles();
                assertThat(written).as("an entry per dump and kind (RBAC or findings)").isNotEmpty();
                for (Path entry : written) {
                    Files.setLastModifiedTime(entry, FileTime.fromMillis(0));
                }
                Run hit = run(command, dump);
                assertThat(miss).as("%s, miss", command).isEqualTo(fresh);
                assertThat(hit).as("%s, hit", command).isEqualTo(fresh);
                // A hit marks its entry used; nothing else touches the time.
                assertThat(written.stream().filter(this::usedRecently)).as("%s was answered from an entry", command)
                        .hasSize(1);
            }
        }
    }

    /**
     * One entry per kind (RBAC, findings), written by one question, answers every other question
     * as --no-cache does: the kept index is the whole index, not the part one question touched.
     */
    @Test
    void oneEntryAnswersEveryQuestionAsNoCache() throws Exception {
        for (String text : List.of(CLEAN, DUMP, WITH_WARNING)) {
            Path dump = Files.writeString(dir.resolve("dump-" + text.length() + "-" + text.hashCode() + ".yaml"), text);
            run(List.of("who-can", "get", "secrets", "-n", "kube-system"), dump);
            run(List.of("findings"), dump);
            List<Path> written = entryFiles();
            for (List<String> question : QUESTIONS) {
                for (Path entry : written) {
                    Files.setLastModifiedTime(entry, FileTime.fromMillis(0));
                }
                Run fresh = run(question, dump, "--no-cache");
                assertThat(fresh.exit()).as("%s", question).isEqualTo(text == CLEAN ? 0 : 1);
                assertThat(run(question, dump)).as("%s, hit", question).isEqualTo(fresh);
                assertThat(written.stream().filter(this::usedRecently)).as("%s was answered from an entry", question)
                        .hasSize(1);
                assertThat(entryFiles()).as("%s wrote no entry of its own", question).isEqualTo(written);
            }
            for (Path entry : written) {
                Files.delete(entry);
            }
        }
    }

    /**
     * A findings entry holds the dump and the plain answer (no --aws-auth, no --access-entries):
     * a call with either decodes the dump and answers as --no-cache; a plain call after an entry
     * written with one adds the plain answer, and the next plain call is answered from it.
     */
    @Test
    void findingsWithAndWithoutAwsAuthFromOneEntry() throws Exception {
        Path awsAuth = Files.writeString(dir.resolve("aws-auth.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: aws-auth
                  namespace: kube-system
                data:
                  mapUsers: |
                    - userarn: arn:aws:iam::111122223333:user/alice
                      username: alice
                      groups:
                      - system:masters
                """);
        for (String text : List.of(CLEAN, DUMP)) {
            Path dump = Files.writeString(dir.resolve("dump-" + text.length() + ".yaml"), text);
            List<String> withAwsAuth = List.of("findings", "--json", "--aws-auth", awsAuth.toString());
            Run freshWith = run(withAwsAuth, dump, "--no-cache");
            assertThat(freshWith.out()).contains("AWSAUTH-");
            Run freshPlain = run(List.of("findings"), dump, "--no-cache");
            assertThat(run(withAwsAuth, dump)).isEqualTo(freshWith); // writes the entry, without the plain answer
            Path entry = entryFiles().get(0);
            long withoutPlain = Files.size(entry);
            assertThat(run(withAwsAuth, dump)).isEqualTo(freshWith);
            assertThat(run(List.of("findings"), dump)).isEqualTo(freshPlain);
            assertThat(Files.size(entry)).as("the plain answer added").isGreaterThan(withoutPlain);
            byte[] withPlain = Files.readAllBytes(entry);
            assertThat(run(List.of("findings"), dump)).isEqualTo(freshPlain);
            assertThat(run(withAwsAuth, dump)).isEqualTo(freshWith);
            assertThat(Files.readAllBytes(entry)).as("not rewritten again").isEqualTo(withPlain);
            Files.delete(entry);
        }
    }

    private boolean usedRecently(Path entry) {
        try {
            return Files.getLastModifiedTime(entry).toMillis() > 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aChangedDumpWithTheSameSizeAndTimeIsAMiss() throws Exception {
        for (String text : List.of(DUMP, CLEAN)) { // confirmed by SHA-256 (a problem), and by the copy
            Path dump = Files.writeString(dir.resolve("dump-" + text.length() + ".yaml"), text);
            FileTime time = Files.getLastModifiedTime(dump);
            List<String> whoCan = List.of("who-can", "get", "pods", "-n", "team-a");
            assertThat(run(whoCan, dump).out()).contains("User alice");
            Files.writeString(dump, text.replace("name: alice", "name: mallo"));
            Files.setLastModifiedTime(dump, time);
            assertThat(Files.size(dump)).isEqualTo(text.length());
            Run changed = run(whoCan, dump);
            assertThat(changed.out()).contains("User mallo").doesNotContain("alice");
            assertThat(changed).isEqualTo(run(whoCan, dump, "--no-cache"));
            // Named by name and length: the same entry, rewritten for the new bytes.
            assertThat(entryFiles()).hasSize(1);
            assertThat(run(whoCan, dump)).as("a hit on the rewritten entry").isEqualTo(changed);
            for (Path entry : entryFiles()) {
                Files.delete(entry);
            }
        }
    }

    /** One byte in the middle: the kept copy differs, so the entry is not used but rewritten. */
    @Test
    void aDumpThatDiffersInOneByteInTheMiddleIsAMiss() throws Exception {
        Path dump = Files.writeString(dir.resolve("dump.yaml"), CLEAN);
        FileTime time = Files.getLastModifiedTime(dump);
        List<String> canI = List.of("can-i", "--user", "alice", "list", "pods", "-n", "team-a");
        assertThat(run(canI, dump).out()).startsWith("yes");
        int middle = CLEAN.indexOf("name: alice") + 6; // devs-read's subject, mid-file
        assertThat(middle).isBetween(CLEAN.length() / 4, CLEAN.length() * 3 / 4);
        byte[] changed = CLEAN.getBytes(StandardCharsets.UTF_8);
        changed[middle] = 'b'; // "alice" becomes "blice"
        Files.write(dump, changed);
        Files.setLastModifiedTime(dump, time);
        Run miss = run(canI, dump);
        assertThat(miss.out()).startsWith("no");
        assertThat(miss).isEqualTo(run(canI, dump, "--no-cache"));
        assertThat(entryFiles()).hasSize(1);
        assertThat(Files.readAllBytes(entryFiles().get(0))).as("the copy kept is the new dump's")
                .containsSequence(changed);
    }

    /**
     * A hit compares the dump with its copy a chunk at a time (made 256 bytes here, so a small
     * dump spans several): a dump that differs from the kept one only in its last byte is still a
     * miss, answered as --no-cache, and the entry then holds the new bytes; asked again, it answers
     * from them.
     */
    @Test
    void aDumpOfSeveralChunksThatDiffersInItsLastByteIsAMiss() throws Exception {
        int chunk = PreparedCache.chunkBytes;
        PreparedCache.chunkBytes = 256;
        try {
            severalChunks();
        } finally {
            PreparedCache.chunkBytes = chunk;
        }
    }

    private void severalChunks() throws Exception {
        String big = CLEAN + "# padding\n# b\n";
        assertThat(big.length()).isGreaterThan(4 * 256);
        Path dump = Files.writeString(dir.resolve("big.yaml"), big);
        FileTime time = Files.getLastModifiedTime(dump);
        List<String> whoCan = List.of("who-can", "get", "pods", "-n", "team-a");
        Run first = run(whoCan, dump);
        assertThat(first.out()).contains("User alice");
        assertThat(run(whoCan, dump)).as("a hit").isEqualTo(first);
        byte[] changed = big.replace("name: alice", "name: mallo").getBytes(StandardCharsets.UTF_8);
        changed[changed.length - 2] = 'c'; // and the last comment
        Files.write(dump, changed);
        Files.setLastModifiedTime(dump, time);
        Run miss = run(whoCan, dump);
        assertThat(miss.out()).contains("User mallo").doesNotContain("alice");
        assertThat(miss).isEqualTo(run(whoCan, dump, "--no-cache"));
        byte[] lastOnly = changed.clone();
        lastOnly[lastOnly.length - 2] = 'd'; // only the very last chunk differs now
        Files.write(dump, lastOnly);
        Run lastMiss = run(whoCan, dump);
        assertThat(lastMiss).isEqualTo(miss);
        assertThat(Files.readAllBytes(entryFiles().get(0))).as("rewritten with the new last byte").containsSequence(
                java.util.Arrays.copyOfRange(lastOnly, lastOnly.length - 400, lastOnly.length));
        assertThat(run(whoCan, dump)).isEqualTo(miss);
    }

    /**
     * A dump changed in the middle and patched so its CRC-32C, length and time are the old one's:
     * the entry's name is the same, and only the comparison with the dump's copy in it tells the
     * two apart. It must, or a crafted dump would get another dump's answers.
     */
    @Test
    void aDumpWithTheCachedOnesCrcIsConfirmedByItsBytes() throws Exception {
        String padded = CLEAN + "# " + "b".repeat(64) + "\n";
        Path dump = Files.writeString(dir.resolve("dump.yaml"), padded);
        FileTime time = Files.getLastModifiedTime(dump);
        List<String> whoCan = List.of("who-can", "get", "pods", "-n", "team-a");
        assertThat(run(whoCan, dump).out()).contains("User alice");
        List<Path> written = entryFiles();
        byte[] forged = CrcForgery.sameCrc(padded.getBytes(StandardCharsets.UTF_8),
                padded.replace("name: alice", "name: mallo").getBytes(StandardCharsets.UTF_8), padded.length() - 65);
        Files.write(dump, forged);
        Files.setLastModifiedTime(dump, time);
        Run changed = run(whoCan, dump);
        assertThat(changed.out()).contains("User mallo").doesNotContain("alice");
        assertThat(changed).isEqualTo(run(whoCan, dump, "--no-cache"));
        assertThat(entryFiles()).as("the same name: the entry was rewritten for the new bytes").isEqualTo(written);
    }

    /** Flips bit 0 of some of the 64 bytes from {@code from} on so that {@code changed} gets {@code original}'s CRC-32C. */
    private static final class CrcForgery {
        static byte[] sameCrc(byte[] original, byte[] changed, int from) {
            // CRC-32C is affine over GF(2): find the bits whose effects add up to the difference.
            byte[] zeros = new byte[changed.length];
            long zero = crc(zeros);
            int[] basis = new int[32];
            long[] combination = new long[32];
            boolean[] has = new boolean[32];
            for (int k = 0; k < 64; k++) {
                zeros[from + k] = 1;
                int effect = (int) (crc(zeros) ^ zero);
                zeros[from + k] = 0;
                long bits = 1L << k;
                for (int b = 31; b >= 0 && effect != 0; b--) {
                    if ((effect >>> b & 1) == 0) {
                        continue;
                    }
                    if (!has[b]) {
                        has[b] = true;
                        basis[b] = effect;
                        combination[b] = bits;
                        break;
                    }
                    effect ^= basis[b];
                    bits ^= combination[b];
                }
            }
            int target = (int) (crc(original) ^ crc(changed));
            long flip = 0;
            for (int b = 31; b >= 0; b--) {
                if ((target >>> b & 1) != 0) {
                    assertThat(has[b]).as("the 64 bits span CRC-32C's 32").isTrue();
                    target ^= basis[b];
                    flip ^= combination[b];
                }
            }
            byte[] forged = changed.clone();
            for (int k = 0; k < 64; k++) {
                if ((flip >>> k & 1) != 0) {
                    forged[from + k] ^= 1;
                }
            }
            assertThat(crc(forged)).isEqualTo(crc(original));
            assertThat(forged).hasSameSizeAs(original).isNotEqualTo(original);
            return forged;
        }

        private static long crc(byte[] bytes) {
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(bytes);
            return crc.getValue();
        }
    }

    /** Where an entry's body starts: after the frame's header and the dump's copy (or its SHA-256). */
    private static int bodyStart(byte[] entry) {
        ByteBuffer in = ByteBuffer.wrap(entry);
        in.position(48);
        byte confirmation = in.get();
        if (confirmation == 2) {
            return in.position() + 32;
        }
        assertThat(confirmation).as("a copy of the dump").isEqualTo((byte) 1);
        int files = in.getInt();
        for (int i = 0; i < files; i++) {
            int name = in.getInt();
            in.position(in.position() + name);
            int bytes = in.getInt();
            in.position(in.position() + bytes);
        }
        return in.position();
    }

    /** Where an entry's kept index starts: after the body's problems' part. */
    private static int indexStart(byte[] entry) {
        int body = bodyStart(entry);
        return body + 4 + ByteBuffer.wrap(entry).getInt(body);
    }

    /** The entry with its index part replaced, framed as the cache frames it (length and the body's CRC-32C right). */
    private static byte[] withIndex(byte[] entry, byte[] index) {
        int start = indexStart(entry);
        int body = bodyStart(entry);
        ByteBuffer out = ByteBuffer.allocate(start + index.length + 4);
        out.put(entry, 0, start).put(index);
        out.putInt(44, start + index.length - 48);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(out.array(), body, start + index.length - body);
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /**
     * An index part that is truncated, cut short, padded, overwritten or corrupt (with or without
     * a CRC to match): ignored, answered as --no-cache, and the entry rewritten.
     */
    @Test
    void aDamagedIndexPartIsIgnoredAndRewritten() throws Exception {
        Path dump = Files.writeString(dir.resolve("dump.yaml"), CLEAN);
        List<String> command = List.of("rules-for", "--json", "--group", "devs");
        Run fresh = run(command, dump, "--no-cache");
        run(command, dump);
        Path entry = entryFiles().get(0);
        byte[] good = Files.readAllBytes(entry);
        int start = indexStart(good);
        byte[] index = java.util.Arrays.copyOfRange(good, start, good.length - 4);
        assertThat(index.length).isGreaterThan(100);
        List<byte[]> bad = new ArrayList<>();
        for (int cut : new int[] {0, 1, index.length / 3, index.length / 2, index.length - 1}) {
            bad.add(withIndex(good, java.util.Arrays.copyOf(index, cut)));
        }
        bad.add(withIndex(good, java.util.Arrays.copyOf(index, index.length + 7))); // bytes after the end
        byte[] ones = index.clone();
        java.util.Arrays.fill(ones, index.length / 2, index.length, (byte) 0xff);
        bad.add(withIndex(good, ones)); // numbers too long, sizes past the end
        byte[] zeros = index.clone();
        java.util.Arrays.fill(zeros, 0, index.length / 2, (byte) 0);
        bad.add(withIndex(good, zeros));
        byte[] flipped = good.clone();
        flipped[start + index.length / 2] ^= 0x40; // the CRC no longer matches
        bad.add(flipped);
        for (byte[] entryBytes : bad) {
            Files.write(entry, entryBytes);
            assertThat(run(command, dump)).isEqualTo(fresh);
            assertThat(Files.readAllBytes(entry)).as("rewritten").isEqualTo(good);
        }
    }

    /**
     * Bytes changed in a kept index with its CRC made to match (a deliberate edit, which the
     * threat model leaves to whoever can write the directory): the load either refuses the entry
     * or answers, but no question ends in an exception.
     */
    @Test
    void anEditedIndexNeverEndsInAnException() throws Exception {
        Path dump = Files.writeString(dir.resolve("dump.yaml"), CLEAN);
        run(List.of("who-can", "get", "pods"), dump);
        Path entry = entryFiles().get(0);
        byte[] good = Files.readAllBytes(entry);
        int start = indexStart(good);
        byte[] index = java.util.Arrays.copyOfRange(good, start, good.length - 4);
        java.util.Random random = new java.util.Random(19);
        for (int round = 0; round < 40; round++) {
            byte[] edited = index.clone();
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                edited[random.nextInt(edited.length)] = (byte) random.nextInt(256);
            }
            for (List<String> question : QUESTIONS.subList(0, 18)) { // the RBAC commands
                Files.write(entry, withIndex(good, edited));
                Run edit = run(question, dump);
                assertThat(edit.exit()).as("%s after edit %d: %s", question, round, edit.err()).isIn(0, 1);
            }
        }
    }

    /**
     * A namespace's bindings are read when a question first needs them, after the load: bytes there
     * that do not read as written (edited with the CRC made to match) are never an answer nor an
     * exception; the question is answered from the dump itself, as --no-cache, and the entry kept anew.
     */
    @Test
    void aNamespaceThatDoesNotReadWhenAskedIsAnsweredFromTheDump() throws Exception {
        Path dump = Files.writeString(dir.resolve("dump.yaml"), CLEAN);
        List<String> question = List.of("who-can", "get", "pods", "-n", "team-a");
        Run fresh = run(question, dump, "--no-cache");
        run(question, dump);
        Path entry = entryFiles().get(0);
        byte[] good = Files.readAllBytes(entry);
        int start = indexStart(good);
        byte[] index = java.util.Arrays.copyOfRange(good, start, good.length - 4);
        int answeredFromTheDump = 0;
        for (int at = 0; at < index.length; at++) {
            byte[] edited = index.clone();
            edited[at] = (byte) 0xff; // a number that runs on: read lazily, it fails where it is read
            Files.write(entry, withIndex(good, edited));
            Run run = run(question, dump);
            if (run.err().contains("did not read as written")) {
                answeredFromTheDump++;
                assertThat(run.out()).as("byte %d", at).isEqualTo(fresh.out());
                assertThat(run.exit()).isEqualTo(fresh.exit());
                assertThat(run.err()).as("the note, then what --no-cache says")
                        .isEqualTo(run.err().lines().findFirst().orElseThrow() + "\n" + fresh.err());
                assertThat(Files.readAllBytes(entry)).as("kept anew").isEqualTo(good);
            }
        }
        assertThat(answeredFromTheDump).as("bytes of team-a's bindings, read after the load").isPositive();
    }

    /** A dump without problems or Secrets is kept as a copy (the hit compares bytes); with a Secret it never is. */
    @Test
    void aDumpWithASecretIsNeverCopied() throws Exception {
        Path clean = Files.writeString(dir.resolve("clean.yaml"), CLEAN);
        run(List.of("who-can", "get", "pods", "-n", "team-a"), clean);
        assertThat(Files.readString(entryFiles().get(0), StandardCharsets.ISO_8859_1)).as("a copy of the dump")
                .contains(CLEAN);
        Files.delete(entryFiles().get(0));
        String secret = """
                - apiVersion: v1
                  kind: Secret
                  metadata:
                    name: db
                    namespace: team-a
                  type: Opaque
                  data:
                    password: aHVudGVyMg==
                """;
        // A Secret on its own, and as an item of the List (as kubectl get …,secrets prints it).
        for (String text : List.of(CLEAN + "---\n" + secret.replaceAll("(?m)^(  |- )", ""),
                CLEAN.replace("items:\n", "items:\n" + secret))) {
            Path dump = Files.writeString(dir.resolve("secret-" + text.hashCode() + ".yaml"), text);
            for (List<String> command : List.of(List.of("who-can", "get", "pods", "-n", "team-a"), List.of("findings"))) {
                Run fresh = run(command, dump, "--no-cache");
                assertThat(fresh.err()).doesNotContain("skipped");
                assertThat(run(command, dump)).isEqualTo(fresh);
                assertThat(run(command, dump)).as("a hit").isEqualTo(fresh);
            }
            assertThat(entryFiles()).hasSize(2);
            for (Path entry : entryFiles()) {
                assertThat(Files.readString(entry, StandardCharsets.ISO_8859_1)).doesNotContain("aHVudGVyMg")
                        .doesNotContain("name: alice");
                Files.delete(entry);
            }
        }
    }

    /**
     * A name with a lone surrogate (JSON can say "\\ud800"): UTF-8 cannot carry it, so no RBAC
     * entry (kept as "?", it would match a user called "odd?"), and the same answer.
     */
    @Test
    void anIndexTheFormatCannotCarryIsNotKept() throws Exception {
        Path dump = Files.writeString(dir.resolve("odd.json"), """
                {"apiVersion": "v1", "kind": "List", "items": [
                  {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "r"},
                   "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]},
                  {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "b"},
                   "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "r"},
                   "subjects": [{"kind": "User", "name": "odd\\ud800"}]}]}
                """);
        List<String> command = List.of("who-can", "--json", "get", "pods");
        Run fresh = run(command, dump, "--no-cache");
        assertThat(fresh.out()).contains("\"name\":\"odd?\""); // as the output's UTF-8 prints it
        assertThat(run(command, dump)).isEqualTo(fresh);
        assertThat(run(command, dump)).isEqualTo(fresh);
        assertThat(entryFiles()).isEmpty();
    }

    @Test
    void aCorruptTruncatedOrForeignEntryIsIgnoredAndRewritten() throws Exception {
        Path dump = Files.writeString(dir.resolve("dump.yaml"), DUMP);
        List<String> command = List.of("who-can", "--json", "get", "pods/log", "-n", "team-a");
        Run fresh = run(command, dump, "--no-cache");
        run(command, dump);
        Path entry = entryFiles().get(0);
        byte[] good = Files.readAllBytes(entry);
        List<byte[]> bad = new ArrayList<>();
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x20; // in the kept copy: it no longer equals the dump
        bad.add(flipped);
        byte[] flippedBody = good.clone();
        flippedBody[(bodyStart(good) + good.length) / 2] ^= 0x20; // in the body: its CRC no longer matches
        bad.add(flippedBody);
        bad.add(java.util.Arrays.copyOf(good, good.length / 2));
        bad.add(new byte[0]);
        byte[] otherFormat = good.clone();
        ByteBuffer.wrap(otherFormat).putInt(8, PreparedCache.FORMAT + 1);
        bad.add(otherFormat);
        // A well-formed frame (right CRC) around a payload the codec cannot read.
        byte[] garbage = good.clone();
        for (int i = 48; i < garbage.length - 4; i++) { // after magic, format, key and length
            garbage[i] = (byte) 0xff;
        }
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(garbage, 48, garbage.length - 52);
        ByteBuffer.wrap(garbage).putInt(garbage.length - 4, (int) crc.getValue());
        bad.add(garbage);
        for (byte[] entryBytes : bad) {
            Files.write(entry, entryBytes);
            assertThat(run(command, dump)).isEqualTo(fresh);
            assertThat(Files.readAllBytes(entry)).as("rewritten").isEqualTo(good);
        }
    }

    @Test
    void theDirectoryAndEntriesArePrivate() throws Exception {
        Path dump = Files.writeString(dir.resolve("dump.yaml"), DUMP);
        run(COMMANDS.get(0), dump);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entries))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entryFiles().get(0)))).isEqualTo("rw-------");
        Files.setPosixFilePermissions(entries, PosixFilePermissions.fromString("rwxr-xr-x"));
        run(COMMANDS.get(1), dump);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entries))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(entries)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left")
                    .allMatch(name -> name.matches("[0-9a-f]{64}\\.idx"));
        }
    }

    @Test
    void noCacheAndTheEnvironmentSwitchKeepNothing() throws Exception {
        Path dump = Files.writeString(dir.resolve("dump.yaml"), DUMP);
        for (List<String> command : COMMANDS) {
            run(command, dump, "--no-cache");
        }
        environment.put(PreparedCache.NO_CACHE_ENV, "1");
        for (List<String> command : COMMANDS) {
            run(command, dump);
        }
        assertThat(cache).doesNotExist();
        environment.remove(PreparedCache.NO_CACHE_ENV);
        environment.remove("XDG_CACHE_HOME");
        run(COMMANDS.get(0), dump);
        assertThat(dir.resolve("home/.cache/eks-access-console/prepared")).as("without XDG_CACHE_HOME: ~/.cache").isDirectory();
    }

    @Test
    void onlyTheMostRecentlyUsedEntriesAreKept() throws Exception {
        List<String> command = List.of("who-can", "get", "pods", "-n", "team-a");
        Path first = null;
        for (int i = 0; i < PreparedCache.MAX_ENTRIES + 3; i++) {
            Path dump = Files.writeString(dir.resolve("dump" + i + ".yaml"), DUMP);
            run(command, dump);
            if (i == 0) {
                first = entryFiles().get(0);
            }
            for (Path entry : entryFiles()) { // older by a second each round, whatever the clock's resolution
                Files.setLastModifiedTime(entry, FileTime.fromMillis(Files.getLastModifiedTime(entry).toMillis() - 1000));
            }
        }
        assertThat(entryFiles()).hasSize(PreparedCache.MAX_ENTRIES).doesNotContain(first);
    }

    /** kubectl apply copies a Secret's data into last-applied-configuration: such a dump is never written to the cache. */
    @Test
    void aDumpWithAppliedSecretValuesIsNotKept() throws Exception {
        String secret = """
                ---
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db
                  namespace: team-a
                  annotations:
                    kubectl.kubernetes.io/last-applied-configuration: |
                      {"apiVersion":"v1","data":{"password":"aHVudGVyMg=="},"kind":"Secret"}
                type: Opaque
                data:
                  password: aHVudGVyMg==
                """;
        Path dump = Files.writeString(dir.resolve("secret.yaml"), DUMP + secret);
        Run fresh = run(List.of("findings", "--json"), dump, "--no-cache");
        assertThat(run(List.of("findings", "--json"), dump)).isEqualTo(fresh);
        assertThat(entryFiles()).isEmpty();
        run(List.of("who-can", "get", "pods", "-n", "team-a"), dump); // the RBAC commands never read Secrets
        assertThat(entryFiles()).hasSize(1);
        assertThat(Files.readString(entryFiles().get(0), StandardCharsets.ISO_8859_1)).doesNotContain("aHVudGVyMg");
        Files.writeString(dump, DUMP + secret.replace("    kubectl.kubernetes.io/last-applied-configuration: |\n"
                + "      {\"apiVersion\":\"v1\",\"data\":{\"password\":\"aHVudGVyMg==\"},\"kind\":\"Secret\"}\n", "    note: x\n"));
        run(List.of("findings", "--json"), dump);
        assertThat(entryFiles()).as("a Secret without the annotation: metadata only, kept").hasSize(2);
        for (Path entry : entryFiles()) {
            assertThat(Files.readString(entry, StandardCharsets.ISO_8859_1)).doesNotContain("aHVudGVyMg");
        }
    }

    @Test
    void whatTheCodecCannotCarryExactlyIsNotKept() throws Exception {
        RbacManifests.Dump plain = RbacManifests.loadDumpText("a.yaml", DUMP);
        assertThat(PreparedCodec.decode(PreparedCodec.encode(plain))).isEqualTo(plain);
        // An extra key in a rule: Jackson keeps it in the rule's additional properties, which the format leaves out.
        RbacManifests.Dump odd = RbacManifests.loadDumpText("b.yaml", DUMP.replace("  - apiGroups:\n    - \"\"",
                "  - apiGroups:\n    - \"\"\n    extra: kept"));
        assertThat(odd.clusterRoles().get(0).getRules().get(0).getAdditionalProperties()).containsKey("extra");
        assertThat(PreparedCodec.encode(odd)).isNull();
        Path dump = Files.writeString(dir.resolve("odd.yaml"), DUMP.replace("  - apiGroups:\n    - \"\"",
                "  - apiGroups:\n    - \"\"\n    extra: kept"));
        List<String> command = List.of("who-can", "get", "pods", "-n", "team-a");
        assertThat(run(command, dump)).isEqualTo(run(command, dump, "--no-cache"));
        assertThat(entryFiles()).isEmpty();
    }
}
