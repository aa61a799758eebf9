package io.eksaccess.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eksaccess.console.ConsoleApplication;
import io.eksaccess.console.testsupport.MotoServer;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * {@code eks-token} as kubectl runs it: a separate process with AWS settings in its environment,
 * here pointed at moto, which assumes the role and answers the presigned GetCallerIdentity.
 */
class EksTokenCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final MotoServer moto = MotoServer.get();

    record Run(int exitCode, String out, String err) {}

    @Test
    void printsAnExecCredentialWhoseTokenIsAWorkingGetCallerIdentityForTheAssumedRole() throws Exception {
        String roleArn = createRole("eks-viewer-" + System.nanoTime());

        Run run = eksToken(Map.of(), "--cluster", "prod", "--region", "eu-west-1", "--role-arn", roleArn);

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode credential = JSON.readTree(run.out());
        assertThat(credential.get("kind").asText()).isEqualTo("ExecCredential");
        assertThat(credential.get("apiVersion").asText()).isEqualTo("client.authentication.k8s.io/v1beta1");
        assertThat(credential.get("spec").isEmpty()).isTrue();
        Instant expires = Instant.parse(credential.at("/status/expirationTimestamp").asText());
        assertThat(expires).isBetween(Instant.now().plusSeconds(13 * 60), Instant.now().plusSeconds(14 * 60 + 5));

        String token = credential.at("/status/token").asText();
        assertThat(token).startsWith("k8s-aws-v1.");
        URI presigned = URI.create(new String(Base64.getUrlDecoder().decode(token.substring("k8s-aws-v1.".length())),
                StandardCharsets.UTF_8));
        assertThat(presigned.getHost()).isEqualTo("sts.eu-west-1.amazonaws.com");

        Map<String, String> auth = queryParameters(presigned);
        assertThat(auth).containsEntry("Action", "GetCallerIdentity").containsEntry("X-Amz-Expires", "60")
                .containsEntry("X-Amz-SignedHeaders", "host;x-k8s-aws-id").containsKey("X-Amz-Security-Token");

        // Whose credential the token carries: moto answers GetCallerIdentity for the access key.
        // moto routes requests by their Authorization header (not by Host) and checks no
        // signatures, so the token's own auth parameters are replayed in header form; the
        // signature itself is held against the AWS CLI's byte for byte in EksTokenGeneratorTest.
        String identity = sendWithAuthorizationHeader(auth, "prod");
        assertThat(identity).startsWith("HTTP/1.1 200");
        assertThat(identity).contains(":assumed-role/" + roleArn.substring(roleArn.lastIndexOf('/') + 1) + "/");
    }

    private static Map<String, String> queryParameters(URI uri) {
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            parameters.put(pair.substring(0, eq),
                    java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private String sendWithAuthorizationHeader(Map<String, String> auth, String cluster) throws IOException {
        try (Socket socket = new Socket(moto.endpoint().getHost(), moto.endpoint().getPort())) {
            socket.getOutputStream().write(("GET /?Action=GetCallerIdentity&Version=2011-06-15 HTTP/1.1\r\n"
                            + "Host: " + moto.endpoint().getAuthority() + "\r\n"
                            + "x-k8s-aws-id: " + cluster + "\r\n"
                            + "X-Amz-Date: " + auth.get("X-Amz-Date") + "\r\n"
                            + "X-Amz-Security-Token: " + auth.get("X-Amz-Security-Token") + "\r\n"
                            + "Authorization: AWS4-HMAC-SHA256 Credential=" + auth.get("X-Amz-Credential")
                            + ", SignedHeaders=" + auth.get("X-Amz-SignedHeaders")
                            + ", Signature=" + auth.get("X-Amz-Signature") + "\r\n"
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void missingClusterIsAUsageError() throws Exception {
        Run run = eksToken(Map.of(), "--region", "eu-west-1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--cluster is required");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void credentialsThatCannotBeHadAreExplainedWithoutAStackTrace() throws Exception {
        Run run = eksToken(Map.of("AWS_ACCESS_KEY_ID", "", "AWS_SECRET_ACCESS_KEY", "",
                        "AWS_CONFIG_FILE", "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent",
                        "AWS_EC2_METADATA_DISABLED", "true"),
                "--cluster", "prod", "--region", "eu-west-1");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("eks-token: could not get AWS credentials").doesNotContain("\tat ");
    }

    private String createRole(String name) {
        try (IamClient iam = IamClient.builder()
                .endpointOverride(moto.endpoint())
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(moto.credentials())
                .build()) {
            return iam.createRole(role -> role.roleName(name).assumeRolePolicyDocument("""
                            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                             "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"""))
                    .role()
                    .arn();
        }
    }

    private Run eksToken(Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                ConsoleApplication.class.getName(), "eks-token"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_ENDPOINT_URL_STS", moto.endpoint().toString());
        env.putAll(extraEnv);
        env.values().removeIf(String::isEmpty);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out, err);
    }
}
