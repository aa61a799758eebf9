package io.eksaccess.console.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The registry row the JSON API asks for on every question (issue 19): read at most once a second,
 * yet a write through the registry is seen by the very next question. Time is a counter the test
 * moves, so nothing here depends on how fast the machine is.
 */
@ConsoleIntegrationTest
class ClusterRowReuseTest {

    static final String NAME = "row-reuse";

    @Autowired
    JdbcClient jdbc;

    @Test
    void aRowIsReadOnceASecondAndAWriteThroughTheRegistryIsSeenAtOnce() {
        AtomicLong nanos = new AtomicLong();
        ClusterRepository clusters = new ClusterRepository(jdbc, nanos::get);
        clusters.insertManual(NAME, "https://127.0.0.1:9", "none", "/nonexistent/kubeconfig");
        clusters.setEnabled(NAME, false); // no cache is started for it
        assertThat(clusters.findByNameRecent(NAME)).isPresent().map(Cluster::eksAuthenticationMode).isEmpty();

        // Another replica's write (straight SQL here): the row is not read again within the second...
        jdbc.sql("UPDATE clusters SET eks_authentication_mode = 'API' WHERE name = :name").param("name", NAME).update();
        assertThat(clusters.findByNameRecent(NAME)).as("the row read a moment ago, no query")
                .isPresent().map(Cluster::eksAuthenticationMode).isEmpty();
        // ...and is after it.
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(clusters.findByNameRecent(NAME)).map(Cluster::eksAuthenticationMode).hasValue("API");

        // This replica's writes (the access-entry applier setting the mode, an admin disabling): at once.
        clusters.setEksAuthenticationMode(NAME, "API_AND_CONFIG_MAP");
        assertThat(clusters.findByNameRecent(NAME)).map(Cluster::eksAuthenticationMode).hasValue("API_AND_CONFIG_MAP");
        assertThat(clusters.rename(NAME, NAME + "-renamed")).isTrue();
        assertThat(clusters.findByNameRecent(NAME)).as("renamed away").isEmpty();
        assertThat(clusters.findByNameRecent(NAME + "-renamed")).isPresent();
        assertThat(clusters.delete(NAME + "-renamed")).isTrue();
        assertThat(clusters.findByNameRecent(NAME + "-renamed")).as("deleted").isEmpty();
    }
}
