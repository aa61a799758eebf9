package io.eksaccess.console.accessentry;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.AccessEntriesCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.EksAccessEntries;
import io.eksaccess.console.rbac.RbacJson;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.MotoEks;
import io.eksaccess.console.testsupport.MotoServer;
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
import java.util.stream.Collectors;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import tools.jackson.databind.JsonNode;

/**
 * The IAM answers of {@link IamAnswersPagesTest} with no seam: the RBAC and aws-auth of a real API
 * server, and access entries synced by the console's own scheduler from the EKS double (moto with
 * {@code moto/eks_access_entries.py}). The API server is a kubeconfig cluster given EKS details the
 * way the demo gives them ({@code DemoRegistration.describeAsEks}): moto's EKS clusters have no API
 * server, and EKS discovery would register one without RBAC.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class IamAnswersThroughSyncedEntriesTest {

    static final MotoServer MOTO = MotoServer.get();
    static final Region REGION = Region.EU_WEST_1;
    static final String CLUSTER = "iam-synced";
    static final String EKS_CLUSTER = "iam-synced-" + System.nanoTime();
    static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    static final String VIEWER_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/teams/Viewer";
    static final String VIEWER_CALLER = "arn:aws:sts::" + ACCOUNT + ":assumed-role/Viewer/viv";
    static final String DEV_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/dev";
    static final String DEV_CALLER = "arn:aws:sts::" + ACCOUNT + ":assumed-role/dev/dana";
    static final String OPS_USER = "arn:aws:iam::" + ACCOUNT + ":user/ops";
    static final String VIEW_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";

    /** RBAC for devs, and aws-auth mapping Viewer (path dropped) too: the entry must override it. */
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
                - rolearn: arn:aws:iam::ACCOUNT:role/dev
                  username: dev:{{SessionName}}
                  groups: [devs]
                - rolearn: arn:aws:iam::ACCOUNT:role/Viewer
                  username: old-viewer
                  groups: [devs]
              mapUsers: |
                - userarn: arn:aws:iam::ACCOUNT:user/ops
                  username: ops
                  groups: [system:masters]
            """.replace("ACCOUNT", ACCOUNT);

    static KubeApiServer apiServer;

    static {
        try (EksClient eks = MotoEks.client(REGION)) {
            MotoEks.createCluster(eks, EKS_CLUSTER,
                    software.amazon.awssdk.services.eks.model.AuthenticationMode.API_AND_CONFIG_MAP);
            // No username: EKS's default for a role applies, its path dropped.
            eks.createAccessEntry(e -> e.clusterName(EKS_CLUSTER).principalArn(VIEWER_ROLE));
            eks.associateAccessPolicy(a -> a.clusterName(EKS_CLUSTER).principalArn(VIEWER_ROLE).policyArn(VIEW_POLICY)
                    .accessScope(s -> s.type("namespace").namespaces("team-*")));
        }
    }

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.kubeconfig", Once.of(() -> kubeconfig().toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "2s"));
        // No regions: discovery stays off; the endpoint is the one the entry sync calls.
        registry.add("console.clusters.eks.endpoint-override", Once.of(() -> MOTO.endpoint().toString()));
        registry.add("console.clusters.eks.access-entries-check", Once.of(() -> "1s"));
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

    @Autowired
    ClusterRepository clusters;

    @Autowired
    ClusterCaches caches;

    WebSession browser;

    @BeforeEach
    void describeAsEksAndSignIn() {
        // The kubeconfig import registered the cluster at start; a test may have switched its mode.
        assertThat(clusters.describeAsEks(CLUSTER, ACCOUNT, REGION.id(), EKS_CLUSTER, "API_AND_CONFIG_MAP", true))
                .as("the kubeconfig cluster registered").isTrue();
        Eventually.await("access entries of " + CLUSTER + " synced from moto", Duration.ofSeconds(60),
                () -> caches.accessEntries(CLUSTER).flatMap(AccessEntriesCache::entries), Optional::isPresent);
        EksAccessEntries synced = caches.accessEntries(CLUSTER).flatMap(AccessEntriesCache::entries).orElseThrow();
        assertThat(synced.entries()).extracting(EksAccessEntries.Entry::principalArn).containsExactly(VIEWER_ROLE);
        browser = new WebSession();
        SignIn.viaDemoIssuer(browser, "http://localhost:" + port, "admin");
        Eventually.await("the world read", Duration.ofSeconds(60), () -> page("/rbac", Map.of("namespace", "team-a")),
                page -> page.selectFirst("[data-binding='RoleBinding/team-a/devs']") != null);
    }

    static String query(Map<String, String> parameters) {
        return parameters.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    Document page(String tab, Map<String, String> parameters) {
        WebSession.Page page = browser.get("http://localhost:" + port + "/clusters/" + CLUSTER + tab + "?" + query(parameters));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return page.html();
    }

    JsonNode api(String question, Map<String, String> parameters) throws Exception {
        WebSession.Page page = browser.getJson("http://localhost:" + port + "/api/v1/clusters/" + CLUSTER + "/" + question
                + "?" + query(parameters));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return RbacJson.JSON.readTree(page.body());
    }

    @Test
    void whoCanListsTheSyncedEntryWithItsPolicyBesideAwsAuthAndRbac() throws Exception {
        Document page = page("/who-can", Map.of("verb", "get", "resource", "pods", "namespace", "team-a"));
        List<String> rows = page.select("[data-testid=iam-principals] tbody tr[data-arn]").stream()
                .map(row -> row.attr("data-arn") + " " + row.attr("data-source") + " " + row.attr("data-grant")).toList();
        assertThat(rows).as("Viewer's aws-auth mapping is overridden by its synced entry, so listed once").containsExactly(
                DEV_ROLE + " aws-auth rbac",
                VIEWER_ROLE + " accessEntry accessPolicy",
                OPS_USER + " aws-auth superuser");

        Document kubeSystem = page("/who-can", Map.of("verb", "get", "resource", "pods", "namespace", "kube-system"));
        assertThat(kubeSystem.select("[data-testid=iam-principals] tbody tr[data-arn]").eachAttr("data-arn"))
                .as("the view policy is scoped to team-*").containsExactly(OPS_USER);

        JsonNode json = api("who-can", Map.of("verb", "get", "resource", "pods", "namespace", "team-a"));
        assertThat(json.get("iamPrincipals").get(1).get("arn").asString()).isEqualTo(VIEWER_ROLE);
        assertThat(json.get("iamPrincipals").get(1).get("source").asString()).isEqualTo("accessEntry");
        assertThat(json.get("iamPrincipals").get(1).get("grant").asString()).isEqualTo("accessPolicy");
    }

    @Test
    void canISaysTheScopedAccessPolicyGrantsInTeamNamespacesOnly() throws Exception {
        Element allowed = page("/who-can", Map.of("verb", "get", "resource", "pods", "namespace", "team-a",
                "subjectKind", "IAM", "subjectName", VIEWER_CALLER)).selectFirst("[data-testid=can-i-iam]");
        assertThat(allowed.attr("data-via")).isEqualTo("accessPolicy");
        assertThat(allowed.selectFirst("[data-testid=granted-by]").text())
                .isEqualTo("Granted by access policy AmazonEKSViewPolicy, namespaces team-*:");

        Element denied = page("/who-can", Map.of("verb", "get", "resource", "pods", "namespace", "kube-system",
                "subjectKind", "IAM", "subjectName", VIEWER_CALLER)).selectFirst("[data-testid=can-i-iam]");
        assertThat(denied.text()).startsWith("No.").contains("no associated access policy allows it");

        JsonNode inTeam = api("can-i", Map.of("arn", VIEWER_CALLER, "verb", "get", "resource", "pods", "namespace", "team-a"));
        assertThat(inTeam.get("allowed").asBoolean()).isTrue();
        assertThat(inTeam.get("via").asString()).isEqualTo("accessPolicy");
        assertThat(inTeam.get("accessPolicy").get("policyArn").asString()).isEqualTo(VIEW_POLICY);
        JsonNode inKubeSystem = api("can-i", Map.of("arn", VIEWER_CALLER, "verb", "get", "resource", "pods",
                "namespace", "kube-system"));
        assertThat(inKubeSystem.get("allowed").asBoolean()).isFalse();
    }

    @Test
    void accessForMatchesTheAssumedRoleToThePathCarryingEntryWithItsDefaultUsername() throws Exception {
        Element chain = page("/access-for", Map.of("arn", VIEWER_CALLER)).selectFirst("[data-testid=iam-chain]");
        assertThat(chain).as("the chain through the synced access entry").isNotNull();
        assertThat(chain.selectFirst("[data-step=mapping]").attr("data-source")).isEqualTo("accessEntry");
        assertThat(chain.selectFirst("[data-step=mapping]").text()).contains("access entry " + VIEWER_ROLE);
        assertThat(chain.selectFirst("[data-step=identity]").text())
                .as("the entry has no username: EKS's default for a role, session rendered, not aws-auth's old-viewer")
                .contains(VIEWER_CALLER).doesNotContain("old-viewer");
        assertThat(chain.select("[data-testid=access-policies] li").eachText())
                .containsExactly("AmazonEKSViewPolicy, namespaces team-*");
        assertThat(chain.selectFirst("[data-testid=shadowed-mapping]").text())
                .contains("aws-auth mapRoles[1] maps the same principal, but the access entry wins");

        JsonNode json = api("access-for", Map.of("arn", VIEWER_CALLER));
        assertThat(json.get("accessEntry").get("principalArn").asString()).isEqualTo(VIEWER_ROLE);
        assertThat(json.get("shadowedMapping").get("index").asInt()).isEqualTo(1);
    }

    @Test
    void mappingsTabMarksTheAwsAuthRowOfTheEntrysPrincipalAsOverridden() {
        Document mappings = page("/mappings", Map.of());
        assertThat(mappings.select("tr[data-index=1]:has([data-testid=overridden]) code").eachText())
                .as("mapRoles[1], Viewer without its path").contains("arn:aws:iam::" + ACCOUNT + ":role/Viewer");
        assertThat(mappings.select("[data-testid=overridden]")).as("only Viewer has an entry").hasSize(1);
    }

    @Test
    void apiModeIgnoresAwsAuth() {
        // As EKS discovery would record it after UpdateClusterConfig; BeforeEach puts the mixed mode back.
        assertThat(clusters.describeAsEks(CLUSTER, ACCOUNT, REGION.id(), EKS_CLUSTER, "API", true)).isTrue();
        Element dev = page("/access-for", Map.of("arn", DEV_CALLER)).selectFirst("[data-testid=iam-chain]");
        assertThat(dev.select("[data-testid=not-mapped]")).hasSize(1);
        assertThat(dev.selectFirst("[data-step=mapping]").text()).contains("aws-auth is ignored in API mode");

        Element viewer = page("/access-for", Map.of("arn", VIEWER_CALLER)).selectFirst("[data-testid=iam-chain]");
        assertThat(viewer.selectFirst("[data-step=mapping]").attr("data-source")).isEqualTo("accessEntry");
        assertThat(viewer.select("[data-testid=shadowed-mapping]")).as("nothing to override in API mode").isEmpty();

        Document whoCan = page("/who-can", Map.of("verb", "get", "resource", "pods", "namespace", "team-a"));
        assertThat(whoCan.select("[data-testid=iam-principals] tbody tr[data-arn]").eachAttr("data-arn"))
                .as("aws-auth's dev and ops mappings grant nothing in API mode").containsExactly(VIEWER_ROLE);
        assertThat(page("/mappings", Map.of()).select("[data-testid=overridden]")).isEmpty();
    }
}
