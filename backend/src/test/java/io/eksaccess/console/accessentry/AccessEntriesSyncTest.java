package io.eksaccess.console.accessentry;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.cluster.cache.AccessEntriesCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.EksAccessEntries;
import io.eksaccess.console.cluster.cache.SyncState;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.ConsoleWithMotoEks;
import io.eksaccess.console.testsupport.MotoEks;
import io.eksaccess.console.testsupport.MotoServer;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.WebSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;

/**
 * Access entries synced from the EKS API (moto with {@code moto/eks_access_entries.py}, a real
 * HTTP server) into the cluster's cache, shown on the Access entries tab and served by
 * {@code GET /api/v1/clusters/{cluster}/access-entries} in the shape the CLI reads.
 */
@ConsoleWithMotoEks
@RunsAlongside(seconds = 3)
@ResourceLock(ConsoleWithMotoEks.LOCK)
class AccessEntriesSyncTest {

    static final MotoServer MOTO = MotoServer.get();
    static final Region REGION = Region.AP_SOUTHEAST_2;
    static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    static final String MIXED = "mixed-" + System.nanoTime();
    static final String API_ONLY = "apionly-" + System.nanoTime();
    static final String CONFIG_MAP = "configmap-" + System.nanoTime();
    static final String VIEWER = "arn:aws:iam::" + ACCOUNT + ":role/teams/Viewer";
    static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/alice";
    static final String NODES = "arn:aws:iam::" + ACCOUNT + ":role/eks-nodes";
    static final String VIEW_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    static final String LB_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSLoadBalancingClusterPolicy";
    static final String CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

    static {
        try (EksClient eks = eks()) {
            MotoEks.createCluster(eks, MIXED, AuthenticationMode.API_AND_CONFIG_MAP);
            MotoEks.createCluster(eks, API_ONLY, AuthenticationMode.API);
            MotoEks.createCluster(eks, CONFIG_MAP, AuthenticationMode.CONFIG_MAP);
            eks.createAccessEntry(e -> e.clusterName(MIXED).principalArn(VIEWER));
            eks.associateAccessPolicy(a -> a.clusterName(MIXED).principalArn(VIEWER).policyArn(VIEW_POLICY)
                    .accessScope(s -> s.type("namespace").namespaces("team-*", "dev")));
            eks.associateAccessPolicy(a -> a.clusterName(MIXED).principalArn(VIEWER).policyArn(LB_POLICY)
                    .accessScope(s -> s.type("cluster")));
            eks.createAccessEntry(e -> e.clusterName(MIXED).principalArn(ALICE).username("alice").kubernetesGroups("devs"));
            eks.createAccessEntry(e -> e.clusterName(MIXED).principalArn(NODES).type("EC2_LINUX"));
            eks.createAccessEntry(e -> e.clusterName(API_ONLY).principalArn(ALICE));
            eks.associateAccessPolicy(a -> a.clusterName(API_ONLY).principalArn(ALICE).policyArn(CLUSTER_ADMIN_POLICY)
                    .accessScope(s -> s.type("cluster")));
        }
    }

    static EksClient eks() {
        return MotoEks.client(REGION);
    }

    @LocalServerPort
    int port;

    @Autowired
    ClusterCaches caches;

    private String console() {
        return "http://localhost:" + port;
    }

    private EksAccessEntries synced(String cluster) {
        return Eventually.await("access entries of " + cluster + " synced", Duration.ofSeconds(60),
                () -> caches.accessEntries(cluster).flatMap(AccessEntriesCache::entries), Optional::isPresent).orElseThrow();
    }

    @Test
    void syncReadsEntriesPoliciesAndScopesAndSkipsThePolicyCallForEntriesWithoutPolicies() {
        EksAccessEntries read = synced(MIXED);
        assertThat(read.entries()).extracting(EksAccessEntries.Entry::principalArn).containsExactly(NODES, VIEWER, ALICE);
        EksAccessEntries.Entry viewer = read.entries().get(1);
        assertThat(viewer.username()).as("EKS's default, path dropped")
                .isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/Viewer/{{SessionName}}");
        assertThat(viewer.policies()).extracting(EksAccessEntries.Association::policyArn)
                .containsExactlyInAnyOrder(VIEW_POLICY, LB_POLICY);
        assertThat(viewer.policies()).filteredOn(p -> p.policyArn().equals(VIEW_POLICY)).singleElement()
                .satisfies(p -> {
                    assertThat(p.scopeType()).isEqualTo("namespace");
                    assertThat(p.namespaces()).containsExactly("team-*", "dev");
                });
        assertThat(viewer.createdAt()).isNotNull();
        assertThat(read.entries().get(0).type()).isEqualTo("EC2_LINUX");
        assertThat(read.entries().get(2).kubernetesGroups()).containsExactly("devs");
        // ListAccessPolicies 1 + ListAccessEntries 1 + one filtered ListAccessEntries per catalogue policy
        // + DescribeAccessEntry per entry + ListAssociatedAccessPolicies only for the one entry with policies.
        assertThat(read.calls()).isEqualTo(1 + 1 + read.catalogue().size() + 3 + 1);
        assertThat(caches.accessEntries(MIXED).orElseThrow().status().state()).isEqualTo(SyncState.LIVE);
        assertThat(caches.accessEntries(CONFIG_MAP)).as("CONFIG_MAP clusters are not read").isEmpty();
    }

