package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.ConsoleApplication;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestInfra;
import io.eksaccess.console.testsupport.WebSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The zero-configuration default: no database URL and no issuer. The console starts its own
 * PostgreSQL in the data directory and its demo issuer; what it stored is still there after a
 * restart on the same data directory.
 */
class EmbeddedDefaultsTest {

    @Test
    void startsWithEmbeddedDatabaseAndKeepsItsDataAcrossARestart() throws IOException {
        Path dataDir = TestInfra.freshDir("data-");
        Path kubeconfig = dataDir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: prod-cluster
                  cluster: {server: "https://prod.example.invalid:6443"}
                contexts:
                - name: arn:aws:eks:eu-west-1:111122223333:cluster/prod
                  context: {cluster: prod-cluster, user: someone}
                users:
                - name: someone
                  user: {token: not-used}
                """);

        try (ConfigurableApplicationContext first = start(dataDir, kubeconfig)) {
            WebSession browser = new WebSession();
            String console = "http://localhost:" + port(first);
            WebSession.Page dashboard = SignIn.viaDemoIssuer(browser, console, "admin");
            assertThat(dashboard.html().select(".demo-banner").text()).startsWith("DEMO");
            // Links are written as the templates give them (a per-link resource lookup made rendering
            // slow); the versionless webjar paths still serve the assets.
            assertThat(dashboard.html().select("script[src*=htmx]").attr("src")).isEqualTo("/webjars/htmx.org/dist/htmx.min.js");
            for (Element asset : dashboard.html().select("link[rel=stylesheet][href], script[src]")) {
                String path = asset.hasAttr("href") ? asset.attr("href") : asset.attr("src");
                assertThat(browser.get(console + path).status()).as(path).isEqualTo(200);
            }
            WebSession.Page clusters = browser.get(console + "/clusters");
            assertThat(clusters.html().select("tr[data-cluster=prod]").text()).contains("https://prod.example.invalid:6443");

            // Migrated by the superuser, run as a role that cannot rewrite the audit history.
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT current_user").query(String.class).single()).isEqualTo("eks_console_runtime");
            assertThat(jdbc.sql("SELECT count(*) FROM audit_events WHERE action = 'SIGN_IN'").query(Long.class).single())
                    .isPositive();
            assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_events").update())
                    .rootCause().hasMessageContaining("permission denied for table audit_events");
        }
        assertThat(dataDir.resolve("postgres").resolve("PG_VERSION")).exists();

        Files.delete(kubeconfig); // the second start imports nothing: what it shows was stored by the first
        try (ConfigurableApplicationContext second = start(dataDir, kubeconfig)) {
            assertThat(second.getBean(ClusterRepository.class).findAll())
                    .extracting(Cluster::name, Cluster::kubeContext)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(
                            "prod", "arn:aws:eks:eu-west-1:111122223333:cluster/prod"));
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir, Path kubeconfig) {
        return new SpringApplicationBuilder(ConsoleApplication.class).run(
                "--server.port=0",
                "--console.data-dir=" + dataDir,
                "--console.clusters.kubeconfig=" + kubeconfig);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
