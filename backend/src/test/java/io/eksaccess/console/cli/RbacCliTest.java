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

/** The CLI contracts of who-can, can-i, rules-for and access-for (README, "Command line"). */
class RbacCliTest {

    /** As kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml prints it (abridged). */
    private static final String DUMP = """
            apiVersion: v1
            items:
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRole
              metadata:
                creationTimestamp: "2026-01-01T00:00:00Z"
                name: cluster-admin
              rules:
              - apiGroups: ["*"]
                resources: ["*"]
                verbs: ["*"]
              - nonResourceURLs: ["*"]
                verbs: ["*"]
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRole
              metadata:
                name: pod-reader
                labels: {agg: "true"}
              rules:
              - apiGroups: [""]
                resources: [pods, pods/log]
                verbs: [get, list]
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRole
              metadata: {name: aggregated}
              aggregationRule:
                clusterRoleSelectors:
                - matchLabels: {agg: "true"}
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRoleBinding
              metadata: {name: cluster-admin}
              roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
              subjects:
              - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:masters"}
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: RoleBinding
              metadata: {name: devs-read, namespace: team-a}
              roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: aggregated}
              subjects:
              - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: devs}
              - {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}
              - {kind: ServiceAccount, name: ci}
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: RoleBinding
              metadata: {name: alice-too, namespace: team-a}
              roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: gone}
              subjects:
              - {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}
            kind: List
            metadata: {resourceVersion: ""}
            """;

