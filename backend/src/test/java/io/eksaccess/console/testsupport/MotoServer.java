package io.eksaccess.console.testsupport;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * moto, the AWS API emulator, as a real HTTP server on loopback: started once per test run with
 * the Python that {@code .ci/setup} installed it into ({@code pip install 'moto[server]'}).
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
            TestProcess process = TestProcess.start(
                    "moto",
                    List.of(python, "-m", "moto.server", "-H", "127.0.0.1", "-p", String.valueOf(port)),
                    TestInfra.workDir().resolve("moto"));
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

    public URI endpoint() {
        return endpoint;
    }

    /** moto accepts any credentials; these are the ones its docs use. */
    public StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }
}
