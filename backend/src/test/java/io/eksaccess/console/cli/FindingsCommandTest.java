package io.eksaccess.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eksaccess.console.ConsoleApplication;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The findings command's contract (README, "Command line"): JSON shape, exit codes, dump reading. */
class FindingsCommandTest {

    /** As kubectl get clusterroles,clusterrolebindings,roles,rolebindings,serviceaccounts,secrets -A -o yaml prints it (abridged). */
    static final String DUMP = """
            apiVersion: v1
            items:
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRole
              metadata: {name: do-anything, creationTimestamp: "2026-01-01T00:00:00Z"}
              rules:
              - apiGroups: [apps]
                resources: [deployments]
                verbs: ["*"]
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRoleBinding
              metadata: {name: anonymous-view}
              roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
              subjects:
              - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:unauthenticated"}
            - apiVersion: v1
              kind: ServiceAccount
              metadata: {name: default, namespace: web}
              automountServiceAccountToken: false
            - apiVersion: v1
              kind: Secret
              metadata:
                name: ci-token
                namespace: ci
                annotations: {kubernetes.io/service-account.name: deployer}
              type: kubernetes.io/service-account-token
              data: {token: c2VjcmV0LXRva2VuLXZhbHVl}
            kind: List
            metadata: {resourceVersion: ""}
            """;