    private static final String AWS_AUTH = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: aws-auth, namespace: kube-system}
            data:
              mapRoles: |
                - rolearn: arn:aws:iam::111122223333:role/Dev
                  username: dev:{{SessionName}}
                  groups: [devs]
            """;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Path dump;

    @BeforeEach
    void writeDump() throws Exception {
        dump = Files.writeString(dir.resolve("rbac.yaml"), DUMP);
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
    void whoCanJsonHasTheContractShapeWithAggregationAndServiceAccountDefaulting() throws Exception {
        assertThat(run("who-can", "--json", "--from", dump.toString(), "get", "pods/log", "-n", "team-a")).isZero();
        JsonNode json = json();
        assertThat(json.fieldNames()).toIterable().containsExactly("subjects", "bindings", "errors");
        assertThat(json.get("subjects").toString()).isEqualTo("[{\"kind\":\"Group\",\"name\":\"devs\"},"
                + "{\"kind\":\"ServiceAccount\",\"name\":\"ci\",\"namespace\":\"team-a\"},{\"kind\":\"User\",\"name\":\"alice\"}]");
        assertThat(json.get("bindings").toString()).isEqualTo("[{\"kind\":\"RoleBinding\",\"name\":\"devs-read\","
                + "\"namespace\":\"team-a\",\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"aggregated\"}}]");
        assertThat(json.get("errors")).isEmpty();
        // no -n: a cluster-scoped question; system:masters is left out
        assertThat(run("who-can", "--json", "--from", dump.toString(), "get", "pods")).isZero();
        assertThat(json().get("subjects")).isEmpty();
        assertThat(run("who-can", "--from", dump.toString(), "get", "--non-resource-url", "/healthz")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("nobody (besides members of system:masters)");
    }

    @Test
    void canIAnswersAsTheApiServerIncludingSystemMasters() throws Exception {
        assertThat(run("can-i", "--json", "--from", dump.toString(), "--user", "bob", "--group", "devs",
                "list", "pods", "-n", "team-a")).isZero();
        JsonNode allowed = json();
        assertThat(allowed.get("allowed").asBoolean()).isTrue();
        assertThat(allowed.get("binding").get("name").asText()).isEqualTo("devs-read");
        assertThat(run("can-i", "--json", "--from", dump.toString(), "--user", "bob", "delete", "pods", "-n", "team-a"))
                .isZero();
        assertThat(json().fieldNames()).toIterable().containsExactly("allowed", "reason");
        assertThat(run("can-i", "--json", "--from", dump.toString(), "--user", "root", "--group", "system:masters",
                "delete", "--non-resource-url", "/anything")).isZero();
        assertThat(json().get("allowed").asBoolean()).isTrue();
        assertThat(run("can-i", "--from", dump.toString(), "--user=alice", "get", "pods", "--namespace=team-a",
                "--name", "p")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("yes");
    }

    /** Issue #19: a SubjectAccessReview may carry groups and no user; can-i asks the same. */
    @Test
    void canIWithOnlyGroupsAnswersForAnEmptyUsername() throws Exception {
        assertThat(run("can-i", "--json", "--from", dump.toString(), "--group", "devs", "list", "pods", "-n", "team-a"))
                .isZero();
        JsonNode allowed = json();
        assertThat(allowed.get("allowed").asBoolean()).isTrue();
        assertThat(allowed.get("binding").get("name").asText()).isEqualTo("devs-read");
        assertThat(run("can-i", "--from", dump.toString(), "--group", "devs", "get", "pods", "-n", "team-a", "--name", "p"))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("yes");
        assertThat(run("can-i", "--json", "--from", dump.toString(), "--group", "nobody", "--group", "other", "list", "pods",
                "-n", "team-a")).isZero();
        assertThat(json().get("allowed").asBoolean()).isFalse();
        assertThat(run("can-i", "--from", dump.toString(), "--user=", "--group", "devs", "list", "pods"))
                .isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing --user");
        assertThat(run("can-i", "--from", dump.toString(), "list", "pods")).isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("give --user U, one or more --group G, or both");
    }

    @Test
    void rulesForListsRulesPerScope() throws Exception {
        assertThat(run("rules-for", "--json", "--from", dump.toString(), "--service-account", "team-a:ci")).isZero();
        JsonNode json = json();
        assertThat(json.fieldNames()).toIterable().containsExactly("subject", "identity", "scopes", "errors");
        assertThat(json.get("identity").get("user").asText()).isEqualTo("system:serviceaccount:team-a:ci");
        assertThat(json.get("identity").get("groups").toString())
                .isEqualTo("[\"system:serviceaccounts\",\"system:serviceaccounts:team-a\",\"system:authenticated\"]");
        JsonNode scope = json.get("scopes").get(0);
        assertThat(scope.get("namespace").asText()).isEqualTo("team-a");
        assertThat(scope.get("rules").get(0).get("rule").toString())
                .isEqualTo("{\"verbs\":[\"get\",\"list\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\",\"pods/log\"]}");
        assertThat(run("rules-for", "--from", dump.toString(), "--user", "nobody")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("none");
    }

    @Test
    void accessForFollowsTheArnThroughAwsAuthToRules() throws Exception {
        Path awsAuth = Files.writeString(dir.resolve("aws-auth.yaml"), AWS_AUTH);
        assertThat(run("access-for", "--json", "--from", dump.toString(), "--aws-auth", awsAuth.toString(), "--arn",
                "arn:aws:sts::111122223333:assumed-role/Dev/jane@example.com")).isZero();
        JsonNode json = json();
        assertThat(json.get("mapped").asBoolean()).isTrue();
        assertThat(json.get("mapping").get("username").asText()).isEqualTo("dev:jane-example.com");
        assertThat(json.get("identity").get("groups").toString()).isEqualTo("[\"devs\",\"system:authenticated\"]");
        assertThat(json.get("scopes").get(0).get("namespace").asText()).isEqualTo("team-a");
        assertThat(run("access-for", "--json", "--from", dump.toString(), "--aws-auth", awsAuth.toString(), "--arn",
                "arn:aws:iam::999999999999:user/stranger")).isZero();
        assertThat(json().get("mapped").asBoolean()).isFalse();
    }

    @Test
    void unreadableManifestsAreReportedAndTheRestIsUsed() throws Exception {
        Path manifests = Files.createDirectory(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("a.yaml"), DUMP);
        Files.writeString(manifests.resolve("b.yaml"), "kind: [unclosed\n");
        Files.writeString(manifests.resolve("c.json"), """
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"x"},
                 "subjects":[{"kind":"User","name":"carol"}]}""");
        Files.writeString(manifests.resolve("notes.txt"), "ignored");
        assertThat(run("who-can", "--json", "--from", manifests.toString(), "get", "pods", "-n", "team-a"))
                .isEqualTo(ConsoleCli.PROBLEM_FOUND);
        JsonNode json = json();
        assertThat(json.get("subjects")).hasSize(3);
        assertThat(json.get("errors")).hasSize(2);
        assertThat(json.get("errors").get(0).get("file").asText()).endsWith("b.yaml");
        assertThat(json.get("errors").get(1).get("message").asText()).contains("roleRef");
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).hasSize(2);
    }

    @Test
    void usageErrorsAndUnusableInputExitTwoWithOneLine() throws Exception {
        assertThat(run("who-can", "--from", dump.toString(), "get")).isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("who-can: give VERB and RESOURCE");
        assertThat(run("can-i", "--from", dump.toString(), "get", "pods")).isEqualTo(ConsoleCli.USAGE);
        assertThat(run("rules-for", "--from", dump.toString(), "--user", "a", "--group", "b")).isEqualTo(ConsoleCli.USAGE);
        assertThat(run("rules-for", "--from", dump.toString(), "--service-account", "nocolon")).isEqualTo(ConsoleCli.USAGE);
        assertThat(run("who-can", "--from", dir.resolve("missing").toString(), "get", "pods")).isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).strip().lines()).hasSize(1);
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
        assertThat(run("who-can", "--from", empty.toString(), "get", "pods")).isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no Role, ClusterRole");
        assertThat(run("access-for", "--from", dump.toString(), "--aws-auth", dump.toString(), "--arn", "x"))
                .isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("Exception");
        assertThat(run("who-can", "--help")).isZero();
    }

    /** A Role for the apps group's deployments (and their scale), beside the core-group dump. */
    private static final String APPS = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: deployer, namespace: team-a}
            rules:
            - apiGroups: [apps]
              resources: [deployments, deployments/scale]
              verbs: [get, update, delete]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: deployer, namespace: team-a}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}
            """;

    private String[] from(Path path, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = args[0];
        all[1] = "--from=" + path;
        System.arraycopy(args, 1, all, 2, args.length - 1);
        return all;
    }

    @Test
    void resourceDotGroupAsKubectlWritesItAnswersAsTheApiGroupOption() throws Exception {
        Path both = Files.createDirectory(dir.resolve("both"));
        Files.writeString(both.resolve("rbac.yaml"), DUMP);
        Files.writeString(both.resolve("apps.yaml"), APPS);
        String[][] pairs = {
                {"who-can get deployments.apps -n team-a", "who-can get deployments --api-group apps -n team-a"},
                {"who-can --json delete deployments.v1.apps -n team-a", "who-can --json delete deployments --api-group apps -n team-a"},
                {"who-can update deployments.apps/scale -n team-a", "who-can update deployments/scale --api-group=apps -n team-a"},
                {"who-can get deployments.apps --api-group apps -n team-a", "who-can get deployments --api-group apps -n team-a"},
                {"can-i --user alice delete deployments.v1.apps -n team-a", "can-i --user alice delete deployments --api-group apps -n team-a"},
                {"can-i --json --user alice update deployments.apps/scale -n team-a",
                        "can-i --json --user alice update deployments/scale --api-group apps -n team-a"},
                {"who-can --json list pods/log -n team-a", "who-can --json list pods/log --api-group= -n team-a"}};
        for (String[] pair : pairs) {
            assertThat(run(from(both, pair[0].split(" ")))).as(pair[0]).isZero();
            String dotted = out.toString(StandardCharsets.UTF_8);
            assertThat(dotted).as(pair[0]).containsAnyOf("alice", "yes", "\"allowed\":true").doesNotContain("\"allowed\":false");
            assertThat(err.toString(StandardCharsets.UTF_8)).as(pair[0]).isEmpty();
            assertThat(run(from(both, pair[1].split(" ")))).as(pair[1]).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).as(pair[0]).isEqualTo(dotted);
        }
        assertThat(run(from(both, "who-can", "get", "deployments.apps", "--api-group", "batch", "-n", "team-a")))
                .isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("who-can: The resource deployments.apps names API group"
                + " apps, but apiGroup (--api-group in the CLI) says batch: give the group once.");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(run(from(both, "can-i", "--user", "alice", "get", "deployments.v1."))).isEqualTo(ConsoleCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("RESOURCE.GROUP, as deployments.apps");
    }

    @Test
    void aBareDeploymentsThatNobodyMayUseSaysWhichGroupServesIt() throws Exception {
        Path both = Files.createDirectory(dir.resolve("both"));
        Files.writeString(both.resolve("rbac.yaml"), DUMP);
        Files.writeString(both.resolve("apps.yaml"), APPS);
        assertThat(run(from(both, "who-can", "get", "deployments", "-n", "team-a"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("nobody");
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).startsWith("who-can: note: The API group is empty, so this"
                + " answer is about deployments in the core group").contains("served by API group apps")
                .endsWith("Ask again as deployments.apps (or with --api-group apps).").hasLineCount(1);
        assertThat(run(from(both, "who-can", "--json", "get", "deployments/scale", "-n", "team-a"))).isZero();
        JsonNode json = json();
        assertThat(json.get("likelyGroup").get("apiGroup").asText()).isEqualTo("apps");
        assertThat(json.get("likelyGroup").get("resource").asText()).isEqualTo("deployments.apps/scale");
        assertThat(json.get("likelyGroup").get("message").asText()).contains("served by API group apps");
        assertThat(json.fieldNames()).toIterable().containsExactly("subjects", "bindings", "likelyGroup", "errors");
        for (String[] quiet : new String[][] {{"who-can", "get", "deployments.apps", "-n", "team-a"},
                {"who-can", "get", "pods"}, {"who-can", "get", "widgets"}}) {
            assertThat(run(from(both, quiet))).isZero();
            assertThat(err.toString(StandardCharsets.UTF_8)).as(String.join(" ", quiet)).isEmpty();
        }
        assertThat(run(from(both, "who-can", "--json", "get", "pods"))).isZero();
        assertThat(json().has("likelyGroup")).isFalse();
    }
}
