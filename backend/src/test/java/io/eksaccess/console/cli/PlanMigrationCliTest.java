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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract of {@code access-entries plan-migration} (issue 16): the exact JSON, the text form, exit codes. */
class PlanMigrationCliTest {

    private static final String AWS_AUTH = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: aws-auth, namespace: kube-system}
            data:
              mapRoles: |
                - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
                  username: system:node:{{EC2PrivateDNSName}}
                  groups: [system:bootstrappers, system:nodes]
                - rolearn: arn:aws:iam::111122223333:role/Ops
                  username: ops:{{SessionName}}
                  groups: [system:masters, oncall]
                - rolearn: arn:aws:iam::111122223333:role/Viewer
                  username: viewer
                  groups: [viewers]
                - rolearn: arn:aws:iam::111122223333:role/Monitor
                  username: monitor
                  groups: [system:monitoring]
              mapUsers: |
                - userarn: arn:aws:iam::111122223333:user/alice
                  username: alice
                  groups: [platform-system-admins]
              mapAccounts: |
                - "444455556666"
            """;

    private static final String CLEAN_AWS_AUTH = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: aws-auth, namespace: kube-system}
            data:
              mapRoles: |
                - rolearn: arn:aws:iam::111122223333:role/FargatePodExecution
                  username: system:node:{{SessionName}}
                  groups: [system:bootstrappers, system:nodes, system:node-proxier]
                - rolearn: arn:aws:iam::111122223333:role/Devs
                  username: dev:{{SessionName}}
                  groups: [devs]
            """;

    private static final String ENTRIES = """
            {"cluster": {"name": "prod", "accessConfig": {"authenticationMode": "API_AND_CONFIG_MAP"}},
             "accessEntries": [{"principalArn": "arn:aws:iam::111122223333:role/teams/Viewer", "type": "STANDARD",
                                "kubernetesGroups": ["viewers"]}]}
            """;

    private static final String RBAC = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: devs-view}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: dev-view}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: devs}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: dev-view}
            rules:
            - {apiGroups: [""], resources: [pods], verbs: [get, list]}
            """;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private String awsAuth;
    private String cleanAwsAuth;
    private String entries;
    private String rbac;

    @BeforeEach
    void writeFiles() throws Exception {
        awsAuth = Files.writeString(dir.resolve("aws-auth.yaml"), AWS_AUTH).toString();
        cleanAwsAuth = Files.writeString(dir.resolve("clean.yaml"), CLEAN_AWS_AUTH).toString();
        entries = Files.writeString(dir.resolve("entries.json"), ENTRIES).toString();
        rbac = Files.writeString(dir.resolve("rbac.yaml"), RBAC).toString();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return new ConsoleCli(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonIsTheIssuesShapeFieldForField() throws Exception {
        assertThat(run("access-entries", "plan-migration", "--json", "--aws-auth", awsAuth, "--access-entries", entries))
                .isEqualTo(ConsoleCli.PROBLEM_FOUND);
        String text = stdout();
        assertThat(text.strip().lines()).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(text);
        assertThat(json.fieldNames()).toIterable().containsExactly("entries", "skipped", "unmigratable", "notes");
        assertThat(json.get("entries").toString()).isEqualTo("["
                + "{\"principalArn\":\"arn:aws:iam::111122223333:role/NodeInstanceRole\",\"type\":\"EC2_LINUX\","
                + "\"accessPolicies\":[],\"from\":{\"key\":\"mapRoles\",\"index\":0}},"
                + "{\"principalArn\":\"arn:aws:iam::111122223333:role/Ops\",\"type\":\"STANDARD\","
                + "\"username\":\"ops:{{SessionName}}\",\"kubernetesGroups\":[\"oncall\"],\"accessPolicies\":"
                + "[{\"policyArn\":\"arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy\","
                + "\"accessScope\":{\"type\":\"cluster\"}}],\"from\":{\"key\":\"mapRoles\",\"index\":1}},"
                + "{\"principalArn\":\"arn:aws:iam::111122223333:user/alice\",\"type\":\"STANDARD\","
                + "\"username\":\"alice\",\"kubernetesGroups\":[\"platform-system-admins\"],\"accessPolicies\":[],"
                + "\"from\":{\"key\":\"mapUsers\",\"index\":0}}]");
        assertThat(json.get("skipped")).hasSize(1);
        assertThat(json.get("skipped").get(0).fieldNames()).toIterable().containsExactly("key", "index", "reason");
        assertThat(json.get("skipped").get(0).get("index").asInt()).isEqualTo(2);
        assertThat(json.get("skipped").get(0).get("reason").asText())
                .contains("arn:aws:iam::111122223333:role/teams/Viewer");
        JsonNode unmigratable = json.get("unmigratable");
        assertThat(unmigratable).hasSize(2);
        assertThat(unmigratable.get(0).fieldNames()).toIterable().containsExactly("key", "index", "reason");
        assertThat(unmigratable.get(0).get("key").asText()).isEqualTo("mapRoles");
        assertThat(unmigratable.get(0).get("index").asInt()).isEqualTo(3);
        assertThat(unmigratable.get(0).get("reason").asText()).contains("system:monitoring");
        assertThat(unmigratable.get(1).get("key").asText()).isEqualTo("mapAccounts");
        assertThat(unmigratable.get(1).get("index").asInt()).isZero();
        assertThat(json.get("notes").get(0).asText()).startsWith("aws-auth role ARNs carry no IAM path");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void allMigratableTextFormExitsZero() {
        assertThat(run("access-entries", "plan-migration", "--aws-auth", cleanAwsAuth)).isZero();
        assertThat(stdout()).startsWith("Entries to create: 2\n"
                + "  mapRoles[0] -> arn:aws:iam::111122223333:role/FargatePodExecution (FARGATE_LINUX)\n"
                + "  mapRoles[1] -> arn:aws:iam::111122223333:role/Devs (STANDARD)\n"
                + "      username dev:{{SessionName}}\n"
                + "      groups   devs\n"
                + "Skipped (the principal has an entry already): 0\n"
                + "Not migratable: 0\n");
    }

    @Test
    void fromAddsTheEquivalenceCheckToJsonAndText() throws Exception {
        assertThat(run("access-entries", "plan-migration", "--json", "--aws-auth", cleanAwsAuth, "--from", rbac)).isZero();
        JsonNode json = new ObjectMapper().readTree(stdout());
        assertThat(json.fieldNames()).toIterable()
                .containsExactly("entries", "skipped", "unmigratable", "notes", "equivalence");
        assertThat(json.get("equivalence").get("equivalent").asBoolean()).isTrue();
        assertThat(json.get("equivalence").get("accepted").get(0).asText())
                .contains("FargatePodExecution").contains("no longer in system:bootstrappers");

        assertThat(run("access-entries", "plan-migration", "--aws-auth", awsAuth, "--from", rbac))
                .isEqualTo(ConsoleCli.PROBLEM_FOUND);
        assertThat(stdout()).contains("Equivalence: 2 difference(s)")
                .contains("arn:aws:iam::111122223333:role/Monitor (mapRoles[3]): loses all access")
                .contains("mapAccounts[0] (account 444455556666)");
    }

    @Test
    void usageErrorsAndUnusableInputExitTwoWithOneLine() {
        assertThat(run("access-entries", "plan-migration", "--json")).isEqualTo(ConsoleCli.USAGE);
        assertThat(stderr()).startsWith("access-entries: missing --aws-auth\nUsage:");
        assertThat(run("access-entries", "plan-everything", "--aws-auth", awsAuth)).isEqualTo(ConsoleCli.USAGE);
        assertThat(stderr()).startsWith("access-entries: unknown subcommand 'plan-everything'");
        assertThat(run("access-entries", "plan-migration", "--aws-auth", dir.resolve("nope.yaml").toString()))
                .isEqualTo(ConsoleCli.USAGE);
        assertThat(stderr().lines()).singleElement().satisfies(line -> assertThat(line).startsWith("access-entries: aws-auth: "));
        assertThat(run("access-entries", "plan-migration", "--aws-auth", "-", "--access-entries", "-"))
                .isEqualTo(ConsoleCli.USAGE);
        assertThat(stderr()).isEqualTo("access-entries: only one of --aws-auth and --access-entries can read stdin (-)\n");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void helpListsTheCommand() {
        assertThat(run("help")).isZero();
        assertThat(stdout()).contains("  access-entries  plan-migration: ");
    }
}