    @Test
    void apiEndpointReturnsTheFileTheCliReads() throws Exception {
        synced(MIXED);
        WebSession browser = new WebSession();
        SignIn.viaDemoIssuer(browser, console(), "auditor");
        WebSession.Page file = browser.getJson(console() + "/api/v1/clusters/" + MIXED + "/access-entries");
        assertThat(file.status()).isEqualTo(200);
        ClusterAccessEntries entries = AccessEntriesReader.read(file.body().getBytes(StandardCharsets.UTF_8));
        assertThat(entries.clusterName()).isEqualTo(MIXED);
        assertThat(entries.mode()).isEqualTo(io.eksaccess.console.accessentry.AuthenticationMode.API_AND_CONFIG_MAP);
        assertThat(entries.entries()).extracting(AccessEntry::principalArn).containsExactly(NODES, VIEWER, ALICE);
        AccessEntry viewer = entries.entries().get(1);
        assertThat(viewer.associatedAccessPolicies()).contains(
                new AssociatedAccessPolicy(VIEW_POLICY, AccessScope.namespaces("team-*", "dev")));
        assertThat(entries.entries().get(2).username()).isEqualTo("alice");
        assertThat(file.header("X-Cache-State")).isEqualTo("LIVE");

        Eventually.await("the CONFIG_MAP cluster registered", Duration.ofSeconds(30),
                () -> browser.getJson(console() + "/api/v1/clusters/" + CONFIG_MAP + "/access-entries"),
                page -> page.status() == 200);
        ClusterAccessEntries none = AccessEntriesReader.read(browser.getJson(
                console() + "/api/v1/clusters/" + CONFIG_MAP + "/access-entries").body().getBytes(StandardCharsets.UTF_8));
        assertThat(none.mode()).isEqualTo(io.eksaccess.console.accessentry.AuthenticationMode.CONFIG_MAP);
        assertThat(none.entries()).isEmpty();
        assertThat(browser.getJson(console() + "/api/v1/clusters/no-such-cluster/access-entries").status()).isEqualTo(404);
    }

    @Test
    void tabListsEntriesWithScopesAndFiltersAndNotModelledPolicies() {
        synced(MIXED);
        WebSession browser = new WebSession();
        SignIn.viaDemoIssuer(browser, console(), "requester");
        Document tab = browser.get(console() + "/clusters/" + MIXED + "/access-entries").html();
        assertThat(tab.select("table[data-testid=access-entries] tbody tr")).hasSize(3);
        String viewerRow = tab.select("tr[data-principal=" + VIEWER + "]").text();
        assertThat(viewerRow).contains("AmazonEKSViewPolicy, namespaces team-*, dev")
                .contains("AmazonEKSLoadBalancingClusterPolicy, cluster-wide not modelled")
                .contains("assumed-role/Viewer/{{SessionName}} (EKS default)");
        assertThat(tab.select("tr[data-principal=" + ALICE + "]").text()).contains("alice").contains("devs")
                .doesNotContain("EKS default");

        Document byGroup = browser.get(console() + "/clusters/" + MIXED + "/access-entries?q=devs").html();
        assertThat(byGroup.select("table[data-testid=access-entries] tbody tr")).extracting(e -> e.attr("data-principal"))
                .containsExactly(ALICE);
        Document byType = browser.get(console() + "/clusters/" + MIXED + "/access-entries?type=EC2_LINUX").html();
        assertThat(byType.select("table[data-testid=access-entries] tbody tr")).extracting(e -> e.attr("data-principal"))
                .containsExactly(NODES);
        Document byPolicy = browser.get(console() + "/clusters/" + MIXED + "/access-entries?policy=AmazonEKSViewPolicy").html();
        assertThat(byPolicy.select("table[data-testid=access-entries] tbody tr")).extracting(e -> e.attr("data-principal"))
                .containsExactly(VIEWER);

        Document configMap = Eventually.await("the CONFIG_MAP cluster's tab", Duration.ofSeconds(30),
                () -> browser.get(console() + "/clusters/" + CONFIG_MAP + "/access-entries"), page -> page.status() == 200)
                .html();
        assertThat(configMap.select("[data-testid=access-entries-not-read]").text()).contains("CONFIG_MAP mode");
        synced(API_ONLY);
        Document mappings = browser.get(console() + "/clusters/" + API_ONLY + "/mappings").html();
        assertThat(mappings.select("[data-testid=aws-auth-ignored]").text()).contains("ignores aws-auth entirely");
        assertThat(browser.get(console() + "/clusters/" + MIXED + "/mappings").html()
                .select("[data-testid=aws-auth-ignored]")).isEmpty();
    }