    static final String AWS_AUTH = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: aws-auth, namespace: kube-system}
            data:
              mapUsers: |
                - userarn: arn:aws:iam::111122223333:user/alice
                  username: alice
                  groups: [devs]
            """;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Path dump;

    @BeforeEach
    void writeDump() throws Exception {
        dump = Files.writeString(dir.resolve("cluster.yaml"), DUMP);
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return new ConsoleCli(new ByteArrayInputStream(AWS_AUTH.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonHasExactlyTheContractShapeMostSevereFirst() throws Exception {
        Path awsAuth = Files.writeString(dir.resolve("aws-auth.yaml"), AWS_AUTH);
        assertThat(run("findings", "--from", dump.toString(), "--aws-auth", awsAuth.toString(), "--json")).isZero();
        assertThat(stdout().strip().lines()).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(stdout());
        assertThat(json.fieldNames()).toIterable().containsExactly("findings");
        List<String> rows = new ArrayList<>();
        for (JsonNode finding : json.get("findings")) {
            assertThat(finding.fieldNames()).toIterable().containsExactly("id", "severity", "resource", "message");
            rows.add(finding.get("id").asText() + " " + finding.get("severity").asText() + " " + finding.get("resource").asText());
        }
        assertThat(rows).containsExactly(
                "RBAC-002 critical ClusterRoleBinding/anonymous-view",
                "RBAC-001 high ClusterRole/do-anything",
                "SA-002 high Secret/ci/ci-token",
                "AWSAUTH-003 medium mapUsers[0]",
                "RBAC-004 medium ClusterRoleBinding/anonymous-view");
        assertThat(json.get("findings").get(0).get("message").asText()).contains("system:unauthenticated", "Remove");
        assertThat(stdout()).as("a Secret's data is never read").doesNotContain("c2VjcmV0").doesNotContain("secret-token");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("findings: not checked: EKS-001, EKS-002, EKS-003: no EKS DescribeCluster details");
    }

    static final String ACCESS_ENTRIES = """
            {"cluster": {"name": "prod", "accessConfig": {"authenticationMode": "API_AND_CONFIG_MAP"}},
             "accessEntries": [
               {"principalArn": "arn:aws:iam::111122223333:role/Platform", "type": "STANDARD",
                "associatedAccessPolicies": [{"policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                                              "accessScope": {"type": "cluster"}}]},
               {"principalArn": "arn:aws:iam::111122223333:user/alice", "kubernetesGroups": ["devs"]}]}
            """;

    @Test
    void accessEntriesFileAddsTheAccessEntryFindings() throws Exception {
        Path awsAuth = Files.writeString(dir.resolve("aws-auth.yaml"), AWS_AUTH);
        Path entries = Files.writeString(dir.resolve("entries.json"), ACCESS_ENTRIES);
        assertThat(run("findings", "--from", dump.toString(), "--aws-auth", awsAuth.toString(), "--access-entries",
                entries.toString(), "--json")).isZero();
        JsonNode json = new ObjectMapper().readTree(stdout());
        List<String> eks = new ArrayList<>();
        for (JsonNode finding : json.get("findings")) {
            if (finding.get("id").asText().startsWith("EKS-")) {
                eks.add(finding.get("id").asText() + " " + finding.get("resource").asText());
            }
        }
        assertThat(eks).as("the admin policy on Platform; aws-auth's alice mapping, overridden by her entry")
                .containsExactlyInAnyOrder("EKS-004 AccessEntry/arn:aws:iam::111122223333:role/Platform",
                        "EKS-005 mapUsers[0]");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not checked: EKS-006, EKS-007: the access-entries file")
                .doesNotContain("EKS-004, EKS-005, EKS-006: no access entries");

        // CONFIG_MAP: EKS ignores entries, so none of them is a finding.
        Path configMap = Files.writeString(dir.resolve("config-map.json"),
                ACCESS_ENTRIES.replace("API_AND_CONFIG_MAP", "CONFIG_MAP"));
        assertThat(run("findings", "--from", dump.toString(), "--aws-auth", awsAuth.toString(), "--access-entries",
                configMap.toString(), "--json")).isZero();
        assertThat(stdout()).doesNotContain("EKS-004").doesNotContain("EKS-005");

        // Without the file: not checked, and said so.
        assertThat(run("findings", "--from", dump.toString(), "--json")).isZero();
        assertThat(stdout()).doesNotContain("EKS-004");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not checked: EKS-004, EKS-005, EKS-006");
    }

    @Test
    void anUnreadableAccessEntriesFileIsAUsageErrorNamingWhatIsWrong() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), ACCESS_ENTRIES.replace("user/alice", "group/alice"));
        assertThat(run("findings", "--from", dump.toString(), "--access-entries", bad.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("findings: access entries " + bad)
                .contains("accessEntries[1].principalArn").contains("is not an IAM role or user ARN");
        assertThat(stdout()).isEmpty();
        assertThat(run("findings", "--from", dump.toString(), "--access-entries", dir.resolve("nope.json").toString()))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no such file");
        assertThat(run("findings", "--from", dump.toString(), "--aws-auth", "-", "--access-entries", "-")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot both read stdin");
    }

    @Test
    void theAwsAuthInTheDumpIsUsedAndStdinWorksToo() throws Exception {
        Path withAwsAuth = Files.createDirectory(dir.resolve("dir"));
        Files.writeString(withAwsAuth.resolve("a.yaml"), DUMP);
        Files.writeString(withAwsAuth.resolve("b.yaml"), AWS_AUTH.replace("user/alice", "user/bob"));
        assertThat(run("findings", "--json", "--from", withAwsAuth.toString())).isZero();
        assertThat(stdout()).contains("IAM user arn:aws:iam::111122223333:user/bob");
        assertThat(run("findings", "--json", "--from", withAwsAuth.toString(), "--aws-auth", "-")).isZero();
        assertThat(stdout()).contains("user/alice").doesNotContain("user/bob");
    }

    @Test
    void textOutputNamesSeverityIdResourceAndGuideSection() {
        assertThat(run("findings", "--from", dump.toString())).isZero();
        assertThat(stdout()).startsWith("findings: 4 over 4 object(s) (1 critical, 2 high, 1 medium)")
                .contains("critical RBAC-002    ClusterRoleBinding/anonymous-view")
                .contains("  guide: Review and revoke unnecessary anonymous access")
                .contains("not checked:\n  AWSAUTH-*: there is no aws-auth ConfigMap.");
    }

    @Test
    void skippedInputExitsOneUnusableInputTwo() throws Exception {
        Path broken = Files.createDirectory(dir.resolve("broken"));
        Files.writeString(broken.resolve("a.yaml"), DUMP);
        Files.writeString(broken.resolve("b.yaml"), "kind: [unclosed\n");
        assertThat(run("findings", "--json", "--from", broken.toString())).isEqualTo(ConsoleCli.PROBLEM_FOUND);
        assertThat(new ObjectMapper().readTree(stdout()).get("findings")).hasSize(4);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("findings: skipped " + broken.resolve("b.yaml"));

        assertThat(run("findings", "--from", dir.resolve("nope").toString())).isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("findings: cannot read");
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "apiVersion: v1\nkind: List\nitems: []\n");
        assertThat(run("findings", "--from", empty.toString())).isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("findings: no Kubernetes object the findings read");
        assertThat(run("findings", "--from", dump.toString(), "--aws-auth", dump.toString())).isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("is not a ConfigMap");
        assertThat(run("findings")).isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("findings: missing --from");
        assertThat(run("findings", "--from", dump.toString(), "--fail-on", "high")).isEqualTo(ConsoleCli.USAGE);
        assertThat(run("findings", "--help")).isZero();
        assertThat(stdout()).contains("Exit codes: 0 it ran");
    }

    @Test
    void theJarsMainRunsItWithoutStartingSpring() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ConsoleApplication.class.getName(),
                "findings", "--json", "--from", dump.toString()).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(stderr).isZero();
        assertThat(stdout).startsWith("{\"findings\":[{\"id\":\"RBAC-002\"");
        assertThat(stdout + stderr).doesNotContain("Spring").doesNotContain("Tomcat");
    }
    /**
     * The jar's main buffers stdout (issue 19) yet keeps the order of stdout and stderr: --json
     * prints the findings, then the not-checked notes on stderr; merged, they stay in that order,
     * and stdout holds all of it (flushed at the end).
     */
    @Test
    void theJarsMainKeepsStdoutBeforeTheStderrThatFollowsIt() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ConsoleApplication.class.getName(),
                "findings", "--json", "--from", dump.toString()).redirectErrorStream(true).start();
        String merged = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(merged).isZero();
        assertThat(merged).startsWith("{\"findings\":[{\"id\":\"RBAC-002\"").contains("\nfindings: not checked: ");
        String json = merged.substring(0, merged.indexOf('\n'));
        assertThat(new ObjectMapper().readTree(json).get("findings")).isNotEmpty();
    }

    /** The text answer's padding, written out, is printf's %-Ns. */
    @Test
    void paddedIsPrintfsLeftJustifiedString() {
        for (String text : new String[] {null, "", "HIGH", "CRITICAL", "LONGER-THAN-WIDTH", "ä", "RBAC-002"}) {
            for (int width : new int[] {1, 8, 11}) {
                assertThat(FindingsAnswer.padded(text, width)).isEqualTo(String.format("%-" + width + "s", text));
            }
        }
    }
}
