package io.eksaccess.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code can-i --arn} against an independent evaluation of ACCESS-ENTRIES.md. For generated worlds
 * (one per authentication mode: random Roles, ClusterRoles and bindings in the real API server, an
 * aws-auth, access entries with policies and namespace-glob scopes), each question goes through the
 * CLI, exactly as an admin asks it, and is compared with: the caller's identity worked out here from
 * the generator's own records (precedence by mode, default usernames, templates), then
 * SubjectAccessReview on the real API server for RBAC (system:masters included) ∪ the policies,
 * re-implemented plainly: Admin/Edit/View asked of the server as a probe user bound to the upstream
 * {@code system:aggregate-to-*} roles, the others written out from the facts' table; scopes matched
 * by prefix. Both {@code allowed} and {@code via} must agree.
 *
 * <p>Seed: random per run, printed and in failure messages; rerun with {@code -Daccessentries.seed=N}.
 */
class AccessEntriesDifferentialTest {

    private static final int QUESTIONS_PER_WORLD = Integer.getInteger("accessentries.questions", 120);
    private static final long SEED = Long.getLong("accessentries.seed", new Random().nextLong());
    private static final String ACCOUNT = "111122223333";
    private static final String POLICY = "arn:aws:eks::aws:cluster-access-policy/";
    private static final List<String> POLICIES = List.of("AmazonEKSClusterAdminPolicy", "AmazonEKSAdminPolicy",
            "AmazonEKSEditPolicy", "AmazonEKSViewPolicy", "AmazonEKSAdminViewPolicy", "AmazonEKSSecretReaderPolicy",
            "AmazonEKSNotInTheTablePolicy");
    private static final List<String> RULE_VERBS = List.of("get", "list", "create", "delete", "*");
    private static final List<String> RULE_GROUPS = List.of("", "", "apps", "*");
    private static final List<String> RULE_RESOURCES = List.of("pods", "secrets", "deployments", "nodes", "configmaps",
            "pods/exec", "*");
    private static final List<String> VERBS = List.of("get", "list", "watch", "create", "update", "delete", "impersonate");
    private static final List<String[]> RESOURCES = List.of(new String[] {"", "pods", ""}, new String[] {"", "pods", "exec"},
            new String[] {"", "pods", "log"}, new String[] {"", "secrets", ""}, new String[] {"", "configmaps", ""},
            new String[] {"", "serviceaccounts", ""}, new String[] {"", "nodes", ""}, new String[] {"", "namespaces", ""},
            new String[] {"apps", "deployments", ""}, new String[] {"rbac.authorization.k8s.io", "rolebindings", ""},
            new String[] {"x.example.com", "widgets", ""});

    /** One IAM principal of a world: its ARN parts and how aws-auth and its access entry map it (null: not). */
    private record Principal(boolean role, String path, String name, Mapping awsAuth, Entry entry) {
        String arn() {
            return "arn:aws:iam::" + ACCOUNT + ":" + (role ? "role" : "user") + path + name;
        }
    }

    private record Mapping(String username, List<String> groups) {}

    private record Entry(String username, List<String> groups, List<String[]> policies) {}

    @TempDir
    Path dir;

