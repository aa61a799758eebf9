package io.eksaccess.console.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.Kubeconfig;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console reads a real cluster with nothing but the documented least-privilege RBAC
 * ({@code rbac/eks-access-console-rbac.yaml}) bound to its ServiceAccount, and shows a cluster
 * whose identity has no rights as an error with the reason.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClusterPagesWithLeastPrivilegeTest {

    static final String NAMESPACE = "eks-access-console";
    static final String ACCOUNT = "eks-access-console";
    static final String ACCOUNT_USER = "system:serviceaccount:" + NAMESPACE + ":" + ACCOUNT;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.kubeconfig", Once.of(() -> kubeconfig().toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "2s"));
    }

    /** Two contexts on the real API server: the console's least-privilege ServiceAccount, and alice with no rights. */
    static Path kubeconfig() {
        KubeApiServer apiServer = KubeApiServer.get();
        apiServer.apply("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: %s}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: %s, namespace: %s}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: aws-auth, namespace: kube-system}
                data:
                  mapRoles: |
                    - rolearn: arn:aws:iam::111122223333:role/platform-admins
                      username: admin:{{SessionName}}
                      groups: [system:masters]
                """.formatted(NAMESPACE, ACCOUNT, NAMESPACE));
        apiServer.apply(documentedRbac());
        String token;
        try (KubernetesClient admin = apiServer.adminClient()) {
            token = admin.serviceAccounts().inNamespace(NAMESPACE).withName(ACCOUNT)
                    .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                    .getStatus()
                    .getToken();
        }
        return Kubeconfig.write(new Kubeconfig.Context("least-privilege", apiServer.url(), token),
                apiServer.context("no-rights", KubeApiServer.ALICE));
    }

    static String documentedRbac() {
        try (InputStream in = ClusterPagesWithLeastPrivilegeTest.class.getResourceAsStream("/rbac/eks-access-console-rbac.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theDocumentedRbacGrantsExactlyWhatTheConsoleNeeds() {
        KubeApiServer apiServer = KubeApiServer.get();
        List<String> groups = List.of("system:serviceaccounts", "system:serviceaccounts:" + NAMESPACE);
        assertThat(apiServer.subjectAccessReview(ACCOUNT_USER, groups, "watch", "rbac.authorization.k8s.io", "rolebindings", null).getAllowed()).isTrue();
        assertThat(apiServer.subjectAccessReview(ACCOUNT_USER, groups, "get", "", "secrets", "kube-system").getAllowed())
                .as("no Secret data").isFalse();
        assertThat(apiServer.subjectAccessReview(ACCOUNT_USER, groups, "list", "", "secrets", null).getAllowed()).isFalse();
        assertThat(apiServer.subjectAccessReview(ACCOUNT_USER, groups, "create", "rbac.authorization.k8s.io", "rolebindings", "default").getAllowed())
                .as("it never writes RBAC").isFalse();
        assertThat(apiServer.subjectAccessReview(ACCOUNT_USER, groups, "update", "", "configmaps", "kube-system").getAllowed())
                .as("no ConfigMap but aws-auth").isFalse();
    }

    @Test
    void clusterListShowsTheLeastPrivilegeClusterLiveAndTheOneWithoutRightsAsAnError() {
        WebSession browser = new WebSession();
        SignIn.viaDemoIssuer(browser, "http://localhost:" + port, "auditor");

        Element live = Eventually.await("least-privilege cluster live", Duration.ofSeconds(60),
                () -> row(browser, "least-privilege"), row -> row != null && row.text().contains("live"));
        assertThat(live.text()).contains("v1.34.").contains("present");

        Element refused = Eventually.await("no-rights cluster in error", Duration.ofSeconds(60),
                () -> row(browser, "no-rights"), row -> row != null && row.text().contains("error"));
        assertThat(refused.text()).contains("lacks permission (403)");

        WebSession.Page overview = browser.get("http://localhost:" + port + "/clusters/least-privilege");
        assertThat(overview.status()).isEqualTo(200);
        assertThat(overview.html().select("#cluster-status td").eachText()).contains("aws-auth ConfigMap", "1");
        assertThat(browser.get("http://localhost:" + port + "/clusters/nope").status()).isEqualTo(404);
    }

    @Test
    void htmxRefreshGetsOnlyTheRowsAndFiltersApply() {
        WebSession browser = new WebSession();
        SignIn.viaDemoIssuer(browser, "http://localhost:" + port, "requester");
        WebSession.Page fragment = browser.get("http://localhost:" + port + "/clusters?q=least",
                java.util.Map.of("HX-Request", "true"));
        assertThat(fragment.body()).startsWith("<tbody").doesNotContain("<html");
        // A bare <tbody> is only valid inside a table, which is where htmx swaps it.
        assertThat(org.jsoup.Jsoup.parse("<table>" + fragment.body() + "</table>").select("tr[data-cluster]")
                        .eachAttr("data-cluster"))
                .containsExactly("least-privilege");
    }

    private Element row(WebSession browser, String cluster) {
        return browser.get("http://localhost:" + port + "/clusters").html()
                .selectFirst("tr[data-cluster=" + cluster + "]");
    }
}
