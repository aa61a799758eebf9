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

/** The CLI contract of --access-entries, can-i --arn and the JSON additions (issue 15, README "Access entries"). */
class AccessEntriesCliTest {

    private static final String DUMP = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRole
              metadata: {name: cm-reader}
              rules:
              - apiGroups: [""]
                resources: [configmaps]
                verbs: [list]
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: RoleBinding
              metadata: {name: viewers-cm, namespace: team-a}
              roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cm-reader}
              subjects:
              - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: viewers}
              - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: legacy}
            """;

    private static final String AWS_AUTH = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: aws-auth, namespace: kube-system}
            data:
              mapRoles: |
                - rolearn: arn:aws:iam::111122223333:role/Viewer
                  username: legacy:{{SessionName}}
                  groups: [legacy]
                - rolearn: arn:aws:iam::111122223333:role/Ops
                  username: ops
                  groups: [system:masters]
            """;

    private static final String ENTRIES = """
            {"cluster": {"name": "prod", "accessConfig": {"authenticationMode": "API_AND_CONFIG_MAP"}},
             "accessEntries": [{"principalArn": "arn:aws:iam::111122223333:role/teams/Viewer", "type": "STANDARD",
                                "kubernetesGroups": ["viewers"],
                                "associatedAccessPolicies": [{"policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
                                                              "accessScope": {"type": "namespace", "namespaces": ["team-*"]}}]},
                               {"principalArn": "arn:aws:iam::111122223333:user/carol",
                                "associatedAccessPolicies": [{"policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSFuturePolicy",
                                                              "accessScope": {"type": "cluster"}}]}]}
            """;

    private static final String VIEWER = "arn:aws:sts::111122223333:assumed-role/Viewer/jane@example.com";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private String dump;
    private String awsAuth;
    private String entries;

    @BeforeEach
    void writeFiles() throws Exception {
        dump = Files.writeString(dir.resolve("rbac.yaml"), DUMP).toString();
        awsAuth = Files.writeString(dir.resolve("aws-auth.yaml"), AWS_AUTH).toString();
        entries = Files.writeString(dir.resolve("entries.json"), ENTRIES).toString();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return new ConsoleCli(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private JsonNode json() throws Exception {
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.strip().lines()).hasSize(1);
        return new ObjectMapper().readTree(text);
    }

    @Test
    void canIArnAllowedByAnAccessPolicyNamesThePolicyAndScope() throws Exception {
        assertThat(run("can-i", "--json", "--from", dump, "--aws-auth", awsAuth, "--access-entries", entries, "--arn",
                VIEWER, "get", "pods", "-n", "team-b")).isZero();
        JsonNode json = json();
        assertThat(json.fieldNames()).toIterable().containsExactly("allowed", "reason", "identity", "via", "accessPolicy");
        assertThat(json.get("allowed").asBoolean()).isTrue();
        assertThat(json.get("via").asText()).isEqualTo("accessPolicy");
        assertThat(json.get("identity").toString()).isEqualTo("{\"user\":\"arn:aws:sts::111122223333:assumed-role/"
                + "Viewer/jane-example.com\",\"groups\":[\"viewers\",\"system:authenticated\"]}");
        assertThat(json.get("accessPolicy").toString()).isEqualTo("{\"policyArn\":\"arn:aws:eks::aws:cluster-access-"
                + "policy/AmazonEKSViewPolicy\",\"accessScope\":{\"type\":\"namespace\",\"namespaces\":[\"team-*\"]}}");
    }

    @Test
    void canIArnAllowedByRbacNamesTheBindingAndSuperuserNeither() throws Exception {
        assertThat(run("can-i", "--json", "--from", dump, "--aws-auth", awsAuth, "--access-entries", entries, "--arn",
                VIEWER, "list", "configmaps", "-n", "team-a")).isZero();
        JsonNode rbac = json();
        assertThat(rbac.fieldNames()).toIterable().containsExactly("allowed", "reason", "identity", "via", "binding");
        assertThat(rbac.get("via").asText()).isEqualTo("rbac");
        assertThat(rbac.get("binding").toString()).isEqualTo("{\"kind\":\"RoleBinding\",\"name\":\"viewers-cm\","
                + "\"namespace\":\"team-a\",\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"cm-reader\"}}");
        assertThat(run("can-i", "--json", "--from", dump, "--aws-auth", awsAuth, "--arn",
                "arn:aws:sts::111122223333:assumed-role/Ops/x", "delete", "nodes")).isZero();
        JsonNode superuser = json();
        assertThat(superuser.fieldNames()).toIterable().containsExactly("allowed", "reason", "identity", "via");
        assertThat(superuser.get("via").asText()).isEqualTo("superuser");
    }

    @Test
    void canIArnDeniedHasNullViaAndAnUnmappedCallerNullIdentity() throws Exception {
        assertThat(run("can-i", "--json", "--from", dump, "--access-entries", entries, "--arn", VIEWER, "get", "secrets",
                "-n", "team-b")).isZero();
        JsonNode denied = json();
        assertThat(denied.fieldNames()).toIterable().containsExactly("allowed", "reason", "identity", "via");
        assertThat(denied.get("allowed").asBoolean()).isFalse();
        assertThat(denied.get("via").isNull()).isTrue();
        assertThat(denied.get("identity").get("groups").toString()).isEqualTo("[\"viewers\",\"system:authenticated\"]");
        assertThat(run("can-i", "--json", "--from", dump, "--access-entries", entries, "--arn",
                "arn:aws:iam::999988887777:user/stranger", "get", "pods", "-n", "team-b")).isZero();
        JsonNode unmapped = json();
        assertThat(unmapped.get("identity").isNull()).isTrue();
        assertThat(unmapped.get("via").isNull()).isTrue();
        assertThat(unmapped.get("reason").asText()).startsWith("not mapped");
        // the unknown policy is not counted, and the answer says so
        assertThat(run("can-i", "--from", dump, "--access-entries", entries, "--arn", "arn:aws:iam::111122223333:user/carol",
                "get", "pods", "-n", "x")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("no").contains("not modelled, so not counted: AmazonEKSFuturePolicy");
    }

    @Test
    void withoutAccessEntriesTheModeIsConfigMap() throws Exception {
        assertThat(run("can-i", "--json", "--from", dump, "--aws-auth", awsAuth, "--arn", VIEWER, "list", "configmaps",
                "-n", "team-a")).isZero();
        JsonNode json = json();
        assertThat(json.get("identity").get("user").asText()).isEqualTo("legacy:jane-example.com");
        assertThat(json.get("binding").get("name").asText()).isEqualTo("viewers-cm");
    }

    @Test
    void accessForShowsTheEntryTheShadowedMappingAndThePolicies() throws Exception {
        assertThat(run("access-for", "--json", "--from", dump, "--aws-auth", awsAuth, "--access-entries", entries,
                "--arn", VIEWER)).isZero();
        JsonNode json = json();
        assertThat(json.fieldNames()).toIterable().containsExactly("arn", "mapped", "accessEntry", "shadowedMapping",
                "accessPolicies", "identity", "scopes", "notes", "errors");
        assertThat(json.get("accessEntry").toString()).isEqualTo("{\"principalArn\":\"arn:aws:iam::111122223333:role/"
                + "teams/Viewer\",\"type\":\"STANDARD\",\"username\":\"arn:aws:sts::111122223333:assumed-role/Viewer/"
                + "{{SessionName}}\",\"kubernetesGroups\":[\"viewers\"]}");
        assertThat(json.get("shadowedMapping").toString()).isEqualTo("{\"via\":\"mapRoles\",\"index\":0}");
        assertThat(json.get("accessPolicies").toString()).isEqualTo("[{\"policyArn\":\"arn:aws:eks::aws:cluster-access-"
                + "policy/AmazonEKSViewPolicy\",\"accessScope\":{\"type\":\"namespace\",\"namespaces\":[\"team-*\"]}}]");
        assertThat(json.get("identity").get("groups").toString()).isEqualTo("[\"viewers\",\"system:authenticated\"]");
        assertThat(json.get("scopes").get(0).get("namespace").asText()).isEqualTo("team-a");
        // aws-auth only: the mapping is the one used, no entry, no policies
        assertThat(run("access-for", "--json", "--from", dump, "--aws-auth", awsAuth, "--arn", VIEWER)).isZero();
        JsonNode legacy = json();
        assertThat(legacy.fieldNames()).toIterable().containsExactly("arn", "mapped", "mapping", "accessEntry",
                "shadowedMapping", "accessPolicies", "identity", "scopes", "notes", "errors");
        assertThat(legacy.get("mapping").get("username").asText()).isEqualTo("legacy:jane-example.com");
        assertThat(legacy.get("accessEntry").isNull()).isTrue();
        assertThat(legacy.get("shadowedMapping").isNull()).isTrue();
        assertThat(legacy.get("accessPolicies")).isEmpty();
        assertThat(legacy.get("identity").get("groups").toString()).isEqualTo("[\"legacy\",\"system:authenticated\"]");
    }

    @Test
    void whoCanAddsIamPrincipalsSortedByArn() throws Exception {
        assertThat(run("who-can", "--json", "--from", dump, "--aws-auth", awsAuth, "--access-entries", entries,
                "list", "configmaps", "-n", "team-a")).isZero();
        JsonNode json = json();
        assertThat(json.fieldNames()).toIterable().containsExactly("subjects", "bindings", "iamPrincipals", "errors");
        // the Viewer mapping is overridden by the entry, which grants through RBAC (group viewers)
        assertThat(json.get("iamPrincipals").toString()).isEqualTo("[{\"arn\":\"arn:aws:iam::111122223333:role/Ops\","
                + "\"source\":\"aws-auth\",\"grant\":\"superuser\"},{\"arn\":\"arn:aws:iam::111122223333:role/teams/Viewer\","
                + "\"source\":\"accessEntry\",\"grant\":\"rbac\"}]");
        assertThat(run("who-can", "--json", "--from", dump, "--access-entries", entries, "get", "pods", "-n", "team-z"))
                .isZero();
        assertThat(json().get("iamPrincipals").toString()).isEqualTo("[{\"arn\":\"arn:aws:iam::111122223333:role/teams/"
                + "Viewer\",\"source\":\"accessEntry\",\"grant\":\"accessPolicy\"}]");
        assertThat(run("who-can", "--json", "--from", dump, "--aws-auth", awsAuth, "list", "configmaps", "-n", "team-a"))
                .isZero();
        assertThat(json().get("iamPrincipals")).extracting(node -> node.get("arn").asText())
                .containsExactly("arn:aws:iam::111122223333:role/Ops", "arn:aws:iam::111122223333:role/Viewer");
        // without either option the shape is unchanged
        assertThat(run("who-can", "--json", "--from", dump, "list", "configmaps", "-n", "team-a")).isZero();
        assertThat(json().fieldNames()).toIterable().containsExactly("subjects", "bindings", "errors");
        assertThat(run("who-can", "--from", dump, "--access-entries", entries, "get", "pods", "-n", "team-z")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("IAM principals (API_AND_CONFIG_MAP):")
                .contains("arn:aws:iam::111122223333:role/teams/Viewer  via accessEntry, accessPolicy");
    }

    @Test
    void awsAuthErrorsCountOnlyWhereTheModeReadsAwsAuth() throws Exception {
        String broken = Files.writeString(dir.resolve("broken.yaml"), AWS_AUTH + """
                  mapUsers: |
                    - username: no-userarn
                """).toString();
        assertThat(run("who-can", "--json", "--from", dump, "--aws-auth", broken, "list", "configmaps", "-n", "team-a"))
                .isEqualTo(ConsoleCli.PROBLEM_FOUND);
        assertThat(json().get("errors").get(0).get("file").asText()).isEqualTo("aws-auth");
        String api = Files.writeString(dir.resolve("api.json"), ENTRIES.replace("API_AND_CONFIG_MAP", "API")).toString();
        assertThat(run("who-can", "--json", "--from", dump, "--aws-auth", broken, "--access-entries", api, "list",
                "configmaps", "-n", "team-a")).isZero();
        assertThat(json().get("errors")).isEmpty();
    }

    @Test
    void usageErrorsAndUnusableFilesExitTwoWithOneLine() throws Exception {
        assertThat(run("can-i", "--from", dump, "--arn", VIEWER, "get", "pods")).isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("can-i: --arn needs --aws-auth FILE and/or --access-entries FILE");
        assertThat(run("can-i", "--from", dump, "--access-entries", entries, "--arn", VIEWER, "--user", "u", "get", "pods"))
                .isEqualTo(ConsoleCli.USAGE);
        assertThat(run("access-for", "--from", dump, "--arn", VIEWER)).isEqualTo(ConsoleCli.USAGE);
        String bad = Files.writeString(dir.resolve("bad.json"), "{\"cluster\": {\"accessConfig\": {}}}").toString();
        assertThat(run("can-i", "--from", dump, "--access-entries", bad, "--arn", VIEWER, "get", "pods"))
                .isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).isEqualTo("can-i: access entries " + bad
                + ": missing cluster.accessConfig.authenticationMode");
        assertThat(run("who-can", "--from", dump, "--access-entries", dir.resolve("missing.json").toString(), "get", "pods"))
                .isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).endsWith("missing.json: no such file");
        assertThat(run("access-for", "--from", dump, "--access-entries", entries, "--arn", "arn:aws:s3:::bucket"))
                .isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).startsWith("access-for: the authenticator refuses this caller ARN")
                .doesNotContain("\n");
    }
}
