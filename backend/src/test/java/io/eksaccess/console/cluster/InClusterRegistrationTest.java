package io.eksaccess.console.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.TestInfra;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InClusterRegistrationTest {

    @Test
    void aPodWithAServiceHostAndAMountedTokenIsInACluster() throws IOException {
        Path token = Files.writeString(TestInfra.freshDir("sa-").resolve("token"), "eyJ...");
        assertThat(InClusterRegistration.apiServer(
                        Map.of("KUBERNETES_SERVICE_HOST", "10.100.0.1", "KUBERNETES_SERVICE_PORT", "443"), token))
                .contains("https://10.100.0.1:443");
        assertThat(InClusterRegistration.apiServer(Map.of("KUBERNETES_SERVICE_HOST", "fd00::1"), token))
                .contains("https://[fd00::1]:443");
    }

    @Test
    void withoutTheEnvironmentOrTheTokenItIsNot() {
        Path missing = Path.of("/nonexistent/token");
        assertThat(InClusterRegistration.apiServer(Map.of("KUBERNETES_SERVICE_HOST", "10.100.0.1"), missing)).isEmpty();
        assertThat(InClusterRegistration.apiServer(Map.of(), missing)).isEmpty();
    }
}
