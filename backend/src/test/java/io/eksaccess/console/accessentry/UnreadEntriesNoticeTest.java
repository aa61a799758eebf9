package io.eksaccess.console.accessentry;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.rbac.IamAnswers;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.FreePorts;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import java.time.Duration;
import java.util.Optional;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The "access entries not read" notice through the production path, no seam: an EKS cluster in API
 * mode whose EKS endpoint does not answer (a port nobody listens on), so every sync fails for real;
 * the cluster cache's ERROR state reaches the pages' {@link IamAnswers#unread} through
 * {@link CachedAccessEntriesLookup} and {@link CachedIamAnswers}, and no answer through entries is
 * given. ({@link IamAnswersPagesTest} shows how the pages print the notice.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UnreadEntriesNoticeTest {

    static final String CLUSTER = "unreachable-api";
    static final int DEAD_PORT = FreePorts.next();

    static {
        // Credentials are there: what fails is reaching EKS, not signing the request.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.eks.endpoint-override", Once.of(() -> "http://127.0.0.1:" + DEAD_PORT));
        registry.add("console.clusters.eks.access-entries-check", Once.of(() -> "1s"));
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    IamAnswers answers;

    @LocalServerPort
    int port;

    @Test
    void aFailingSyncOfAnApiModeClusterMakesTheAnswersSayTheyArePartial() {
        // As EKS discovery registers a cluster (it found it earlier; EKS has stopped answering since).
        jdbc.sql("""
                INSERT INTO clusters (name, source, api_server_url, aws_account_id, aws_region, eks_cluster_name,
                                      eks_authentication_mode, discovered_at)
                VALUES (:name, 'EKS', :url, '123456789012', 'eu-north-1', 'prod', 'API', now())
                """).param("name", CLUSTER).param("url", "https://127.0.0.1:" + DEAD_PORT).update();

        IamAnswers.Unread unread = Eventually.await("the first sync to fail", Duration.ofSeconds(60),
                () -> answers.unread(CLUSTER), found -> found.isPresent() && found.get().state().startsWith("ERROR"))
                .orElseThrow();
        assertThat(unread.mode()).isEqualTo("API");
        assertThat(unread.notice()).startsWith("Access entries of " + CLUSTER + " have not been read yet (ERROR: The EKS"
                        + " API could not be reached")
                .contains("answers below cover aws-auth and RBAC only")
                .contains("This cluster is in API mode, where EKS ignores aws-auth");
        assertThat(answers.forCluster(CLUSTER)).as("nothing read, so no answer through entries").isEqualTo(Optional.empty());

        WebSession browser = new WebSession();
        SignIn.viaDemoIssuer(browser, "http://localhost:" + port, "requester");
        Document tab = browser.get("http://localhost:" + port + "/clusters/" + CLUSTER + "/access-entries").html();
        assertThat(tab.text()).contains("The EKS API could not be reached");
    }
}
