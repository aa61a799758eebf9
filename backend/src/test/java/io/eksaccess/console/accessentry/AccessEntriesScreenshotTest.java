package io.eksaccess.console.accessentry;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.Browser;
import io.eksaccess.console.testsupport.ConsoleWithMotoEks;
import io.eksaccess.console.testsupport.MotoEks;
import io.eksaccess.console.testsupport.MotoServer;
import io.eksaccess.console.testsupport.RunsAlongside;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;

/**
 * The Access entries tab in Chromium, for README's screenshot ({@code .ci/screenshots} saves it as
 * {@code frontend/screenshots/access-entries.png}): an API_AND_CONFIG_MAP cluster discovered from
 * moto's EKS (a real HTTP double) with a team role under a path and a namespace-glob view policy, a
 * cluster admin, a node role and an IAM user, synced into the cluster cache, signed in through the
 * demo issuer's login form.
 */
@ConsoleWithMotoEks
@RunsAlongside(seconds = 3)
@ResourceLock(ConsoleWithMotoEks.LOCK)
class AccessEntriesScreenshotTest {

    static final MotoServer MOTO = MotoServer.get();
    static final Region REGION = Region.SA_EAST_1;
    static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    static final String CLUSTER = "payments-prod";
    static final String POLICY = "arn:aws:eks::aws:cluster-access-policy/";
    static final String TEAM = "arn:aws:iam::" + ACCOUNT + ":role/teams/PaymentsDevelopers";

    static {
        try (EksClient eks = MotoEks.client(REGION)) {
            MotoEks.createCluster(eks, CLUSTER, AuthenticationMode.API_AND_CONFIG_MAP);
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn(TEAM).kubernetesGroups("payments-devs"));
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(TEAM).policyArn(POLICY + "AmazonEKSViewPolicy")
                    .accessScope(s -> s.type("namespace").namespaces("payments-*")));
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(TEAM).policyArn(POLICY + "AmazonEKSEditPolicy")
                    .accessScope(s -> s.type("namespace").namespaces("payments-dev")));
            String admins = "arn:aws:iam::" + ACCOUNT + ":role/PlatformAdmins";
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn(admins).username("platform:{{SessionName}}"));
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(admins)
                    .policyArn(POLICY + "AmazonEKSClusterAdminPolicy").accessScope(s -> s.type("cluster")));
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn("arn:aws:iam::" + ACCOUNT + ":role/eks-nodes")
                    .type("EC2_LINUX"));
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn("arn:aws:iam::" + ACCOUNT + ":user/auditor")
                    .kubernetesGroups("auditors"));
        }
    }

    @LocalServerPort
    int port;

    @Test
    void accessEntriesTabInChromium() throws Exception {
        String console = "http://localhost:" + port;
        try (Browser browser = Browser.start()) {
            browser.open(console + "/oauth2/authorization/demo");
            browser.type("#username", "auditor");
            browser.type("#password", "demo");
            browser.find("form[action$='/demo-idp/login'] button[type=submit]").click();
            browser.await("the dashboard", d -> d.getCurrentUrl().equals(console + "/"));
            String tab = console + "/clusters/" + CLUSTER + "/access-entries";
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            browser.open(tab);
            while (browser.findAll("table[data-testid=access-entries] tbody tr").size() < 4) {
                assertThat(Instant.now()).as("the entries synced:\n" + browser.find("main").getText()).isBefore(deadline);
                Thread.sleep(500);
                browser.open(tab);
            }
            assertThat(browser.find("tr[data-principal='" + TEAM + "']").getText())
                    .contains("AmazonEKSViewPolicy, namespaces payments-*").contains("payments-devs");
            assertThat(browser.find("tr[data-principal$='role/eks-nodes']").getText()).as("EKS's node username")
                    .contains("system:node:{{EC2PrivateDNSName}}");
            Path shot = browser.screenshot("access-entries");
            assertThat(Files.size(shot)).isPositive();
        }
    }
}
