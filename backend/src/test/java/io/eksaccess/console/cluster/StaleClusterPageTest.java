package io.eksaccess.console.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A cluster whose API server goes away is shown stale, with its data's age and the reason, then live again. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Its console is its own (no other class has this wiring) and its API server is closed after it: left
// in the context cache, the console would retry that server every second for the rest of the run.
@DirtiesContext
@RunsAlongside(seconds = 10)
class StaleClusterPageTest {

    static final KubeApiServer API_SERVER = KubeApiServer.startDedicated();

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.kubeconfig", Once.of(() -> API_SERVER.kubeconfig().toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "1s"));
    }

    @AfterAll
    static void stop() {
        API_SERVER.close();
    }

    @LocalServerPort
    int port;

    @Test
    void overviewShowsStaleDataWithItsAgeAndReasonThenRecovers() {
        WebSession browser = new WebSession();
        SignIn.viaDemoIssuer(browser, "http://localhost:" + port, "auditor");
        String overview = "http://localhost:" + port + "/clusters/test-apiserver";
        Eventually.await("live", Duration.ofSeconds(60), () -> browser.get(overview).html().select(".badge").text(),
                badge -> badge.contains("live"));

        API_SERVER.stopApiServer();
        WebSession.Page stale = Eventually.await("stale with a reason", Duration.ofSeconds(60), () -> browser.get(overview),
                page -> page.html().select(".badge").text().contains("stale")
                        && page.html().select("#cluster-status .notice").text().startsWith("Nothing answers"));
        assertThat(stale.html().select("#cluster-status time").text()).matches("data \\d+ s old");
        assertThat(stale.html().select("#cluster-status time").attr("title")).endsWith("UTC");
        assertThat(stale.html().select("#cluster-status td").eachText()).as("last known counts still shown").contains("aws-auth ConfigMap");

        API_SERVER.restartApiServer();
        Eventually.await("live again", Duration.ofSeconds(90), () -> browser.get(overview).html().select(".badge").text(),
                badge -> badge.contains("live"));
    }
}
