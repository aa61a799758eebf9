package io.eksaccess.console.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.ConsoleApplication;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.request.AccessRequest;
import io.eksaccess.console.request.AccessRequests;
import io.eksaccess.console.request.RequestState;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestInfra;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code --demo-cluster}: a real local API server, seeded, registered as "demo", live, with sample
 * requests; and the same again after a restart on the same data directory and database (a new
 * API server port and token each start).
 */
@RunsAlongside(seconds = 25)
class DemoClusterTest {

    @Test
    void demoClusterIsLiveWithFindingsAndSampleRequestsAndStaysLiveAfterARestart() {
        TestInfra.binary("kube-apiserver"); // fails loudly, with the build command, when not built
        String database = TestPostgres.newDatabase();
        Path dataDir = TestInfra.freshDir("demo-data-");

        String firstServer;
        try (ConfigurableApplicationContext console = start(database, dataDir)) {
            String base = baseUrl(console);
            firstServer = console.getBean(DemoCluster.class).server();
            WebSession admin = new WebSession();
            SignIn.viaDemoIssuer(admin, base, "admin");
            awaitLive(admin, base);
            WebSession.Page mappings = admin.get(base + "/clusters/demo/mappings");
            assertThat(mappings.status()).isEqualTo(200);
            assertThat(mappings.body()).contains("AWSAUTH-002").contains("AWSAUTH-009").contains("BreakGlass");

            // The EKS access-entry double beside the API server: the Access entries tab and findings have content.
            Document entries = awaitAccessEntries(admin, base);
            assertThat(entries.select("table[data-testid=access-entries] tbody tr")).extracting(e -> e.attr("data-principal"))
                    .containsExactlyInAnyOrder(DemoEksDouble.BREAK_GLASS, DemoEksDouble.VIEWER,
                            DemoEksDouble.PAYMENTS_DEVELOPERS);
            assertThat(entries.select("tr[data-principal=" + DemoEksDouble.VIEWER + "]").text())
                    .contains("AmazonEKSViewPolicy").contains("payments").contains("checkout");
            String findings = Eventually.await("the access-entry findings", Duration.ofSeconds(60),
                    () -> admin.get(base + "/clusters/demo/findings").body(),
                    body -> body.contains("EKS-004") && body.contains("EKS-005") && body.contains("EKS-006"));
            assertThat(findings).contains("role/PaymentsDevelopers");

            List<AccessRequest> samples = byId(console.getBean(AccessRequests.class).recent());
            assertThat(samples).extracting(AccessRequest::state).containsExactly(RequestState.APPLIED, RequestState.PENDING);
            assertThat(samples).allMatch(r -> r.cluster().equals("demo") && r.requesterSubject().equals("requester"));
            assertThat(mapRoles(console)).contains("role/CheckoutDevelopers").doesNotContain("role/PaymentsOnCall");

            WebSession requester = new WebSession();
            SignIn.viaDemoIssuer(requester, base, "requester");
            WebSession.Page pending = requester.get(base + "/requests/" + samples.get(1).id());
            assertThat(pending.status()).isEqualTo(200);
            assertThat(pending.body()).contains("On call for payments tonight").contains("PaymentsOnCall");

            // As a console before this fix left the row: the kubeconfig of another process's directory.
            console.getBean(JdbcClient.class)
                    .sql("UPDATE clusters SET kubeconfig_path = :path, api_server_url = 'https://127.0.0.1:1' WHERE name = 'demo'")
                    .param("path", dataDir.resolve("demo-cluster-1/kubeconfig").toString())
                    .update();
        }

        try (ConfigurableApplicationContext console = start(database, dataDir)) {
            String base = baseUrl(console);
            DemoCluster demo = console.getBean(DemoCluster.class);
            assertThat(demo.server()).isNotEqualTo(firstServer); // a new port: the old registration is stale
            Cluster registered = console.getBean(ClusterRepository.class).findByName("demo").orElseThrow();
            assertThat(registered.apiServerUrl()).isEqualTo(demo.server());
            assertThat(registered.kubeconfigPath()).isEqualTo(demo.kubeconfig().toAbsolutePath().toString());

            WebSession admin = new WebSession();
            SignIn.viaDemoIssuer(admin, base, "admin");
            awaitLive(admin, base);
            assertThat(admin.get(base + "/clusters/demo/mappings").body()).contains("AWSAUTH-002");
            // The double is seeded afresh on each start: its entries again, and not taken for drift.
            assertThat(awaitAccessEntries(admin, base).select("table[data-testid=access-entries] tbody tr")).hasSize(3);
            JdbcClient jdbc = console.getBean(JdbcClient.class);
            Eventually.await("the new start's access-entry baseline", Duration.ofSeconds(60),
                    () -> jdbc.sql("SELECT count(*) FROM access_entry_baselines WHERE cluster = 'demo'").query(Long.class)
                            .single(), n -> n == 1);
            assertThat(jdbc.sql("SELECT count(*) FROM drift_events WHERE cluster = 'demo' AND resource = 'access-entries'")
                    .query(Long.class).single()).isZero();

            // Nothing filed twice, and the cluster kept what the first start applied.
            assertThat(byId(console.getBean(AccessRequests.class).recent())).extracting(AccessRequest::state)
                    .containsExactly(RequestState.APPLIED, RequestState.PENDING);
            assertThat(mapRoles(console)).contains("role/CheckoutDevelopers");
        }
    }

