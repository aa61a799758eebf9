package io.eksaccess.console.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.MotoServer;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

/** EKS discovery through the AWS SDK against moto: ListClusters and DescribeCluster land in the registry. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EksDiscoveryTest {

    static final MotoServer MOTO = MotoServer.get();
    static final String CLUSTER = "payments-" + System.nanoTime();

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
        }
    }

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestPostgres::newDatabase);
        registry.add("console.clusters.eks.regions", () -> "eu-west-1");
        registry.add("console.clusters.eks.endpoint-override", () -> MOTO.endpoint().toString());
        registry.add("console.clusters.reconcile-interval", () -> "2s");
    }

    @LocalServerPort
    int port;

    @Autowired
    ClusterRepository clusters;

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
