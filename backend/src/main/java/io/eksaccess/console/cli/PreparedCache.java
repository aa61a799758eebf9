package io.eksaccess.console.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Read dumps kept between calls (issue 19): a pipeline that asks many questions of one dump reads
 * and parses it once. An entry is named by the SHA-256 of everything the answer depends on but the
 * dump's bytes themselves: each file's name (problems print it) and length, the command kind, this
 * format's version and the build of the reader. It is then confirmed by the bytes: the entry holds
 * a copy of every file read, which must equal the files byte for byte (stricter than any hash, and
 * {@code mismatch} is vectorized where SHA-256 has no intrinsic under the launcher's C1), read once
 * in chunks and compared as they come, so a hit never holds the dump in memory (a dump of the
 * same name and length but other bytes is a miss that rewrites the entry); a dump with a Secret or
 * a part that could not be read is never copied, and its
 * entry holds the SHA-256 of its bytes instead (hashed on two threads), so Secret values never get
 * a second copy under ~/.cache. Size and modification time are never trusted: an answer from a
 * stale entry would be a wrong security answer. On a miss the bytes kept are the bytes parsed (each
 * file read into memory once), and a hit that keeps more keeps the copy it was confirmed by, so a
 * file changed while it is read cannot leave an entry under the old contents.
 *
 * <p>Entries live in {@code $XDG_CACHE_HOME/eks-access-console/prepared/} (else
 * {@code ~/.cache/eks-access-console/prepared/}), a directory this user owns with mode 0700; each
 * is written to a temporary file (0600) and renamed into place. An entry that is truncated,
 * corrupt (CRC-32C), of another format or key, or otherwise unreadable is ignored and rewritten:
 * never trusted, never an error. At most {@link #MAX_ENTRIES} entries and {@link #MAX_BYTES}
 * bytes are kept, the least recently used go first. {@code --no-cache} or
 * {@value #NO_CACHE_ENV} (any non-empty value) turns it off; stdin ({@code --from -}) is never
 * cached. Threat model: the directory is as private as the user's other files; whoever can write
 * it can already run code as the user, so the checksum guards against accidents, not attackers;
 * the byte comparison (or SHA-256) keeps a colliding CRC from ever returning another dump's answer.
 */
final class PreparedCache {

    static final String NO_CACHE_ENV = "EKS_ACCESS_CONSOLE_NO_CACHE";
    static final int FORMAT = 4;
    static final int MAX_ENTRIES = 10;
    static final long MAX_BYTES = 1L << 30;
    /** Dumps larger than this (all files together) are read as before, without an entry. */
    static final long MAX_INPUT_BYTES = 256L << 20;
    private static final byte[] MAGIC = "EKSACIDX".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = MAGIC.length + 4 + 32 + 4;
    /** How an entry is confirmed: a copy of the files' bytes, or (dumps never copied) their SHA-256. */
    private static final byte CONFIRM_COPY = 1;
    private static final byte CONFIRM_SHA256 = 2;
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    static final PreparedCache OFF = new PreparedCache(null);
    /** How much of a dump a hit reads and compares at a time; tests make it small to cross chunks with small dumps. */
    static volatile int chunkBytes = 1 << 20;

    /** Null when off. */
    private final Path dir;

    private PreparedCache(Path dir) {
        this.dir = dir;
    }

    /** The cache the environment and {@code --no-cache} ask for. */
    static PreparedCache of(Map<String, String> environment, boolean noCache) {
        String off = environment.get(NO_CACHE_ENV);
        if (noCache || off != null && !off.isEmpty()) {
            return OFF;
        }
        try {
            String xdg = environment.get("XDG_CACHE_HOME");
            Path base;
            if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
                base = Path.of(xdg); // the XDG spec ignores a relative value
            } else {
                String home = environment.get("HOME");
                base = Path.of(home == null || home.isEmpty() ? System.getProperty("user.home") : home, ".cache");
            }
            return new PreparedCache(base.resolve("eks-access-console").resolve("prepared"));
        } catch (RuntimeException e) {
            return OFF; // no usable home directory
        }
    }

    Path directory() {
        return dir;
    }

    /**
     * Reads the files of one {@code --from} into memory and computes the entry's name.
     *
     * @return null when this read is not cached (off, stdin, a file too large or unreadable:
     *     the caller reads as before)
     */
    Entry entry(String from, List<Path> files, boolean findings) {
        if (dir == null || from.equals("-")) {
            return null;
        }
        try {
            Sha256 digest = new Sha256(); // MessageDigest's first use costs a fresh JVM ~20 ms
            digest.update(("eks-access-console prepared dump\n" + FORMAT + "\n" + (findings ? "findings" : "rbac") + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            digest.update(Build.ID);
            Map<Path, Long> sizes = new LinkedHashMap<>();
            long total = 0;
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    return null;
                }
                long size = Files.size(file);
                if ((total += size) > MAX_INPUT_BYTES) {
                    return null;
                }
                sizes.put(file, size);
            }
            // Names and lengths only find the entry; the bytes confirm it, read once as they are compared.
            for (Map.Entry<Path, Long> file : sizes.entrySet()) {
                byte[] name = file.getKey().toString().getBytes(StandardCharsets.UTF_8);
                digest.update(ByteBuffer.allocate(12).putInt(name.length).putLong(file.getValue()).array());
                digest.update(name);
            }
            return new Entry(digest.digest(), sizes);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The SHA-256 of the files' names, lengths and bytes (each file as the digests of its halves, on two threads). */
    private static byte[] contentDigest(Map<Path, byte[]> contents) throws NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        // The JVM's C1-only launcher has no SHA intrinsic, and a 13 MB dump costs ~0.1 s on one core.
        List<byte[]> halves = halfDigests(new ArrayList<>(contents.values()));
        int i = 0;
        for (Map.Entry<Path, byte[]> file : contents.entrySet()) {
            byte[] name = file.getKey().toString().getBytes(StandardCharsets.UTF_8);
            digest.update(ByteBuffer.allocate(8).putInt(name.length).putInt(file.getValue().length).array());
            digest.update(name);
            digest.update(halves.get(i++));
            digest.update(halves.get(i++));
        }
        return digest.digest();
    }

    /** Per file, the SHA-256 of its first and of its second half; the second halves on a second thread. */
    private static List<byte[]> halfDigests(List<byte[]> files) throws NoSuchAlgorithmException {
        byte[][] digests = new byte[files.size() * 2][];
        RuntimeException[] failed = new RuntimeException[1];
        Thread second = new Thread(() -> {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                for (int f = 0; f < files.size(); f++) {
                    byte[] bytes = files.get(f);
                    digests[2 * f + 1] = sha256(digest, bytes, bytes.length / 2, bytes.length);
                }
            } catch (NoSuchAlgorithmException | RuntimeException e) {
                failed[0] = new IllegalStateException(e);
            }
        }, "dump-hash");
        second.start();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (int f = 0; f < files.size(); f++) {
            digests[2 * f] = sha256(digest, files.get(f), 0, files.get(f).length / 2);
        }
        try {
            second.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        if (failed[0] != null) {
            throw failed[0];
        }
        return List.of(digests);
    }

    private static byte[] sha256(MessageDigest digest, byte[] bytes, int from, int to) {
        for (int at = from; at < to; at += 1 << 20) {
            digest.update(bytes, at, Math.min(1 << 20, to - at));
        }
        return digest.digest();
    }

    /** Reads an entry's body: bytes[from, to) of what {@link Entry#store} was given. */
    interface Body<T> {
        T read(byte[] bytes, int from, int to) throws PreparedCodec.Malformed;
    }

    /** One dump's files, read, and where its entry is. */
    final class Entry {
        private final byte[] key;
        private final Map<Path, Long> sizes;
        private final Path file;
        /** The files' bytes, read when first asked for (a hit confirmed by a copy never reads them into memory). */
        private Map<Path, byte[]> contents;
        /** False when the files could not be read whole as named: such a read is never kept. */
        private boolean readAsNamed = true;
        /** The copy a hit was confirmed by (mapped): kept again as it is when the hit stores more. */
        private ByteBuffer confirmedCopy;

        private Entry(byte[] key, Map<Path, Long> sizes) {
            this.key = key;
            this.sizes = sizes;
            this.file = dir.resolve(HexFormat.of().formatHex(key) + ".idx");
        }

        /**
         * The bytes read of each file: parse these, not the file again. A file that cannot be read
         * is absent (the reader reads it itself and reports why), and nothing is kept.
         */
        Map<Path, byte[]> contents() {
            if (contents == null) {
                Map<Path, byte[]> read = new LinkedHashMap<>();
                for (Map.Entry<Path, Long> named : sizes.entrySet()) {
                    try {
                        byte[] bytes = Files.readAllBytes(named.getKey());
                        readAsNamed &= bytes.length == named.getValue(); // else the key names other bytes
                        read.put(named.getKey(), bytes);
                    } catch (IOException | RuntimeException e) {
                        readAsNamed = false;
                    }
                }
                contents = read;
            }
            return contents;
        }

        /** What was kept of the dump read before, or null (no entry, or one not to be trusted). */
        <T> T cached(Body<T> body) {
            try {
                if (!privateDirectory() || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    return null;
                }
                ByteBuffer entry;
                // Mapped, not read: the copy of the dump in it is only compared (no 13 MB heap array to
                // fault in and fill). Entries are replaced by rename, never rewritten in place, so the
                // mapping cannot shrink under the comparison.
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                    if (channel.size() > MAX_INPUT_BYTES * 4) {
                        return null;
                    }
                    entry = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
                }
                int from = confirmed(entry);
                byte[] kept = new byte[entry.capacity() - 4 - from];
                entry.get(from, kept);
                T decoded = body.read(kept, 0, kept.length);
                try {
                    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis())); // recently used
                } catch (IOException e) {
                    // still a hit; it may be evicted a little early
                }
                return decoded;
            } catch (IOException | PreparedCodec.Malformed | NoSuchAlgorithmException | RuntimeException e) {
                return null;
            } catch (InternalError e) {
                return null; // the mapped entry shrank after all (truncated in place): a fault, not an answer
            }
        }

        /**
         * Keeps {@code body} for the next call; failures only cost the entry. {@code copyable}: the
         * dump may be copied into the entry (no Secret, nothing unreadable), else its SHA-256 is kept.
         */
        void store(byte[] body, boolean copyable) {
            Path temp = null;
            try {
                if (!privateDirectory()) {
                    return;
                }
                ByteBuffer confirmation;
                if (copyable && contents == null && confirmedCopy != null) {
                    confirmation = confirmedCopy.duplicate(); // the bytes this hit was confirmed by, never re-read
                } else {
                    contents();
                    if (!readAsNamed) {
                        return;
                    }
                    confirmation = ByteBuffer.wrap(copyable ? copy() : sha256Confirmation());
                }
                CRC32C crc = new CRC32C(); // of the body: the confirmation is checked against the dump itself
                crc.update(body);
                int length = confirmation.remaining() + body.length;
                ByteBuffer header = ByteBuffer.allocate(HEADER).put(MAGIC).putInt(FORMAT).put(key).putInt(length);
                temp = Files.createTempFile(dir, ".entry-", ".tmp", PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
                try (var out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    for (ByteBuffer part : new ByteBuffer[] {header.flip(), confirmation, ByteBuffer.wrap(body),
                            ByteBuffer.allocate(4).putInt((int) crc.getValue()).flip()}) {
                        while (part.hasRemaining()) {
                            out.write(part);
                        }
                    }
                }
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                temp = null;
                evict();
            } catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
                // a full disk or a read-only home: answer without keeping it
            } finally {
                if (temp != null) {
                    try {
                        Files.deleteIfExists(temp);
                    } catch (IOException e) {
                        // left for the next eviction
                    }
                }
            }
        }

        /** {@link #CONFIRM_COPY}, the number of files, then per file its name's and its bytes' length and both. */
        private byte[] copy() {
            long size = 5;
            for (Map.Entry<Path, byte[]> file : contents.entrySet()) {
                size += 8 + file.getKey().toString().getBytes(StandardCharsets.UTF_8).length + file.getValue().length;
            }
            ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size)).put(CONFIRM_COPY).putInt(contents.size());
            for (Map.Entry<Path, byte[]> file : contents.entrySet()) {
                byte[] name = file.getKey().toString().getBytes(StandardCharsets.UTF_8);
                out.putInt(name.length).put(name).putInt(file.getValue().length).put(file.getValue());
            }
            return out.array();
        }

        private byte[] sha256Confirmation() throws NoSuchAlgorithmException {
            return ByteBuffer.allocate(33).put(CONFIRM_SHA256).put(contentDigest(contents)).array();
        }

        /**
         * Checks an entry's frame (magic, format, key, length), that it was written for exactly the
         * bytes read, and its body's CRC-32C; returns where its body starts.
         */
        private int confirmed(ByteBuffer bytes) throws PreparedCodec.Malformed, NoSuchAlgorithmException, IOException {
            ByteBuffer in = bytes.duplicate();
            int size = bytes.capacity();
            if (size < HEADER + 4 + 1) {
                throw new PreparedCodec.Malformed("truncated");
            }
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            byte[] storedKey = new byte[32];
            boolean same = Arrays.equals(magic, MAGIC) && in.getInt() == FORMAT;
            in.get(storedKey);
            if (!same || !Arrays.equals(storedKey, key)) {
                throw new PreparedCodec.Malformed("another format or key");
            }
            int length = in.getInt();
            if (length != size - HEADER - 4) {
                throw new PreparedCodec.Malformed("truncated");
            }
            int end = HEADER + length;
            byte how = in.get();
            if (how == CONFIRM_SHA256) {
                byte[] digest = new byte[32];
                in.get(digest);
                if (!Arrays.equals(digest, contentDigest(contents())) || !readAsNamed) {
                    throw new PreparedCodec.Malformed("another dump");
                }
                return checkedBody(bytes, in.position(), end);
            }
            if (how != CONFIRM_COPY || in.getInt() != sizes.size()) {
                throw new PreparedCodec.Malformed("another dump");
            }
            ByteBuffer chunk = null;
            for (Map.Entry<Path, Long> file : sizes.entrySet()) {
                byte[] name = file.getKey().toString().getBytes(StandardCharsets.UTF_8);
                int at = in.position();
                if (name.length != in.getInt() || end - (at + 4) < name.length
                        || bytes.slice(at + 4, name.length).mismatch(ByteBuffer.wrap(name)) >= 0) {
                    throw new PreparedCodec.Malformed("another dump");
                }
                in.position(at + 4 + name.length);
                at = in.position();
                int kept = in.getInt();
                if (kept != file.getValue() || end - (at + 4) < kept) {
                    throw new PreparedCodec.Malformed("another dump");
                }
                if (chunk == null) {
                    chunk = ByteBuffer.allocateDirect(chunkBytes);
                }
                if (!sameBytes(file.getKey(), bytes.slice(at + 4, kept), chunk)) {
                    throw new PreparedCodec.Malformed("another dump");
                }
                in.position(at + 4 + kept);
            }
            confirmedCopy = bytes.slice(HEADER, in.position() - HEADER);
            return checkedBody(bytes, in.position(), end);
        }

        /**
         * Checks the body's CRC-32C; returns where it starts. The confirmation before it has none: a
         * damaged copy or digest no longer equals the dump, so it is a miss either way, and a 13 MB
         * copy is not checksummed on every hit.
         */
        private int checkedBody(ByteBuffer bytes, int from, int end) throws PreparedCodec.Malformed {
            CRC32C crc = new CRC32C();
            crc.update(bytes.slice(from, end - from));
            if ((int) crc.getValue() != bytes.getInt(end)) {
                throw new PreparedCodec.Malformed("corrupt");
            }
            return from;
        }
    }

    /**
     * Whether the file holds exactly {@code copy}'s bytes, read once in chunks and compared as they
     * come (ByteBuffer.mismatch: vectorized), so a hit never holds the dump in memory; like
     * readAllBytes, it sees the file as its reads return it, and it must end where the copy does.
     */
    private static boolean sameBytes(Path path, ByteBuffer copy, ByteBuffer chunk) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            int done = 0;
            while (true) {
                chunk.clear();
                int read = channel.read(chunk);
                if (read < 0) {
                    return done == copy.capacity();
                }
                if (read > copy.capacity() - done) {
                    return false; // longer than the copy
                }
                chunk.flip();
                if (copy.slice(done, read).mismatch(chunk) >= 0) {
                    return false;
                }
                done += read;
            }
        }
    }

    /**
     * Whether a read dump may be kept at all. A Secret's data is dropped as it is read, but
     * {@code kubectl apply} leaves all of it in the last-applied-configuration annotation, which the
     * findings keep with the metadata: secret values stay in the user's dump, never in a second copy.
     */
    static boolean keepable(RbacManifests.Dump dump) {
        return dump.secrets().stream().noneMatch(PreparedCache::carriesData);
    }

    private static boolean carriesData(io.fabric8.kubernetes.api.model.Secret secret) {
        return secret.getMetadata() != null && secret.getMetadata().getAnnotations() != null
                && secret.getMetadata().getAnnotations().containsKey("kubectl.kubernetes.io/last-applied-configuration");
    }

    /**
     * Creates the directory 0700, and makes sure it still is: only its owner may change its mode,
     * so success also shows that nobody else owns it. False on a file system without POSIX modes.
     */
    private boolean privateDirectory() {
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            if (!Files.getPosixFilePermissions(dir).equals(PRIVATE_DIR)) {
                Files.setPosixFilePermissions(dir, PRIVATE_DIR);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Deletes the least recently used entries beyond the limits, and temporary files a crash left. */
    private void evict() throws IOException {
        record Kept(Path path, long size, long used) {}
        List<Kept> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path path : stream) {
                String name = path.getFileName().toString();
                if (name.matches("[0-9a-f]{64}\\.idx")) {
                    entries.add(new Kept(path, Files.size(path), Files.getLastModifiedTime(path).toMillis()));
                } else if (name.startsWith(".entry-") && name.endsWith(".tmp")
                        && Files.getLastModifiedTime(path).toMillis() < System.currentTimeMillis() - 3_600_000) {
                    Files.deleteIfExists(path);
                }
            }
        }
        entries.sort(Comparator.comparingLong(Kept::used).reversed());
        long bytes = 0;
        for (int i = 0; i < entries.size(); i++) {
            bytes += entries.get(i).size();
            if (i >= MAX_ENTRIES || bytes > MAX_BYTES) {
                Files.deleteIfExists(entries.get(i).path());
            }
        }
    }

    /**
     * What identifies the reader's build: the code's jar (path, size, modification time) and the
     * bytes of the classes that read and encode dumps (those outside that jar: a build's classes
     * directory), so an entry written by another build is another key.
     */
    static final class Build {
        static final byte[] ID = id();

        private static byte[] id() {
            try {
                Sha256 digest = new Sha256();
                var source = PreparedCache.class.getProtectionDomain().getCodeSource();
                String location = source == null || source.getLocation() == null ? "" : source.getLocation().toString();
                digest.update(location.getBytes(StandardCharsets.UTF_8));
                Path jar = jarOf(location);
                boolean inJar = jar != null && Files.isRegularFile(jar);
                if (inJar) {
                    digest.update((Files.size(jar) + "/" + Files.getLastModifiedTime(jar).toMillis())
                            .getBytes(StandardCharsets.UTF_8));
                }
                for (Class<?> type : List.of(RbacManifests.class, BlockYaml.class, RbacObjectMaps.class, PreparedCodec.class,
                        PreparedCache.class, io.eksaccess.console.awsauth.goyaml.Echo.class,
                        io.eksaccess.console.rbac.RbacIndex.class, io.eksaccess.console.rbac.PreparedIndex.class,
                        io.eksaccess.console.report.findings.FindingsEngine.class)) {
                    var from = type.getProtectionDomain().getCodeSource();
                    if (inJar && from != null && from.getLocation() != null && location.equals(from.getLocation().toString())) {
                        continue; // in the jar just identified: reading its bytes (~15 ms a call) adds nothing
                    }
                    try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
                        if (in != null) {
                            digest.update(in.readAllBytes());
                        }
                    }
                }
                for (Class<?> library : List.of(io.fabric8.kubernetes.api.model.rbac.Role.class,
                        org.yaml.snakeyaml.Yaml.class, tools.jackson.databind.json.JsonMapper.class)) {
                    digest.update(String.valueOf(library.getPackage().getImplementationVersion())
                            .getBytes(StandardCharsets.UTF_8));
                }
                return digest.digest();
            } catch (IOException | RuntimeException e) {
                // Unknown build: a key no other run shares, so nothing is reused.
                return java.util.UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
            }
        }

        /** The jar file of a code source location (file:, jar:file:…!/ or Spring Boot's nested:…/!…), or null. */
        private static Path jarOf(String location) {
            String path = location;
            for (String prefix : List.of("jar:", "nested:", "file:")) {
                if (path.startsWith(prefix)) {
                    path = path.substring(prefix.length());
                }
            }
            int bang = path.indexOf("!");
            if (bang >= 0) {
                path = path.substring(0, bang);
            }
            if (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            try {
                return path.endsWith(".jar") ? Path.of(java.net.URLDecoder.decode(path, StandardCharsets.UTF_8)) : null;
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