    @Test
    void withoutPythonTheDemoStartsAndTheAccessEntriesTabSaysWhyAndHowToFixIt() {
        TestInfra.binary("kube-apiserver");
        try (ConfigurableApplicationContext console = start(TestPostgres.newDatabase(), TestInfra.freshDir("demo-data-"),
                "--console.demo-cluster-python=/nonexistent/python3")) {
            String base = baseUrl(console);
            WebSession admin = new WebSession();
            SignIn.viaDemoIssuer(admin, base, "admin");
            awaitLive(admin, base);
            Document tab = admin.get(base + "/clusters/demo/access-entries").html();
            assertThat(tab.select("[data-testid=demo-eks-double-problem]").text())
                    .contains("/nonexistent/python3").contains("pip install 'moto[server]==5.2.5'").contains(".ci/demo");
            assertThat(tab.select("table[data-testid=access-entries]")).isEmpty();
        }
    }

    private static Document awaitAccessEntries(WebSession browser, String base) {
        return Eventually.await("the demo's access entries", Duration.ofSeconds(90),
                () -> browser.get(base + "/clusters/demo/access-entries").html(),
                page -> page.select("table[data-testid=access-entries] tbody tr").size() >= 3);
    }

    private static ConfigurableApplicationContext start(String database, Path dataDir, String... more) {
        // Arguments, not builder properties: those are defaults, below application.properties' server.port=8080.
        List<String> args = new java.util.ArrayList<>(List.of(
                "--server.port=0",
                "--console.demo-cluster=true",
                "--spring.datasource.url=" + database,
                "--console.data-dir=" + dataDir,
                "--console.clusters.reconcile-interval=1s",
                "--console.clusters.eks.access-entries-check=1s"));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(ConsoleApplication.class).run(args.toArray(String[]::new));
    }

    private static String baseUrl(ConfigurableApplicationContext console) {
        return "http://localhost:" + console.getEnvironment().getProperty("local.server.port");
    }

    private static void awaitLive(WebSession browser, String base) {
        Eventually.await("demo cluster live", Duration.ofSeconds(90),
                () -> browser.get(base + "/clusters").html().select("tr[data-cluster=demo]").text(),
                row -> row.contains("live"));
    }

    private static List<AccessRequest> byId(List<AccessRequest> requests) {
        return requests.stream().sorted(Comparator.comparingLong(AccessRequest::id)).toList();
    }

    private static String mapRoles(ConfigurableApplicationContext console) {
        Config config = Config.fromKubeconfig(console.getBean(DemoCluster.class).kubeconfig().toFile());
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            return client.configMaps().inNamespace("kube-system").withName("aws-auth").get().getData().get("mapRoles");
        }
    }
}
