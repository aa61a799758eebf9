package io.eksaccess.console.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * moto, the AWS API emulator, as a real HTTP server on loopback: started once per test run with
 * the Python that {@code .ci/setup} installed it into ({@code pip install 'moto[server]'}), through
 * {@code moto/moto_server.py} (test resources), which adds the EKS accessConfig and access-entry
 * operations moto lacks.
 */
public final class MotoServer {

    public static final Region REGION = Region.US_EAST_1;
    /** moto's default account. */
    public static final String ACCOUNT_ID = "123456789012";

    private static MotoServer instance;

    private final URI endpoint;

    private MotoServer(URI endpoint) {
        this.endpoint = endpoint;
    }

    public static synchronized MotoServer get() {
        if (instance == null) {
            int port = FreePorts.next();
            String python = System.getenv().getOrDefault("EKS_CONSOLE_PYTHON", "python3");
            Path workDir = TestInfra.workDir().resolve("moto");
            TestProcess process = TestProcess.start(
                    "moto",
                    List.of(python, launcher(workDir).toString(), "-H", "127.0.0.1", "-p", String.valueOf(port)),
                    workDir);
            String url = "http://127.0.0.1:" + port;
            try {
                process.awaitHttp(url + "/moto-api/", status -> status < 500, Duration.ofSeconds(60));
            } catch (IllegalStateException e) {
                throw new IllegalStateException("moto did not start. Install it with: "
                        + python + " -m pip install 'moto[server]' (.ci/setup does this)\n" + e.getMessage(), e);
            }
            instance = new MotoServer(URI.create(url));
        }
        return instance;
    }

    /** The launcher scripts copied out of the test resources, so Python can run them from files. */
    private static final List<String> LAUNCHER_FILES = List.of("moto_server.py", "eks_access_entries.py");

    /** {@code moto_server.py} and the module it loads copied out of the test resources; returns the launcher. */
    private static Path launcher(Path workDir) {
        try {
            Files.createDirectories(workDir);
            for (String file : LAUNCHER_FILES) {
                try (InputStream script = MotoServer.class.getResourceAsStream("/moto/" + file)) {
                    if (script == null) {
                        throw new IllegalStateException("moto/" + file + " is missing from the test resources");
                    }
                    Files.copy(script, workDir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return workDir.resolve(LAUNCHER_FILES.get(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** moto accepts any credentials; these are the ones its docs use. */
    public StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }
}
