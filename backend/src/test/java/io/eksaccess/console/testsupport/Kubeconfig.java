package io.eksaccess.console.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Kubeconfig files for tests: one context per entry, each its own cluster (server) and user (token). */
public final class Kubeconfig {

    /** A context the console imports as a cluster of that name. */
    public record Context(String name, String server, String token) {}

    private Kubeconfig() {}

    /** Written to a fresh directory; TLS is not verified (the test API servers have self-signed certificates). */
    public static Path write(Context... contexts) {
        Path file = TestInfra.freshDir("kubeconfig-").resolve("config");
        write(file, null, List.of(contexts));
        return file;
    }

    static void write(Path file, String currentContext, List<Context> contexts) {
        StringBuilder clusters = new StringBuilder("clusters:\n");
        StringBuilder users = new StringBuilder("users:\n");
        StringBuilder named = new StringBuilder("contexts:\n");
        for (Context context : contexts) {
            clusters.append("- name: %s\n  cluster: {server: \"%s\", insecure-skip-tls-verify: true}\n"
                    .formatted(context.name(), context.server()));
            users.append("- name: %s\n  user: {token: \"%s\"}\n".formatted(context.name(), context.token()));
            named.append("- name: %1$s\n  context: {cluster: %1$s, user: %1$s}\n".formatted(context.name()));
        }
        String current = currentContext == null ? "" : "current-context: " + currentContext + "\n";
        try {
            Files.writeString(file, "apiVersion: v1\nkind: Config\n" + clusters + users + named + current);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
