package io.eksaccess.console.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.testsupport.TestInfra;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KubeconfigClusterImporterTest {

    @Test
    void contextsGetUrlSafeNamesAndTheirClustersServer() throws IOException {
        Path file = Files.writeString(TestInfra.freshDir("kc-").resolve("config"), """
                clusters: [{name: c1, cluster: {server: "https://a.example"}}]
                contexts:
                - {name: "arn:aws:eks:eu-west-1:111122223333:cluster/prod", context: {cluster: c1}}
                - {name: "dev env", context: {cluster: c1}}
                """);
        assertThat(KubeconfigClusterImporter.contextsIn(file))
                .extracting(KubeconfigClusterImporter.KubeContext::clusterName, KubeconfigClusterImporter.KubeContext::server)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("prod", "https://a.example"),
                        org.assertj.core.groups.Tuple.tuple("dev-env", "https://a.example"));
    }

    @Test
    void aBrokenKubeconfigIsDescribedWithoutQuotingItsTokens() throws IOException {
        Path file = Files.writeString(TestInfra.freshDir("kc-").resolve("config"),
                "users:\n- name: u\n  user: {token: supersecrettoken\n");
        assertThatThrownBy(() -> KubeconfigClusterImporter.contextsIn(file))
                .satisfies(e -> assertThat(KubeconfigClusterImporter.withoutContent((Exception) e))
                        .startsWith("not valid YAML at line")
                        .doesNotContain("supersecrettoken"));
    }
}