    @Test
    void canIArnEqualsSubjectAccessReviewUnionThePolicyTable() throws Exception {
        KubeApiServer server = KubeApiServer.get();
        System.out.println("AccessEntriesDifferentialTest seed " + SEED + " (rerun with -Daccessentries.seed=" + SEED + ")");
        List<String> mismatches = new ArrayList<>();
        int asked = 0;
        int allowed = 0;
        Map<String, Integer> vias = new LinkedHashMap<>();
        for (String mode : List.of("CONFIG_MAP", "API_AND_CONFIG_MAP", "API")) {
            Random random = new Random(SEED + mode.hashCode());
            String prefix = "ae" + Long.toHexString(SEED & 0xfffff) + mode.length();
            List<String> namespaces = List.of(prefix + "-a", prefix + "-b", prefix + "-xc");
            List<String> users = List.of(prefix + "-u0", prefix + "-u1", prefix + "-sess:s1", prefix + "-sess:a-b");
            List<String> groups = List.of(prefix + "-g0", prefix + "-g1", prefix + "-g2");
            List<HasMetadata> objects = rbacWorld(prefix, namespaces, users, groups, random);
            List<Principal> principals = principals(prefix, namespaces, groups, mode, random);
            try (KubernetesClient client = server.adminClient()) {
                objects.forEach(object -> client.resource(object).forceConflicts().serverSideApply());
                Path dump = dump(client, mode);
                Path awsAuth = Files.writeString(dir.resolve(mode + "-aws-auth.yaml"), awsAuth(principals));
                Path entries = Files.writeString(dir.resolve(mode + "-entries.json"), entries(mode, principals));
                for (int q = 0; q < QUESTIONS_PER_WORLD; q++) {
                    Principal principal = principals.get(random.nextInt(principals.size()));
                    String session = pick(List.of("s1", "a@b", "ci-job"), random);
                    String arn = principal.role()
                            ? "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + principal.name() + "/" + session
                            : principal.arn();
                    String[] question = question(namespaces, random);
                    List<String> args = new ArrayList<>(List.of("can-i", "--json", "--from", dump.toString(),
                            "--aws-auth", awsAuth.toString()));
                    if (!mode.equals("CONFIG_MAP")) {
                        args.addAll(List.of("--access-entries", entries.toString()));
                    }
                    args.addAll(List.of("--arn", arn));
                    args.addAll(List.of(question));
                    JsonNode actual = canI(args.toArray(String[]::new));
                    String expectedVia = expectedVia(server, mode, principal, session, prefix, question);
                    String actualVia = actual.get("via").isNull() ? null : actual.get("via").asText();
                    asked++;
                    if (expectedVia != null) {
                        allowed++;
                        vias.merge(expectedVia, 1, Integer::sum);
                    }
                    if (actual.get("allowed").asBoolean() != (expectedVia != null)
                            || !java.util.Objects.equals(expectedVia, actualVia)) {
                        mismatches.add(mode + " " + arn + " " + String.join(" ", question) + ": expected via "
                                + expectedVia + ", CLI " + actual);
                    }
                }
                objects.stream().filter(object -> !(object instanceof io.fabric8.kubernetes.api.model.Namespace))
                        .forEach(object -> client.resource(object).delete());
            }
        }
        System.out.printf("AccessEntriesDifferentialTest seed %d: %d questions, %d allowed %s, %d mismatches%n", SEED,
                asked, allowed, vias, mismatches.size());
        mismatches.stream().limit(20).forEach(System.out::println);
        assertThat(mismatches).as("can-i --arn vs SubjectAccessReview ∪ policy table (seed %d)", SEED).isEmpty();
        // the worlds exercise every path, or the comparison proves little
        assertThat(vias.keySet()).as("seed %d", SEED).contains("rbac", "accessPolicy");
        assertThat(asked - allowed).isPositive();
    }

    // ---- the independent evaluation ----

    /** The expected {@code via} (null: denied), from the generator's records, SAR and the facts' policy table. */
    private static String expectedVia(KubeApiServer server, String mode, Principal principal, String session,
            String prefix, String[] question) {
        boolean entries = !mode.equals("CONFIG_MAP");
        boolean awsAuth = !mode.equals("API");
        String renderedSession = principal.role() ? session : "";
        String user;
        List<String> groups = new ArrayList<>();
        List<String[]> policies = List.of();
        if (entries && principal.entry() != null) {
            Entry entry = principal.entry();
            user = entry.username() != null ? render(entry.username(), renderedSession)
                    : principal.role() ? "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + principal.name() + "/"
                            + session.replace("@", "-") : principal.arn();
            groups.addAll(entry.groups());
            policies = entry.policies();
        } else if (awsAuth && principal.awsAuth() != null) {
            user = render(principal.awsAuth().username(), renderedSession);
            groups.addAll(principal.awsAuth().groups());
        } else {
            return null;
        }
        groups.add("system:authenticated");
        if (sar(server, user, groups, question)) {
            return groups.contains("system:masters") ? "superuser" : "rbac";
        }
        for (String[] policy : policies) {
            if (inScope(policy, question) && policyAllows(server, prefix, policy[0], question)) {
                return "accessPolicy";
            }
        }
        return null;
    }