    @Test
    void refreshReadsAChangeMadeInEksWithoutWaitingForTheInterval() {
        synced(API_ONLY);
        String bob = "arn:aws:iam::" + ACCOUNT + ":user/bob";
        try (EksClient eks = eks()) {
            eks.createAccessEntry(e -> e.clusterName(API_ONLY).principalArn(bob));
        }
        WebSession browser = new WebSession();
        SignIn.viaDemoIssuer(browser, console(), "requester");
        WebSession.Page tab = browser.get(console() + "/clusters/" + API_ONLY + "/access-entries");
        assertThat(tab.html().select("tr[data-principal=" + bob + "]")).as("interval is an hour: not read yet").isEmpty();
        WebSession.Page refreshed = browser.submit(tab, "form[action$=/refresh]", Map.of());
        assertThat(refreshed.status()).isLessThan(400);
        Eventually.await("bob's entry after the refresh", Duration.ofSeconds(30),
                () -> browser.get(console() + "/clusters/" + API_ONLY + "/access-entries"),
                page -> !page.html().select("tr[data-principal=" + bob + "]").isEmpty());
    }

    @Test
    void overviewListsTheEntriesWithClusterAdminAndSaysWhichSourceTheModeIgnores() {
        synced(API_ONLY);
        synced(MIXED);
        WebSession browser = new WebSession();
        SignIn.viaDemoIssuer(browser, console(), "auditor");
        // Read again if a sync came late between synced() and this read (a moment of "stale" under load).
        Document api = Eventually.await("the overview of " + API_ONLY + " with its entries live", Duration.ofSeconds(60),
                () -> browser.get(console() + "/clusters/" + API_ONLY).html(),
                page -> page.selectFirst("#overview-entries-sync .badge") != null
                        && page.selectFirst("#overview-entries-sync .badge").text().contains("live"));
        assertThat(api.selectFirst("#overview-auth-mode").text()).contains("API");
        assertThat(api.select("#overview-admins-entries [data-testid=admin-entry]").eachText()).containsExactly(ALICE);
        assertThat(api.selectFirst("#overview-admins-entries a").attr("href"))
                .isEqualTo("/clusters/" + API_ONLY + "/access-entries?q=" + ALICE);
        assertThat(api.selectFirst("#overview-admins").text()).contains("EKS ignores aws-auth");
        assertThat(api.selectFirst("#overview-entries-sync .badge").text()).as("the entries' own cache state").contains("live");

        Document configMap = browser.get(console() + "/clusters/" + CONFIG_MAP).html();
        assertThat(configMap.selectFirst("#overview-admins").text()).contains("EKS ignores access entries");
        assertThat(configMap.selectFirst("#overview-admins-entries-unknown")).as("not read, on purpose").isNull();
        assertThat(configMap.selectFirst("#overview-entries-sync")).isNull();
        Document mixed = browser.get(console() + "/clusters/" + MIXED).html();
        assertThat(mixed.selectFirst("#overview-admins-entries-none").text())
                .as("a view policy and a load-balancer policy are not cluster admin").contains("No access entry holds");
    }

    @Test
    void overriddenMappingsAreTheAwsAuthRowsOfPrincipalsWithAnEntryOnlyInApiAndConfigMap() throws Exception {
        var awsAuth = io.eksaccess.console.awsauth.AwsAuthParser.read(Map.of(
                "mapRoles", "- rolearn: arn:aws:iam::" + ACCOUNT + ":role/Viewer\n  username: v\n  groups: [x]\n"
                        + "- rolearn: arn:aws:iam::" + ACCOUNT + ":role/Other\n  username: o\n",
                "mapUsers", "- userarn: " + ALICE + "\n  username: alice\n"));
        List<AccessEntry> entries = List.of(new AccessEntry(VIEWER, null, null, null, null),
                new AccessEntry(ALICE, null, "alice", List.of("devs"), null));
        assertThat(SyncedAccessEntries.overridden(io.eksaccess.console.accessentry.AuthenticationMode.API_AND_CONFIG_MAP,
                entries, awsAuth)).extracting(o -> o.section() + "[" + o.index() + "]")
                .as("the path-stripped aws-auth role ARN is the same principal as the entry's path-carrying one")
                .containsExactly("mapRoles[0]", "mapUsers[0]");
        assertThat(SyncedAccessEntries.overridden(io.eksaccess.console.accessentry.AuthenticationMode.API, entries, awsAuth))
                .isEmpty();
    }
}
