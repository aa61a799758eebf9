package io.eksaccess.console.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files that hold secrets (passwords, tokens, private keys, kubeconfigs) readable by their owner
 * only: directories 0700, files 0600. Files are written under a new name with 0600 from the first
 * byte and then moved into place, so no other local user can open them in between. On file
 * systems without POSIX permissions this does what the file system allows (nothing).
 */
public final class OwnerOnlyFiles {

    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyFiles() {}

    /** Creates the directory (and parents) if needed and makes it 0700. */
    public static Path directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        restrict(dir);
        return dir;
    }

    /** Writes the text as the file's whole content, 0600 throughout. */
    public static void write(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        createOwnerOnly(temporary);
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        restrict(file);
    }

    /** Creates an empty 0600 file if there is none (e.g. a log a child process will write), and restricts it. */
    public static Path touch(Path file) throws IOException {
        try {
            createOwnerOnly(file);
        } catch (FileAlreadyExistsException exists) {
            restrict(file);
        }
        return file;
    }

    /** Makes a file 0600 or a directory 0700 (left by an earlier version, or by a child process). */
    public static void restrict(Path path) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (posix != null && !Files.isSymbolicLink(path)) {
            posix.setPermissions(Files.isDirectory(path) ? DIRECTORY : FILE);
        }
    }

    /** {@link #restrict} on the directory and everything below it. */
    public static void restrictTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                restrict(path);
            }
        }
    }

    private static void createOwnerOnly(Path file) throws IOException {
        if (Files.getFileStore(file.getParent()).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } else {
            Files.createFile(file);
        }
    }
}
