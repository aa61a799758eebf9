package io.eksaccess.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.HostileDocuments;
import io.eksaccess.console.testsupport.ThisThreadsOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Issue #14: hostile input ends with exit 2 (or 1 when the rest is used) and one short line per
 * problem on stderr; never a stack trace, a library's log line, a megabyte echoed back, or a hang.
 * The timeouts only stop a hang (the old code ran for minutes); they assert no speed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@Isolated // swaps System.out/err: nothing else may log meanwhile
class HostileInputCliTest {

    private static final String RBAC = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: admins}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects:
            - {kind: Group, name: admins, apiGroup: rbac.authorization.k8s.io}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: cluster-admin}
            rules:
            - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
            """;

    @TempDir
    Path dir;

    record Run(int exit, String out, String err, String processOut, String processErr) {
        /** What reached stderr, ours and anything a library printed to the process's streams. */
        String allErr() {
            return err + processErr;
        }
    }

    /** Runs the CLI, also catching what goes to System.out/err around it (library loggers write there). */
    private static synchronized Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream processOut = new ByteArrayOutputStream();
        ByteArrayOutputStream processErr = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(processOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(processErr, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new ConsoleCli(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                    .run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                ThisThreadsOutput.of(processOut.toString(StandardCharsets.UTF_8)),
                ThisThreadsOutput.of(processErr.toString(StandardCharsets.UTF_8)));
    }

    private static void assertOneShortLine(Run run, String start) {
        assertThat(run.err().lines()).as(run.allErr().substring(0, Math.min(2_000, run.allErr().length()))).hasSize(1);
        assertThat(run.err()).startsWith(start).hasSizeLessThan(700).doesNotContain("Exception", "\tat ");
        assertThat(run.processOut() + run.processErr()).isEmpty();
    }

    @Test
    void awsAuthNestedThroughAliasesExitsTwoWithOneLine() throws Exception {
        Path configMap = Files.writeString(dir.resolve("aws-auth.yaml"),
                HostileDocuments.configMapYaml("mapRoles", HostileDocuments.deepAliasChain()));
        Path rbac = Files.writeString(dir.resolve("rbac.yaml"), RBAC);

        Run validate = run("", "aws-auth", "validate", configMap.toString());
        assertThat(validate.exit()).isEqualTo(ConsoleCli.USAGE);
        assertOneShortLine(validate, "aws-auth: aws-auth could not be read: mapRoles: line ");
        assertThat(validate.err()).contains("nested deeper than 1000 levels");
        assertThat(validate.out()).isEmpty();

        Run whois = run("", "aws-auth", "whois", "--json", configMap.toString(), "arn:aws:iam::1:user/a");
        assertThat(whois.exit()).isEqualTo(ConsoleCli.USAGE);
        assertOneShortLine(whois, "aws-auth: aws-auth could not be read");

        Run accessFor = run("", "access-for", "--from", rbac.toString(), "--aws-auth", configMap.toString(),
                "--arn", "arn:aws:iam::1:user/a");
        assertThat(accessFor.exit()).isEqualTo(ConsoleCli.USAGE);
        assertOneShortLine(accessFor, "access-for: aws-auth could not be read");

        Run findings = run("", "findings", "--from", rbac.toString(), "--aws-auth", configMap.toString());
        assertThat(findings.exit()).isEqualTo(ConsoleCli.USAGE);
        assertOneShortLine(findings, "findings: aws-auth could not be read");
    }

    @Test
    void aliasBombManifestIsRefusedAndTheRestIsUsed() throws Exception {
        Path manifests = Files.createDirectory(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("a.yaml"), RBAC);
        String bomb = HostileDocuments.aliasBombManifest();
        assertThat(bomb.length()).isLessThan(600);
        Files.writeString(manifests.resolve("bomb.yaml"), bomb);
        // The same bomb where the objects are read: under a ClusterRole's rules, and as a key.
        Files.writeString(manifests.resolve("role.yaml"), "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
                + "metadata: {name: bomb}\nx: " + bomb.replace("\n", "\n  ").replaceFirst("^", "\n  ") + "\nrules: *a24\n");
        Files.writeString(manifests.resolve("key.yaml"), bomb + "- {? *a24 : x}\n");

        for (String command : new String[] {"who-can", "findings"}) {
            Run run = command.equals("who-can")
                    ? run("", "who-can", "--from", manifests.toString(), "get", "pods")
                    : run("", "findings", "--from", manifests.toString());
            assertThat(run.exit()).as(run.allErr()).isEqualTo(ConsoleCli.PROBLEM_FOUND);
            assertThat(run.err().lines()).as(run.err()).hasSize(3).allSatisfy(line -> assertThat(line)
                    .startsWith(command + ": skipped ").contains("aliases expand to more values").hasSizeLessThan(400));
            assertThat(run.out()).contains(command.equals("who-can") ? "Group admins" : "Group/admins");
            assertThat(run.processOut() + run.processErr()).isEmpty();
        }
    }

    @Test
    void nestingThroughAliasesInAManifestIsRefused() throws Exception {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            yaml.append("- &a").append(i).append(' ').append("[".repeat(90)).append(i == 0 ? "x" : "*a" + (i - 1))
                    .append("]".repeat(90)).append('\n');
        }
        Path file = Files.writeString(dir.resolve("deep.yaml"), RBAC + "---\n" + yaml);
        Run run = run("", "who-can", "--from", file.toString(), "get", "pods");
        assertThat(run.exit()).isEqualTo(ConsoleCli.PROBLEM_FOUND);
        assertOneShortLine(run, "who-can: skipped ");
        assertThat(run.err()).contains("(document 2)", "nested deeper than 100 levels");
    }

    @Test
    void duplicateJsonKeysInAnAwsAuthConfigMapAreRefusedLikeYaml() throws Exception {
        String json = """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"aws-auth","namespace":"kube-system"},
                 "data":{"mapRoles":"- rolearn: arn:aws:iam::1:role/Dev\\n  username: dev\\n"},
                 "data":{"mapRoles":"- rolearn: arn:aws:iam::1:role/Evil\\n  username: evil\\n  groups: [system:masters]\\n"}}""";
        Run run = run(json, "aws-auth", "validate", "-");
        assertThat(run.exit()).isEqualTo(ConsoleCli.USAGE);
        assertOneShortLine(run, "aws-auth: stdin is not valid JSON: ");
        assertThat(run.err()).contains("duplicate key \"data\"");
        assertThat(run.out()).doesNotContain("system:masters");

        String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth}\ndata: {}\ndata: {mapRoles: x}\n";
        Run yamlRun = run(yaml, "aws-auth", "validate", "-");
        assertThat(yamlRun.exit()).isEqualTo(ConsoleCli.USAGE);
        assertOneShortLine(yamlRun, "aws-auth: stdin is not valid YAML: ");
        assertThat(yamlRun.err()).contains("duplicate key 'data'");
    }

    @Test
    void duplicateYamlKeysInAManifestAreOneLineInOurWords() throws Exception {
        Path file = Files.writeString(dir.resolve("dup.yaml"), RBAC.replace("subjects:\n",
                "subjects:\n- {kind: User, name: carol, apiGroup: rbac.authorization.k8s.io}\nsubjects:\n"));
        Run run = run("", "who-can", "--from", file.toString(), "get", "pods");
        assertThat(run.exit()).isZero();
        assertOneShortLine(run, "who-can: warning: ");
        assertThat(run.err()).contains("duplicate key 'subjects' at line 7; the later value is used");
        assertThat(run.out()).contains("Group admins").doesNotContain("carol");

        Path jsonDir = Files.createDirectory(dir.resolve("json"));
        Files.writeString(jsonDir.resolve("role.yaml"), RBAC.substring(RBAC.indexOf("---")));
        Files.writeString(jsonDir.resolve("dup.json"), """
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"x"},
                 "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},
                 "subjects":[{"kind":"User","name":"carol"}],"subjects":[{"kind":"User","name":"dave"}]}""");
        Run jsonRun = run("", "who-can", "--from", jsonDir.toString(), "get", "pods");
        assertThat(jsonRun.exit()).isZero();
        assertOneShortLine(jsonRun, "who-can: warning: ");
        assertThat(jsonRun.err()).contains("duplicate key \"subjects\"");
        assertThat(jsonRun.out()).contains("dave").doesNotContain("carol");
    }

    @Test
    void aOneMegabyteValueIsNotEchoedBack() throws Exception {
        String huge = "z".repeat(1_000_000);
        String[] configMaps = {
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth}\ndata: {mapRoles: [" + huge + "]}\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth}\ndata:\n  " + huge + ": [x]\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth}\ndata: {mapRoles: \"x\"}\n" + huge + " [\n",
            "{\"kind\": \"ConfigMap\", \"data\": " + huge + "}",
            "{\"kind\": \"ConfigMap\", \"data\": {\"" + huge + "\": 1}}",
            "{\"kind\": \"ConfigMap\", \"data\": {\"mapRoles\": \"" + huge + "\", \"mapRoles\": 1}}",
            "kind: ConfigMap\ndata: {}\n" + huge + ": 1\n" + huge + ": 2\n",
        };
        for (String configMap : configMaps) {
            Run run = run(configMap, "aws-auth", "validate", "-");
            assertThat(run.exit()).isEqualTo(ConsoleCli.USAGE);
            assertOneShortLine(run, "aws-auth: ");
            assertThat(run.out()).isEmpty();
        }
        // Read, but its errors and findings quote the value: each line stays short.
        Run inside = run(HostileDocuments.configMapYaml("mapRoles", "- rolearn: " + huge + "\n  username: a\n"
                + "- sso: {accountID: '1', permissionSetName: " + huge + "}\n- 12345\n"), "aws-auth", "validate", "-");
        assertThat(inside.exit()).as(inside.err()).isEqualTo(ConsoleCli.PROBLEM_FOUND);
        assertThat(inside.out()).contains("errors: 3", "(1000000 characters)");
        assertThat(inside.out().lines().filter(line -> line.length() > 700)).isEmpty();
        Path manifests = Files.createDirectory(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("a.yaml"), RBAC);
        Files.writeString(manifests.resolve("big.yaml"), "kind: [" + huge + "\n");
        Run whoCan = run("", "who-can", "--from", manifests.toString(), "get", "pods");
        assertThat(whoCan.exit()).isEqualTo(ConsoleCli.PROBLEM_FOUND);
        assertOneShortLine(whoCan, "who-can: skipped ");
    }
}
