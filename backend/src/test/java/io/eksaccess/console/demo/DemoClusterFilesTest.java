package io.eksaccess.console.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.TestInfra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The demo cluster's directory holds a cluster-admin token, a kubeconfig with it and private keys:
 * nothing in it is readable by other local users, also when an earlier version left it open.
 */
class DemoClusterFilesTest {

    private static final Set<PosixFilePermission> GROUP_OR_OTHER = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    @Test
    void tokenKubeconfigAndKeysAreOwnerOnlyEvenInADirectoryAnEarlierVersionLeftOpen() throws Exception {
        Path binaries = TestInfra.binary("kube-apiserver").getParent();
        TestInfra.binary("etcd");
        Path dir = TestInfra.freshDir("demo-files-").resolve("demo-cluster");
        // As an earlier version left it: a world-readable directory and service-account key.
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Files.writeString(dir.resolve("sa.key"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(dir.resolve("sa.key"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        try (DemoCluster cluster = new DemoCluster()) {
            Path kubeconfig = cluster.start(binaries, dir);

            for (Path secret : List.of(kubeconfig, dir.resolve("tokens.csv"), dir.resolve("sa.key"),
                    dir.resolve("certs/apiserver.key"), dir.resolve("kube-apiserver.log"))) {
                assertThat(mode(secret)).as(secret.toString()).isEqualTo("rw-------");
            }
            assertThat(mode(dir)).isEqualTo("rwx------");
            assertThat(mode(dir.resolve("certs"))).isEqualTo("rwx------");
            List<String> open = new ArrayList<>();
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.filter(path -> !Files.isSymbolicLink(path)).forEach(path -> {
                    try {
                        if (Files.getPosixFilePermissions(path).stream().anyMatch(GROUP_OR_OTHER::contains)) {
                            open.add(dir.relativize(path) + " " + mode(path));
                        }
                    } catch (java.io.IOException e) {
                        // removed meanwhile (etcd rotates files): nothing left to read
                    }
                });
            }
            assertThat(open).as("files and directories others can use").isEmpty();
        }
    }

    private static String mode(Path path) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
