package io.eksaccess.console.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.testsupport.Browser;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.MotoServer;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.SharedApiServer;
import io.eksaccess.console.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;

/**
 * The Migrate to access entries page in Chromium, for README's screenshot ({@code .ci/screenshots}
 * saves it as {@code frontend/screenshots/migrate-to-access-entries.png}): the demo cluster's
 * aws-auth on a real API server, described as a cluster of moto's EKS (a real HTTP double) half-way
 * through the migration — switched to API_AND_CONFIG_MAP, the node and payments entries created —
 * with an SSO admin role whose path IAM (moto) restores and the demo's mapAccounts, the one
 * difference the equivalence check lists. The page must also pass axe-core without serious findings.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class MigrationScreenshotTest {

    static final MotoServer MOTO = MotoServer.get();
    static final Region REGION = Region.AP_SOUTHEAST_2;
    static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    static final String CLUSTER = "payments-staging";
    static final String EKS_NAME = "payments-staging-" + System.nanoTime();
    static final String SSO_ADMINS = "AWSReservedSSO_PlatformAdmins_5e1d";
    static final String NODES = "arn:aws:iam::" + ACCOUNT + ":role/NodeInstanceRole";
    static final String PAYMENTS = "arn:aws:iam::" + ACCOUNT + ":role/PaymentsDevelopers";
    static KubeApiServer apiServer;

    static final String WORLD = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: payments}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: payments-devs-edit, namespace: payments}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: payments-devs}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: platform-team-view}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: platform-team}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: aws-auth, namespace: kube-system}
            data:
              mapRoles: |
                - rolearn: %1$s
                  username: system:node:{{EC2PrivateDNSName}}
                  groups: [system:bootstrappers, system:nodes]
                - rolearn: arn:aws:iam::%2$s:role/%3$s
                  username: platform:{{SessionName}}
                  groups: [system:masters, platform-team]
                - rolearn: %4$s
                  username: payments:{{SessionName}}
                  groups: [payments-devs]
              mapUsers: |
                - userarn: arn:aws:iam::%2$s:user/alice
                  username: alice
                  groups: [payments-devs]
              mapAccounts: |
                - "444455556666"
            """.formatted(NODES, ACCOUNT, SSO_ADMINS, PAYMENTS);

    static {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try (IamClient iam = IamClient.builder().endpointOverride(MOTO.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(MOTO.credentials()).build()) {
            iam.createRole(r -> r.roleName(SSO_ADMINS).path("/aws-reserved/sso.amazonaws.com/")
                    .assumeRolePolicyDocument("""
                            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                             "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"""));
        } catch (EntityAlreadyExistsException e) {
            // moto is shared by the run: another class of this run made it already, with the same path.
        }
        // Half-way: the switch to API_AND_CONFIG_MAP applied, the node and payments entries created.
        try (EksClient eks = EksClient.builder().endpointOverride(MOTO.endpoint()).region(REGION)
                .credentialsProvider(MOTO.credentials()).build()) {
            eks.createCluster(c -> c.name(EKS_NAME).roleArn("arn:aws:iam::" + ACCOUNT + ":role/eks-cluster")
                    .resourcesVpcConfig(vpc -> vpc.subnetIds("subnet-1"))
                    .accessConfig(access -> access.authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)));
            eks.createAccessEntry(e -> e.clusterName(EKS_NAME).principalArn(NODES).type("EC2_LINUX"));
            eks.createAccessEntry(e -> e.clusterName(EKS_NAME).principalArn(PAYMENTS).username("payments:{{SessionName}}")
                    .kubernetesGroups("payments-devs"));
        }
    }

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.kubeconfig", Once.of(() -> kubeconfig().toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "2s"));
        registry.add("console.clusters.eks.endpoint-override", Once.of(() -> MOTO.endpoint().toString()));
        registry.add("console.clusters.eks.access-entries-check", Once.of(() -> "1s"));
        registry.add("console.aws.iam-checks", Once.of(() -> "on"));
        registry.add("console.aws.endpoint-override", Once.of(() -> MOTO.endpoint().toString()));
    }

    /** The run's shared API server with this class's world (it never stops or restarts the server). */
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

    @Test
    void migrationPageMidMigrationInChromium() throws Exception {
        Eventually.await("cluster imported from the kubeconfig", Duration.ofSeconds(60),
                () -> clusters.findByName(CLUSTER).isPresent(), Boolean::booleanValue);
        assertThat(clusters.describeAsEks(CLUSTER, ACCOUNT, REGION.id(), EKS_NAME, "API_AND_CONFIG_MAP", false)).isTrue();
        String console = "http://localhost:" + port;
        try (Browser browser = Browser.start()) {
            browser.open(console + "/oauth2/authorization/demo");
            browser.type("#username", "admin");
            browser.type("#password", "demo");
            browser.find("form[action$='/demo-idp/login'] button[type=submit]").click();
            browser.await("the dashboard", d -> d.getCurrentUrl().equals(console + "/"));
            String page = console + "/clusters/" + CLUSTER + "/migrate-to-access-entries";
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            browser.open(page);
            // Computed from the synced entries: steps 1 done, 2 next, and nothing being recomputed.
            while (!browser.has("[data-step='2'][data-status=READY]") || !browser.findAll("#migrate-progress span").isEmpty()
                    || !browser.has("[data-testid=migrate-skipped]")) {
                assertThat(Instant.now()).as("the plan computed:\n" + browser.find("main").getText()).isBefore(deadline);
                Thread.sleep(500);
                browser.open(page);
            }
            assertThat(browser.find("[data-step='1']").getAttribute("data-status")).isEqualTo("DONE");
            assertThat(browser.findAll("[data-testid=migrate-differences] li")).singleElement()
                    .satisfies(d -> assertThat(d.getText()).startsWith("mapAccounts[0] (account 444455556666)"));
            assertThat(browser.find("[data-testid=migrate-restored]").getText())
                    .contains("role/aws-reserved/sso.amazonaws.com/" + SSO_ADMINS);
            assertThat(browser.find("[data-testid=migrate-skipped]").getText()).contains("mapRoles[0]").contains("mapRoles[2]");
            assertThat(browser.find("[data-testid=migrate-masters-blocked]").getText()).contains(SSO_ADMINS);
            List<String> violations = browser.accessibilityViolations();
            assertThat(violations.stream().filter(Browser::isBlocking).toList()).as(String.join("\n", violations)).isEmpty();
            Path shot = browser.screenshot("migrate-to-access-entries");
            assertThat(Files.size(shot)).isPositive();
        }
    }
}
