package io.eksaccess.console.system.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestInfra;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code --demo-cluster}: a real local API server, seeded, registered as "demo", live. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "console.demo-cluster=true")
class DemoClusterTest {

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        TestInfra.binary("kube-apiserver"); // fails loudly, with the build command, when not built
        registry.add("spring.datasource.url", TestPostgres::newDatabase);
        registry.add("console.data-dir", () -> TestInfra.freshDir("demo-data-").toString());
        registry.add("console.clusters.reconcile-interval", () -> "1s");
    }

    @LocalServerPort
    int port;

    @Test
    void demoClusterIsLiveWithItsSeededFindings() {
        WebSession browser = new WebSession();
        SignIn.viaDemoIssuer(browser, "http://localhost:" + port, "admin");
        Eventually.await("demo cluster live", Duration.ofSeconds(90),
                () -> browser.get("http://localhost:" + port + "/clusters").html().select("tr[data-cluster=demo]").text(),
                row -> row.contains("live"));
        WebSession.Page mappings = browser.get("http://localhost:" + port + "/clusters/demo/mappings");
        assertThat(mappings.status()).isEqualTo(200);
        assertThat(mappings.body()).contains("AWSAUTH-002").contains("AWSAUTH-009").contains("BreakGlass");
    }
}
