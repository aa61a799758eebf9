package io.eksaccess.console.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.cluster.eks.DiscoveredEksCluster;
import io.eksaccess.console.report.findings.FindingsEngine;
import io.eksaccess.console.report.findings.FindingsInput;
import io.eksaccess.console.report.findings.SecurityFinding;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.MotoServer;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;

/**
 * EKS discovery through the AWS SDK against moto: ListClusters and DescribeCluster (with accessConfig,
 * which {@code moto/moto_server.py} adds to moto) land in the registry.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EksDiscoveryTest {

    static final MotoServer MOTO = MotoServer.get();
    static final String CLUSTER = "payments-" + System.nanoTime();
    /** Created by a pipeline that asked EKS not to make it admin (the EKS-003 remedy). */
    static final String DEDICATED = "ledger-" + System.nanoTime();

    static {
        // moto accepts any credentials; these reach the SDK's default chain through system properties.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try (EksClient eks = EksClient.builder()
                .endpointOverride(MOTO.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(MOTO.credentials())
                .build()) {
            eks.createCluster(create -> create.name(CLUSTER)
                    .roleArn("arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/eks-cluster")
                    .resourcesVpcConfig(vpc -> vpc.subnetIds("subnet-1", "subnet-2")
                            .endpointPublicAccess(true)
                            .endpointPrivateAccess(false)
                            .publicAccessCidrs("203.0.113.0/24")));
            eks.createCluster(create -> create.name(DEDICATED)
                    .roleArn("arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/eks-cluster")
                    .resourcesVpcConfig(vpc -> vpc.subnetIds("subnet-1", "subnet-2"))
                    .accessConfig(access -> access.authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)
                            .bootstrapClusterCreatorAdminPermissions(false)));
        }
    }

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.eks.regions", Once.of(() -> "eu-west-1"));
        registry.add("console.clusters.eks.endpoint-override", Once.of(() -> MOTO.endpoint().toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "2s"));
    }

    @LocalServerPort
    int port;

    @Autowired
    ClusterRepository clusters;

    @Autowired
    JdbcClient jdbc;

    @Test
    void oneEksClusterFoundByDiscoveriesAtOnceIsRegisteredOnce() throws Exception {
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 10; round++) {
                DiscoveredEksCluster found = new DiscoveredEksCluster("race-" + System.nanoTime(), MotoServer.ACCOUNT_ID,
                        "eu-west-1", "https://race.example.invalid", "Y2E=", "CONFIG_MAP", true, true, false, List.of(), null);
                CyclicBarrier together = new CyclicBarrier(threads);
                List<Future<String>> names = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    names.add(pool.submit(() -> {
                        together.await();
                        return clusters.upsertFromEks(found);
                    }));
                }
                for (Future<String> name : names) {
                    assertThat(name.get()).as("every discovery names it alike").isEqualTo(found.name());
                }
                assertThat(jdbc.sql("SELECT count(*) FROM clusters WHERE eks_cluster_name = :eks").param("eks", found.name())
                        .query(Long.class).single()).as("rows for " + found.name()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void discoveredClusterIsRegisteredWithItsEndpointAndAccessSettings() {
        Cluster cluster = Eventually.await("the EKS cluster in the registry", Duration.ofSeconds(30),
                () -> clusters.findByName(CLUSTER), Optional::isPresent).orElseThrow();
        assertThat(cluster.source()).isEqualTo(ClusterSource.EKS);
        assertThat(cluster.awsRegion()).isEqualTo("eu-west-1");
        assertThat(cluster.awsAccountId()).isEqualTo(MotoServer.ACCOUNT_ID);
        assertThat(cluster.eksClusterName()).isEqualTo(CLUSTER);
        assertThat(cluster.apiServerUrl()).startsWith("https://");
        assertThat(cluster.caData()).isNotBlank();
        assertThat(cluster.endpointPublicAccess()).isTrue();
        assertThat(cluster.publicAccessCidrs()).isEqualTo(List.of("203.0.113.0/24"));
    }

    @Test
    void accessConfigIsStoredAndOnlyTheClusterWhoseCreatorIsStillAdminHasEks003() {
        Cluster bootstrapped = registered(CLUSTER);
        Cluster dedicated = registered(DEDICATED);
        assertThat(bootstrapped.eksAuthenticationMode()).as("EKS's default for API-created clusters").isEqualTo("CONFIG_MAP");
        assertThat(bootstrapped.eksBootstrapCreatorAdmin()).as("EKS's default").isTrue();
        assertThat(dedicated.eksAuthenticationMode()).isEqualTo("API_AND_CONFIG_MAP");
        assertThat(dedicated.eksBootstrapCreatorAdmin()).isFalse();

        FindingsEngine.Evaluation bootstrappedFindings = eksFindingsOf(bootstrapped);
        assertThat(bootstrappedFindings.findings()).filteredOn(f -> f.id().equals("EKS-003"))
                .extracting(SecurityFinding::resource).containsExactly("Cluster/" + CLUSTER);
        assertThat(bootstrappedFindings.findings()).filteredOn(f -> f.id().equals("EKS-003")).singleElement()
                .extracting(SecurityFinding::message).asString().contains("In CONFIG_MAP mode it cannot be removed");
        FindingsEngine.Evaluation dedicatedFindings = eksFindingsOf(dedicated);
        assertThat(dedicatedFindings.findings()).noneMatch(f -> f.id().equals("EKS-003"));
        assertThat(bootstrappedFindings.notChecked()).noneMatch(note -> note.contains("EKS-003"));
        assertThat(dedicatedFindings.notChecked()).noneMatch(note -> note.contains("EKS-003"));
    }

    private Cluster registered(String name) {
        return Eventually.await("EKS cluster " + name + " in the registry", Duration.ofSeconds(30),
                () -> clusters.findByName(name), Optional::isPresent).orElseThrow();
    }

    /**
     * The findings engine over the registry's EKS details, as the Findings tab passes them. The tab
     * itself shows nothing for these clusters: moto's endpoints never answer, so the cache never reads them.
     */
    private static FindingsEngine.Evaluation eksFindingsOf(Cluster cluster) {
        return FindingsEngine.offline().evaluate(new FindingsInput(List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), Optional.empty(), Optional.empty(), FindingsInput.EksSettings.of(cluster)));
    }

    @Test
    void overviewShowsTheEksDetailsAndWhyTheEndpointCannotBeReached() {
        WebSession browser = new WebSession();
        SignIn.viaDemoIssuer(browser, "http://localhost:" + port, "admin");
        Eventually.await("the EKS cluster in the registry", Duration.ofSeconds(30),
                () -> clusters.findByName(CLUSTER), Optional::isPresent);
        WebSession.Page overview = Eventually.await("a reason for the unreachable endpoint", Duration.ofSeconds(60),
                () -> browser.get("http://localhost:" + port + "/clusters/" + CLUSTER),
                page -> page.html().select("#cluster-status .notice").text().contains("does not resolve"));
        assertThat(overview.html().select("dl").text())
                .contains("EKS")
                .contains("eu-west-1")
                .contains("public, from 203.0.113.0/24");
    }
}
