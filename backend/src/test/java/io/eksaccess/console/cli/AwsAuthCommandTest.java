package io.eksaccess.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AwsAuthCommandTest {

    private static final String CONFIG_MAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: aws-auth
              namespace: kube-system
            data:
              mapRoles: |
                - rolearn: arn:aws:iam::111122223333:role/Admins
                  username: admin:{{SessionName}}
                  groups: [system:masters]
                - username: no-arn
              mapAccounts: |
                - "444455556666"
            """;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, String... args) {
        return new ConsoleCli(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
    }

    private JsonNode json() throws Exception {
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.strip().lines()).hasSize(1);
        return new ObjectMapper().readTree(text);
    }

    @Test
    void validateJsonHasTheExactShapeAndExitsOneOnErrors() throws Exception {
        Path file = Files.writeString(dir.resolve("cm.yaml"), CONFIG_MAP);
        assertThat(run("", "aws-auth", "validate", "--json", file.toString())).isEqualTo(ConsoleCli.PROBLEM_FOUND);
        JsonNode json = json();
        assertThat(json.fieldNames()).toIterable()
                .containsExactly("roleMappings", "userMappings", "mapAccounts", "errors", "findings");
        assertThat(json.get("roleMappings")).hasSize(1);
        assertThat(json.get("roleMappings").get(0).fieldNames()).toIterable().containsExactly("rolearn", "username", "groups");
        assertThat(json.get("roleMappings").get(0).get("groups").get(0).asText()).isEqualTo("system:masters");
        assertThat(json.get("mapAccounts").get(0).asText()).isEqualTo("444455556666");
        assertThat(json.get("errors").get(0).fieldNames()).toIterable().containsExactly("key", "index", "message");
        assertThat(json.get("errors").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(json.get("findings").get(0).fieldNames()).toIterable()
                .containsExactly("id", "severity", "key", "index", "message");
        List<String> ids = json.get("findings").findValuesAsText("id");
        assertThat(ids).contains("AWSAUTH-001", "AWSAUTH-002", "AWSAUTH-009");
    }

    /**
     * Issue #19: the sso matcher's JSON as the authenticator writes it: {@code partition} is
     * omitempty there, so an entry without one has no such field (it is not "").
     */
    @Test
    void validateJsonLeavesOutAnEmptySsoPartitionAsTheAuthenticatorDoes() throws Exception {
        String configMap = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: aws-auth, namespace: kube-system}
                data:
                  mapRoles: |
                    - sso: {permissionSetName: Admin, accountID: "111122223333"}
                      username: sso-admin
                    - sso: {permissionSetName: Gov, accountID: "111122223333", partition: aws-us-gov}
                      username: gov
                """;
        run(configMap, "aws-auth", "validate", "--json", "-");
        JsonNode roles = json().get("roleMappings");
        assertThat(roles.get(0).get("sso").fieldNames()).toIterable().containsExactly("permissionSetName", "accountID");
        assertThat(roles.get(0).get("sso").get("accountID").asText()).isEqualTo("111122223333");
        assertThat(roles.get(1).get("sso").fieldNames()).toIterable()
                .containsExactly("permissionSetName", "accountID", "partition");
        assertThat(roles.get(1).get("sso").get("partition").asText()).isEqualTo("aws-us-gov");
    }

    @Test
    void validateReadsKubectlJsonFromStdinAndExitsZeroWithoutErrors() throws Exception {
        String configMap = """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"aws-auth"},
                 "data":{"mapRoles":"- rolearn: arn:aws:iam::1:role/Dev\\n  username: dev:{{SessionName}}\\n"}}""";
        assertThat(run(configMap, "aws-auth", "validate", "--json", "-")).isZero();
        assertThat(json().get("roleMappings").get(0).get("rolearn").asText()).isEqualTo("arn:aws:iam::1:role/Dev");
        assertThat(run(configMap, "aws-auth", "validate", "-")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 role mapping(s)", "errors: 0");
    }

    @Test
    void whoisJsonNamesTheEntryAndRendersTheUsername() throws Exception {
        Path file = Files.writeString(dir.resolve("cm.yaml"), CONFIG_MAP);
        run("", "aws-auth", "whois", "--json", file.toString(), "arn:aws:sts::111122223333:assumed-role/Admins/alice");
        JsonNode json = json();
        assertThat(json.fieldNames()).toIterable().containsExactly("mapped", "via", "username", "groups", "entry");
        assertThat(json.get("via").asText()).isEqualTo("mapRoles");
        assertThat(json.get("username").asText()).isEqualTo("admin:alice");
        assertThat(json.get("entry").get("key").asText()).isEqualTo("mapRoles");
        assertThat(json.get("entry").get("index").asInt()).isZero();
    }

    @Test
    void whoisOfAnUnmappedCallerIsMappedFalse() throws Exception {
        Path file = Files.writeString(dir.resolve("cm.yaml"), CONFIG_MAP.replace("    - username: no-arn\n", ""));
        assertThat(run("", "aws-auth", "whois", "--json", file.toString(), "arn:aws:iam::999999999999:user/eve")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).strip()).isEqualTo("{\"mapped\":false}");
    }

    @Test
    void unusableInputExitsTwoWithOneLineOnStderr() throws Exception {
        Path binary = Files.write(dir.resolve("bin"), new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2});
        Path notConfigMap = Files.writeString(dir.resolve("pod.yaml"), "kind: Pod\n");
        Path notYaml = Files.writeString(dir.resolve("bad.yaml"), "kind: [ConfigMap\n");
        Path huge = Files.writeString(dir.resolve("huge.yaml"), "kind: ConfigMap\n" + "#".repeat(5 * 1024 * 1024));
        for (String file : List.of(binary.toString(), notConfigMap.toString(), notYaml.toString(), huge.toString(),
                dir.resolve("missing").toString())) {
            err.reset();
            assertThat(run("", "aws-auth", "validate", "--json", file)).as(file).isEqualTo(ConsoleCli.USAGE);
            assertThat(err.toString(StandardCharsets.UTF_8).strip().lines()).as(file).hasSize(1)
                    .allMatch(line -> line.startsWith("aws-auth: ") && !line.contains("Exception"));
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    /** The contract of issue 5 for whois too: 0 no errors, 1 errors (mapped or not), 2 unusable input. */
    @Test
    void whoisExitsZeroOneOrTwoLikeValidate() throws Exception {
        Path withErrors = Files.writeString(dir.resolve("cm.yaml"), CONFIG_MAP);
        Path clean = Files.writeString(dir.resolve("clean.yaml"), CONFIG_MAP.replace("    - username: no-arn\n", ""));
        String admin = "arn:aws:sts::111122223333:assumed-role/Admins/alice";
        assertThat(run("", "aws-auth", "whois", clean.toString(), admin)).as("mapped, no errors").isZero();
        assertThat(run("", "aws-auth", "whois", "--json", withErrors.toString(), admin)).as("mapped, errors")
                .isEqualTo(ConsoleCli.PROBLEM_FOUND);
        assertThat(run("", "aws-auth", "whois", withErrors.toString(), "arn:aws:iam::999999999999:user/eve"))
                .as("not mapped, errors").isEqualTo(ConsoleCli.PROBLEM_FOUND);
        Path notYaml = Files.writeString(dir.resolve("bad.yaml"), "kind: [ConfigMap\n");
        for (List<String> args : List.of(List.of(notYaml.toString(), admin), List.of(dir.resolve("missing").toString(), admin),
                List.of(clean.toString(), "not-an-arn"), List.of(clean.toString(), "arn:aws:iam::1"))) {
            err.reset();
            assertThat(run("", "aws-auth", "whois", "--json", args.get(0), args.get(1))).as(args.toString())
                    .isEqualTo(ConsoleCli.USAGE);
            assertThat(err.toString(StandardCharsets.UTF_8).strip().lines()).as(args.toString()).hasSize(1)
                    .allMatch(line -> line.startsWith("aws-auth: ") && !line.contains("Exception"));
        }
    }

    @Test
    void wrongUsageExitsTwo() {
        assertThat(run("", "aws-auth")).isEqualTo(ConsoleCli.USAGE);
        assertThat(run("", "aws-auth", "whois", "file-only")).isEqualTo(ConsoleCli.USAGE);
        assertThat(run("", "aws-auth", "validate", "--yaml", "f")).isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage:");
    }
}