    private static String render(String template, String session) {
        return template.replace("{{SessionNameRaw}}", session).replace("{{SessionName}}", session.replace("@", "-"));
    }

    /** policy = {name, "cluster"} or {name, "namespace", pattern...}; a trailing * is a prefix. */
    private static boolean inScope(String[] policy, String[] question) {
        if (policy[1].equals("cluster")) {
            return true;
        }
        String namespace = option(question, "-n");
        if (namespace == null || option(question, "--non-resource-url") != null) {
            return false;
        }
        for (int i = 2; i < policy.length; i++) {
            String pattern = policy[i];
            if (pattern.endsWith("*") ? namespace.startsWith(pattern.substring(0, pattern.length() - 1))
                    : namespace.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    private static boolean policyAllows(KubeApiServer server, String prefix, String name, String[] question) {
        boolean resource = option(question, "--non-resource-url") == null;
        boolean read = List.of("get", "list", "watch").contains(question[0]);
        return switch (name) {
            case "AmazonEKSClusterAdminPolicy" -> true;
            case "AmazonEKSAdminViewPolicy" -> resource && read;
            case "AmazonEKSSecretReaderPolicy" -> resource && read && question[1].equals("secrets")
                    && option(question, "--api-group") == null;
            case "AmazonEKSAdminPolicy" -> sar(server, prefix + "-probe-admin", List.of(), question);
            case "AmazonEKSEditPolicy" -> sar(server, prefix + "-probe-edit", List.of(), question);
            case "AmazonEKSViewPolicy" -> sar(server, prefix + "-probe-view", List.of(), question);
            default -> false; // not modelled: never counted
        };
    }

    private static boolean sar(KubeApiServer server, String user, List<String> groups, String[] question) {
        String url = option(question, "--non-resource-url");
        if (url != null) {
            return server.subjectAccessReview(user, groups, new NonResourceAttributesBuilder().withVerb(question[0])
                    .withPath(url).build()).getAllowed();
        }
        String[] resource = question[1].split("/", 2);
        String group = option(question, "--api-group");
        String namespace = option(question, "-n");
        return server.subjectAccessReview(user, groups, new ResourceAttributesBuilder().withVerb(question[0])
                .withGroup(group == null ? "" : group).withResource(resource[0])
                .withSubresource(resource.length > 1 ? resource[1] : "").withNamespace(namespace == null ? "" : namespace)
                .build()).getAllowed();
    }

    private static String option(String[] question, String name) {
        for (int i = 0; i < question.length - 1; i++) {
            if (question[i].equals(name)) {
                return question[i + 1];
            }
        }
        return null;
    }

    // ---- the console ----

    private static JsonNode canI(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new ConsoleCli(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        assertThat(code).as("%s: %s", String.join(" ", args), err.toString(StandardCharsets.UTF_8)).isZero();
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    /**
     * Every RBAC object the server holds, as {@code kubectl get … -o yaml} would print them. This
     * server runs no controller-manager, so aggregated ClusterRoles keep the rules they have;
     * their aggregationRule is dropped so the CLI sees the rules the server's authorizer uses.
     */
    private Path dump(KubernetesClient client, String mode) throws Exception {
        List<HasMetadata> items = new ArrayList<>();
        items.addAll(client.rbac().roles().inAnyNamespace().list().getItems());
        for (ClusterRole role : client.rbac().clusterRoles().list().getItems()) {
            role.setAggregationRule(null);
            items.add(role);
        }
        items.addAll(client.rbac().roleBindings().inAnyNamespace().list().getItems());
        items.addAll(client.rbac().clusterRoleBindings().list().getItems());
        return Files.writeString(dir.resolve(mode + "-rbac.yaml"),
                Serialization.asYaml(new KubernetesListBuilder().withItems(items).build()));
    }

    // ---- the generated world ----

    private static List<HasMetadata> rbacWorld(String prefix, List<String> namespaces, List<String> users,
            List<String> groups, Random random) {
        List<HasMetadata> objects = new ArrayList<>();
        namespaces.forEach(ns -> objects.add(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()));
        for (String[] probe : List.of(new String[] {"admin", "admin", "edit", "view"}, new String[] {"edit", "edit", "view"},
                new String[] {"view", "view"})) {
            for (int i = 1; i < probe.length; i++) {
                objects.add(new ClusterRoleBindingBuilder().withNewMetadata().withName(prefix + "-probe-" + probe[0] + "-"
                        + probe[i]).endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole",
                        "system:aggregate-to-" + probe[i]).withSubjects(new SubjectBuilder().withKind("User")
                        .withApiGroup("rbac.authorization.k8s.io").withName(prefix + "-probe-" + probe[0]).build()).build());
            }
        }
        List<String> subjects = new ArrayList<>();
        users.forEach(user -> subjects.add("User:" + user));
        groups.forEach(group -> subjects.add("Group:" + group));
        for (int i = 0; i < 4; i++) {
            String name = prefix + "-cr" + i;
            objects.add(new ClusterRoleBuilder().withNewMetadata().withName(name).endMetadata().withRules(rules(random))
                    .build());
            if (random.nextBoolean()) {
                objects.add(new ClusterRoleBindingBuilder().withNewMetadata().withName(name).endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", name)
                        .withSubjects(subject(pick(subjects, random))).build());
            }
            String namespace = pick(namespaces, random);
            objects.add(new RoleBindingBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", name)
                    .withSubjects(subject(pick(subjects, random)), subject(pick(subjects, random))).build());
        }
        for (String namespace : namespaces) {
            objects.add(new RoleBuilder().withNewMetadata().withNamespace(namespace).withName(prefix + "-r").endMetadata()
                    .withRules(rules(random)).build());
            objects.add(new RoleBindingBuilder().withNewMetadata().withNamespace(namespace).withName(prefix + "-r")
                    .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", prefix + "-r")
                    .withSubjects(subject(pick(subjects, random))).build());
        }
        return objects;
    }

    private static List<PolicyRule> rules(Random random) {
        List<PolicyRule> rules = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
            rules.add(new PolicyRuleBuilder().withVerbs(pick(RULE_VERBS, random)).withApiGroups(pick(RULE_GROUPS, random))
                    .withResources(pick(RULE_RESOURCES, random)).build());
        }
        return rules;
    }

    private static io.fabric8.kubernetes.api.model.rbac.Subject subject(String spec) {
        String[] parts = spec.split(":", 2);
        return new SubjectBuilder().withApiGroup("rbac.authorization.k8s.io").withKind(parts[0]).withName(parts[1]).build();
    }

    /** Roles (some with an IAM path) and users; each in aws-auth, an entry, both or neither. */
    private static List<Principal> principals(String prefix, List<String> namespaces, List<String> groups, String mode,
            Random random) {
        List<Principal> principals = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            boolean role = i < 7;
            String path = role && random.nextBoolean() ? "/teams/" + prefix + "/" : "/";
            String name = prefix + (role ? "-Role" : "-user") + i;
            Mapping mapping = null;
            if (random.nextInt(3) > 0 && path.equals("/")) { // aws-auth wants path-less role ARNs
                mapping = new Mapping(pick(List.of(prefix + "-u0", prefix + "-u1", prefix + "-sess:{{SessionName}}",
                        prefix + "-sess:{{SessionNameRaw}}", prefix + "-other"), random), groupsOf(groups, random));
            }
            Entry entry = null;
            if (random.nextInt(3) > 0) {
                String username = pick(java.util.Arrays.asList(null, null, prefix + "-u1", prefix + "-sess:{{SessionName}}"),
                        random);
                List<String[]> policies = new ArrayList<>();
                List<String> names = new ArrayList<>(POLICIES);
                java.util.Collections.shuffle(names, random);
                for (int p = 0, n = random.nextInt(3); p < n; p++) {
                    policies.add(scope(names.get(p), prefix, namespaces, random));
                }
                List<String> entryGroups = new ArrayList<>(groupsOf(groups, random));
                entryGroups.remove("system:masters");
                entry = new Entry(username, entryGroups, policies);
            }
            principals.add(new Principal(role, path, name, mapping, entry));
        }
        return principals;
    }

    private static List<String> groupsOf(List<String> groups, Random random) {
        List<String> result = new ArrayList<>();
        for (int i = 0, n = random.nextInt(3); i < n; i++) {
            String group = random.nextInt(12) == 0 ? "system:masters" : pick(groups, random);
            if (!result.contains(group)) {
                result.add(group);
            }
        }
        return result;
    }

    private static String[] scope(String policy, String prefix, List<String> namespaces, Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> new String[] {policy, "cluster"};
            case 1 -> new String[] {policy, "namespace", prefix + "-*"};
            case 2 -> new String[] {policy, "namespace", namespaces.get(0), prefix + "-x*"};
            default -> new String[] {policy, "namespace", namespaces.get(1)};
        };
    }

    private static String awsAuth(List<Principal> principals) {
        StringBuilder roles = new StringBuilder();
        StringBuilder users = new StringBuilder();
        for (Principal principal : principals) {
            if (principal.awsAuth() != null) {
                StringBuilder into = principal.role() ? roles : users;
                into.append("    - ").append(principal.role() ? "rolearn: " : "userarn: ").append(principal.arn()).append('\n')
                        .append("      username: \"").append(principal.awsAuth().username()).append("\"\n")
                        .append("      groups: [").append(String.join(", ", principal.awsAuth().groups().stream()
                                .map(g -> "\"" + g + "\"").toList())).append("]\n");
            }
        }
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n"
                + "  mapRoles: |\n" + roles + "  mapUsers: |\n" + users;
    }

    private static String entries(String mode, List<Principal> principals) throws Exception {
        ObjectMapper json = new ObjectMapper();
        var root = json.createObjectNode();
        root.putObject("cluster").put("name", "diff").putObject("accessConfig").put("authenticationMode", mode);
        var entries = root.putArray("accessEntries");
        for (Principal principal : principals) {
            if (principal.entry() == null) {
                continue;
            }
            var entry = entries.addObject();
            entry.put("principalArn", principal.arn());
            entry.put("type", "STANDARD");
            if (principal.entry().username() != null) {
                entry.put("username", principal.entry().username());
            }
            var groups = entry.putArray("kubernetesGroups");
            principal.entry().groups().forEach(groups::add);
            var policies = entry.putArray("associatedAccessPolicies");
            for (String[] policy : principal.entry().policies()) {
                var node = policies.addObject();
                node.put("policyArn", POLICY + policy[0]);
                var scope = node.putObject("accessScope");
                scope.put("type", policy[1]);
                var namespaces = scope.putArray("namespaces");
                for (int i = 2; i < policy.length; i++) {
                    namespaces.add(policy[i]);
                }
            }
        }
        return json.writeValueAsString(root);
    }

    private static String[] question(List<String> namespaces, Random random) {
        if (random.nextInt(10) == 0) {
            return new String[] {pick(List.of("get", "post"), random), "--non-resource-url",
                    pick(List.of("/healthz", "/metrics", "/apis"), random)};
        }
        String[] resource = pick(RESOURCES, random);
        List<String> args = new ArrayList<>(List.of(pick(VERBS, random),
                resource[1] + (resource[2].isEmpty() ? "" : "/" + resource[2])));
        if (!resource[0].isEmpty()) {
            args.addAll(List.of("--api-group", resource[0]));
        }
        String namespace = pick(java.util.Arrays.asList(namespaces.get(0), namespaces.get(1), namespaces.get(2), null,
                "default"), random);
        if (namespace != null) {
            args.addAll(List.of("-n", namespace));
        }
        return args.toArray(String[]::new);
    }

    private static <T> T pick(List<T> pool, Random random) {
        return pool.get(random.nextInt(pool.size()));
    }
}
