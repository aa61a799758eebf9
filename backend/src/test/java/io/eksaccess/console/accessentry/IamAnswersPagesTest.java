package io.eksaccess.console.accessentry;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.SharedApiServer;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.util.UriUtils;

/**
 * who-can, can-i and IAM access through both paths (aws-auth and access entries with access
 * policies), against a real API server's RBAC and aws-auth read by the console's caches.
 *
 * <p>The one seam: a moto EKS cluster has no API server (its RBAC is never read), so this test
 * registers a kubeconfig cluster of a real API server and gives it access entries through
 * {@link AccessEntriesLookup} instead of a sync from EKS ({@link AccessEntriesSyncTest} covers
 * the sync into the cache that the production lookup reads). The entries are what EKS returns.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class IamAnswersPagesTest {

    static final String CLUSTER = "iam";
    static final String ACCOUNT = "111122223333";
    static final String VIEWER_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/teams/Viewer";
    static final String VIEWER_CALLER = "arn:aws:sts::" + ACCOUNT + ":assumed-role/Viewer/viv";
    static final String DEV_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/dev";
    static final String DEV_CALLER = "arn:aws:sts::" + ACCOUNT + ":assumed-role/dev/dana";
    static final String OPS_USER = "arn:aws:iam::" + ACCOUNT + ":user/ops";
    static final String VIEW_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    static final String LB_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSLoadBalancingClusterPolicy";

    /** The entries the lookup gives per cluster name; absent = the cluster maps IAM through aws-auth only. */
    static final Map<String, ClusterAccessEntries> ENTRIES = new ConcurrentHashMap<>();

    /** What the lookup says of a cluster in an API mode whose entries are not read (the sync's state). */
    static final Map<String, io.eksaccess.console.rbac.IamAnswers.Unread> UNREAD = new ConcurrentHashMap<>();

    static KubeApiServer apiServer;

    static final String WORLD = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: team-a}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: devs, namespace: team-a}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: devs}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: aws-auth, namespace: kube-system}
            data:
              mapRoles: |
                - rolearn: arn:aws:iam::111122223333:role/dev
                  username: dev:{{SessionName}}
                  groups: [devs]
                - rolearn: arn:aws:iam::111122223333:role/Viewer
                  username: old-viewer
                  groups: [devs]
              mapUsers: |
                - userarn: arn:aws:iam::111122223333:user/ops
                  username: ops
                  groups: [system:masters]
            """;

    @TestConfiguration
    static class Seam {
        @Bean
        @Primary
        AccessEntriesLookup testEntries() {
            // raw and status are the tab's; the answers read only the model.
            return new AccessEntriesLookup() {
                @Override
                public Optional<SyncedAccessEntries> synced(Cluster cluster) {
                    return Optional.ofNullable(ENTRIES.get(cluster.name()))
                            .map(entries -> new SyncedAccessEntries(entries, null, null));
                }

                @Override
                public Optional<io.eksaccess.console.rbac.IamAnswers.Unread> unread(Cluster cluster) {
                    return Optional.ofNullable(UNREAD.get(cluster.name()));
                }
            };
        }
    }

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.kubeconfig", Once.of(() -> kubeconfig().toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "2s"));
    }

    static synchronized Path kubeconfig() {
        if (apiServer == null) {
            apiServer = SharedApiServer.withWorld(WORLD);
        }
        return apiServer.kubeconfigFor(CLUSTER);
    }

    @AfterAll
    static void removeWorld() {
        if (apiServer != null) {
            SharedApiServer.removeWorld(apiServer, WORLD);
        }
    }

    @LocalServerPort
    int port;

    WebSession browser;

    static ClusterAccessEntries entries(AuthenticationMode mode) {
        return new ClusterAccessEntries(CLUSTER, mode, List.of(
                new AccessEntry(VIEWER_ROLE, AccessEntry.STANDARD, null, List.of(), List.of(
                        new AssociatedAccessPolicy(VIEW_POLICY, AccessScope.namespaces("team-*")),
                        new AssociatedAccessPolicy(LB_POLICY, AccessScope.cluster())))));
    }

    @BeforeEach
    void signIn() {
        ENTRIES.put(CLUSTER, entries(AuthenticationMode.API_AND_CONFIG_MAP));
        browser = new WebSession();
        SignIn.viaDemoIssuer(browser, "http://localhost:" + port, "requester");
        Eventually.await("the world read", Duration.ofSeconds(60), () -> page("/rbac", Map.of("namespace", "team-a")),
                page -> page.selectFirst("[data-binding='RoleBinding/team-a/devs']") != null);
    }

    @AfterEach
    void reset() {
        ENTRIES.clear();
        UNREAD.clear();
    }

    Document page(String tab, Map<String, String> parameters) {
        String query = parameters.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        WebSession.Page page = browser.get("http://localhost:" + port + "/clusters/" + CLUSTER + tab + "?" + query);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return page.html();
    }

    @Test
    void accessForFollowsTheEntryThatOverridesItsAwsAuthMappingAndListsItsPolicies() {
        Element chain = page("/access-for", Map.of("arn", VIEWER_CALLER)).selectFirst("[data-testid=iam-chain]");
        assertThat(chain).as("the chain through access entries").isNotNull();
        assertThat(chain.selectFirst("[data-step=mapping]").attr("data-source")).isEqualTo("accessEntry");
        assertThat(chain.selectFirst("[data-step=mapping]").text()).contains("access entry " + VIEWER_ROLE);
        assertThat(chain.selectFirst("[data-testid=shadowed-mapping]").text())
                .contains("aws-auth mapRoles[1] maps the same principal, but the access entry wins");
        assertThat(chain.selectFirst("[data-step=identity]").text())
                .as("EKS's default username for a role, session rendered; not aws-auth's old-viewer")
                .contains("arn:aws:sts::" + ACCOUNT + ":assumed-role/Viewer/viv").doesNotContain("old-viewer")
                .doesNotContain("devs");
        assertThat(chain.select("[data-testid=access-policies] li").eachText()).containsExactly(
                "AmazonEKSViewPolicy, namespaces team-*",
                "AmazonEKSLoadBalancingClusterPolicy, cluster-wide not modelled: not counted");

        Element dev = page("/access-for", Map.of("arn", DEV_CALLER)).selectFirst("[data-testid=iam-chain]");
        assertThat(dev.selectFirst("[data-step=mapping]").attr("data-source")).isEqualTo("aws-auth");
        assertThat(dev.selectFirst("[data-step=mapping]").text()).contains("mapRoles[0]");
        assertThat(dev.selectFirst("[data-step=rules]").text()).contains("RoleBinding").contains("devs").contains("edit");
        assertThat(dev.selectFirst("[data-step=access-policies]").text()).contains("None");
    }

    @Test
    void accessForDrawsTheEntryItsShadowedMappingAndItsPoliciesAsLinkedNodes() {
        Element svg = page("/access-for", Map.of("arn", VIEWER_CALLER)).selectFirst("[data-testid=access-trace] svg");
        assertThat(svg).as("the drawn trace").isNotNull();
        String entryHref = "/clusters/" + CLUSTER + "/access-entries?q=" + UriUtils.encode(VIEWER_ROLE, StandardCharsets.UTF_8);
        assertThat(svg.selectFirst("a[data-node=entry]").attr("href")).isEqualTo(entryHref);
        assertThat(svg.selectFirst("a[data-node=shadowed]").attr("href"))
                .isEqualTo("/clusters/" + CLUSTER + "/mappings?arn=" + UriUtils.encode(VIEWER_CALLER, StandardCharsets.UTF_8));
        assertThat(svg.selectFirst("a[data-node=policy:AmazonEKSViewPolicy]").attr("href")).isEqualTo(entryHref);
        assertThat(svg.selectFirst("a[data-node=policy:AmazonEKSViewPolicy] title").text())
                .isEqualTo("AmazonEKSViewPolicy · namespaces team-*");
        List<String> edges = svg.select("path.edge").stream().map(e -> e.attr("data-from") + ">" + e.attr("data-to")).toList();
        assertThat(edges).contains("caller>entry", "caller>shadowed", "entry>policy:AmazonEKSViewPolicy",
                "entry>user:arn:aws:sts::" + ACCOUNT + ":assumed-role/Viewer/viv");
        assertThat(edges).as("the overridden mapping gives no identity").noneMatch(e -> e.startsWith("shadowed>"));
    }

    @Test
    void apiModeIgnoresAwsAuth() {
        ENTRIES.put(CLUSTER, entries(AuthenticationMode.API));
        Element dev = page("/access-for", Map.of("arn", DEV_CALLER)).selectFirst("[data-testid=iam-chain]");
        assertThat(dev.select("[data-testid=not-mapped]")).hasSize(1);
        assertThat(dev.selectFirst("[data-step=mapping]").text()).contains("aws-auth is ignored in API mode");
        assertThat(dev.select("[data-step=identity]")).isEmpty();
    }

    @Test
    void canISaysWhichPathGranted() {
        Element byPolicy = page("/who-can", Map.of("verb", "get", "resource", "pods", "namespace", "team-a",
                "subjectKind", "IAM", "subjectName", VIEWER_CALLER)).selectFirst("[data-testid=can-i-iam]");
        assertThat(byPolicy.attr("data-via")).isEqualTo("accessPolicy");
        assertThat(byPolicy.selectFirst("[data-testid=granted-by]").text())
                .isEqualTo("Granted by access policy AmazonEKSViewPolicy, namespaces team-*:");

        Element byRbac = page("/who-can", Map.of("verb", "create", "resource", "deployments", "apiGroup", "apps",
                "namespace", "team-a", "subjectKind", "IAM", "subjectName", DEV_CALLER)).selectFirst("[data-testid=can-i-iam]");
        assertThat(byRbac.attr("data-via")).isEqualTo("rbac");
        assertThat(byRbac.selectFirst("[data-testid=granted-by]").text())
                .isEqualTo("Granted by RoleBinding team-a/devs \u2192 ClusterRole edit:");

        Element denied = page("/who-can", Map.of("verb", "get", "resource", "pods", "namespace", "kube-system",
                "subjectKind", "IAM", "subjectName", VIEWER_CALLER)).selectFirst("[data-testid=can-i-iam]");
        assertThat(denied.text()).startsWith("No.").contains("no associated access policy allows it");
        assertThat(denied.select("[data-testid=granted-by]")).isEmpty();
    }

    @Test
    void whoCanListsIamPrincipalsWithSourceAndGrant() {
        Document page = page("/who-can", Map.of("verb", "get", "resource", "pods", "namespace", "team-a"));
        List<String> rows = page.select("[data-testid=iam-principals] tbody tr[data-arn]").stream()
                .map(row -> row.attr("data-arn") + " " + row.attr("data-source") + " " + row.attr("data-grant")).toList();
        assertThat(rows).as("the aws-auth mapping of Viewer is overridden by its entry, so absent").containsExactly(
                DEV_ROLE + " aws-auth rbac",
                VIEWER_ROLE + " accessEntry accessPolicy",
                OPS_USER + " aws-auth superuser");

        Document secrets = page("/who-can", Map.of("verb", "get", "resource", "secrets", "namespace", "team-a"));
        assertThat(secrets.select("[data-testid=iam-principals] tbody tr[data-arn]").eachAttr("data-arn"))
                .as("the view policy gives no secrets").containsExactly(DEV_ROLE, OPS_USER);
    }

    @Test
    void subjectViewAddsTheAccessPoliciesOfThePrincipalsWhoseIdentityItIs() {
        String auditor = "arn:aws:iam::" + ACCOUNT + ":role/Auditor";
        List<AccessEntry> list = new java.util.ArrayList<>(entries(AuthenticationMode.API_AND_CONFIG_MAP).entries());
        list.add(new AccessEntry(auditor, AccessEntry.STANDARD, "auditor:{{SessionName}}", List.of("devs"), List.of(
                new AssociatedAccessPolicy("arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
                        AccessScope.cluster()))));
        ENTRIES.put(CLUSTER, new ClusterAccessEntries(CLUSTER, AuthenticationMode.API_AND_CONFIG_MAP, list));

        // A user the Viewer entry's default username renders to: both policies of that entry, in words.
        Document viewer = page("/subject", Map.of("user", VIEWER_CALLER));
        assertThat(viewer.select("[data-testid=subject-policies] tbody tr").stream()
                .map(row -> row.attr("data-principal") + " | " + row.child(0).text()).toList()).containsExactly(
                        VIEWER_ROLE + " | access policy AmazonEKSViewPolicy, namespaces team-*",
                        VIEWER_ROLE + " | access policy AmazonEKSLoadBalancingClusterPolicy, cluster-wide not modelled: not counted");
        assertThat(viewer.select("[data-testid=no-rules]")).as("no RBAC rule names this user").hasSize(1);

        // A group: its RBAC rules through the binding, and the policy of the entry that puts callers in it.
        Document devs = page("/subject", Map.of("group", "devs"));
        assertThat(devs.selectFirst("[data-scope=team-a]").text()).contains("RoleBinding").contains("devs").contains("edit");
        assertThat(devs.select("[data-testid=subject-policies] tbody tr").stream()
                .map(row -> row.attr("data-principal") + " | " + row.child(0).text()).toList())
                .as("aws-auth's dev mapping is in devs too, but carries no policy").containsExactly(
                        auditor + " | access policy AmazonEKSAdminViewPolicy, cluster-wide");
        assertThat(page("/subject", Map.of("user", "auditor:jo")).select("[data-testid=subject-policies] tbody tr")
                .eachAttr("data-principal")).containsExactly(auditor);

        Document nobody = page("/subject", Map.of("user", "dev:dana"));
        assertThat(nobody.select("[data-testid=subject-policies]")).isEmpty();
        assertThat(nobody.select("[data-testid=no-subject-policies]")).hasSize(1);

        ENTRIES.clear();
        assertThat(page("/subject", Map.of("group", "devs")).select("[data-testid=no-subject-policies], "
                + "[data-testid=subject-policies]")).as("aws-auth only: no second path to show").isEmpty();
    }

    WebSession.Page api(String question, Map<String, String> parameters) {
        String query = parameters.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return browser.getJson("http://localhost:" + port + "/api/v1/clusters/" + CLUSTER + "/" + question + "?" + query);
    }

    @Test
    void jsonApisAnswerThroughEntriesInTheCliShapes() throws Exception {
        WebSession.Page canI = api("can-i", Map.of("arn", VIEWER_CALLER, "verb", "list", "resource", "pods",
                "namespace", "team-b"));
        assertThat(canI.status()).as(canI.body()).isEqualTo(200);
        tools.jackson.databind.JsonNode answer = io.eksaccess.console.rbac.RbacJson.JSON.readTree(canI.body());
        assertThat(answer.get("allowed").asBoolean()).isTrue();
        assertThat(answer.get("via").asString()).isEqualTo("accessPolicy");
        assertThat(answer.get("accessPolicy").get("policyArn").asString()).isEqualTo(VIEW_POLICY);
        assertThat(answer.has("cache")).isTrue();

        tools.jackson.databind.JsonNode accessFor = io.eksaccess.console.rbac.RbacJson.JSON.readTree(
                api("access-for", Map.of("arn", VIEWER_CALLER)).body());
        assertThat(accessFor.get("accessEntry").get("principalArn").asString()).isEqualTo(VIEWER_ROLE);
        assertThat(accessFor.get("shadowedMapping").get("index").asInt()).isEqualTo(1);

        tools.jackson.databind.JsonNode whoCan = io.eksaccess.console.rbac.RbacJson.JSON.readTree(
                api("who-can", Map.of("verb", "get", "resource", "pods", "namespace", "team-a")).body());
        assertThat(whoCan.get("iamPrincipals").get(1).get("arn").asString()).isEqualTo(VIEWER_ROLE);
        assertThat(whoCan.get("iamPrincipals").get(1).get("grant").asString()).isEqualTo("accessPolicy");

        ENTRIES.clear();
        WebSession.Page refused = api("can-i", Map.of("arn", VIEWER_CALLER, "verb", "get", "resource", "pods"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("access-for?arn=");
        assertThat(api("who-can", Map.of("verb", "get", "resource", "pods")).body()).doesNotContain("iamPrincipals");
    }

    @Test
    void findingsTabShowsAccessEntryFindings() {
        String admins = "arn:aws:iam::" + ACCOUNT + ":role/Admins";
        ClusterAccessEntries withAdmin = entries(AuthenticationMode.API_AND_CONFIG_MAP);
        List<AccessEntry> list = new java.util.ArrayList<>(withAdmin.entries());
        list.add(new AccessEntry(admins, AccessEntry.STANDARD, null, List.of(), List.of(new AssociatedAccessPolicy(
                "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", AccessScope.cluster()))));
        ENTRIES.put(CLUSTER, new ClusterAccessEntries(CLUSTER, AuthenticationMode.API_AND_CONFIG_MAP, list));
        Document findings = page("/findings", Map.of());
        assertThat(findings.selectFirst("article.finding-card[data-finding=EKS-005][data-resource=mapRoles[1]]"))
                .as("aws-auth's Viewer mapping, overridden by the Viewer entry").isNotNull();
        assertThat(findings.select("article.finding-card[data-finding=EKS-004]").eachAttr("data-resource"))
                .containsExactly("AccessEntry/" + admins);

        ENTRIES.clear();
        Document without = page("/findings", Map.of());
        assertThat(without.select("article.finding-card[data-finding=EKS-005]")).isEmpty();
        assertThat(without.select("ul.not-checked li").text()).contains("EKS-004, EKS-005, EKS-006: no access entries");
    }

    @Test
    void withoutSyncedEntriesThePagesAnswerThroughAwsAuthAsBefore() {
        ENTRIES.clear();
        Document accessFor = page("/access-for", Map.of("arn", VIEWER_CALLER));
        assertThat(accessFor.select("[data-testid=iam-chain]")).isEmpty();
        assertThat(accessFor.selectFirst("ol.chain [data-step=identity]").text()).contains("old-viewer");
        Document whoCan = page("/who-can", Map.of("verb", "get", "resource", "pods", "namespace", "team-a"));
        assertThat(whoCan.select("[data-testid=iam-principals]")).isEmpty();
        assertThat(whoCan.select("#q-subjectKind option[value=IAM]")).isEmpty();
        assertThat(whoCan.select("[data-testid=entries-unread]")).as("nothing missing, nothing to say").isEmpty();
    }

    @Test
    void unreadEntriesInApiModeAreSaidOnThePagesAndInTheJson() throws Exception {
        ENTRIES.clear();
        UNREAD.put(CLUSTER, new io.eksaccess.console.rbac.IamAnswers.Unread(CLUSTER, "API",
                "ERROR: EKS refused ListAccessEntries (AccessDeniedException)"));
        String expected = "Access entries of iam have not been read yet (ERROR: EKS refused ListAccessEntries"
                + " (AccessDeniedException)); answers below cover aws-auth and RBAC only.";

        Document whoCan = page("/who-can", Map.of("verb", "get", "resource", "pods", "namespace", "team-a"));
        assertThat(whoCan.selectFirst("[data-testid=entries-unread]").text()).startsWith(expected)
                .contains("API mode, where EKS ignores aws-auth");
        Document accessFor = page("/access-for", Map.of("arn", DEV_CALLER));
        assertThat(accessFor.selectFirst("[data-testid=entries-unread]").text()).startsWith(expected);
        assertThat(accessFor.selectFirst("ol.chain [data-step=identity]").text()).as("still aws-auth's answer").contains("dev:dana");

        tools.jackson.databind.JsonNode whoCanJson = io.eksaccess.console.rbac.RbacJson.JSON.readTree(
                api("who-can", Map.of("verb", "get", "resource", "pods", "namespace", "team-a")).body());
        assertThat(whoCanJson.get("partial").asString()).startsWith(expected);
        tools.jackson.databind.JsonNode accessForJson = io.eksaccess.console.rbac.RbacJson.JSON.readTree(
                api("access-for", Map.of("arn", DEV_CALLER)).body());
        assertThat(accessForJson.get("partial").asString()).startsWith(expected);
        WebSession.Page canI = api("can-i", Map.of("arn", DEV_CALLER, "verb", "get", "resource", "pods"));
        assertThat(canI.status()).isEqualTo(400);
        assertThat(canI.body()).contains("have not been read yet (ERROR: EKS refused ListAccessEntries");

        UNREAD.put(CLUSTER, new io.eksaccess.console.rbac.IamAnswers.Unread(CLUSTER, "API_AND_CONFIG_MAP",
                "STARTING: Reading the access entries from EKS for the first time."));
        Document mixed = page("/who-can", Map.of("verb", "get", "resource", "pods", "namespace", "team-a"));
        assertThat(mixed.selectFirst("[data-testid=entries-unread]").text())
                .contains("(STARTING: Reading the access entries").doesNotContain("API mode");
    }
}
