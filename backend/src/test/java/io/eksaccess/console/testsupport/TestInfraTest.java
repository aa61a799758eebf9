package io.eksaccess.console.testsupport;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TestInfraTest {

    @Test
    void missingBinaryFailsWithTheCommandThatBuildsIt() {
        Path empty = TestInfra.freshDir("no-binaries-");
        assertThatThrownBy(() -> TestInfra.binary(empty, "kube-apiserver"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Test binary 'kube-apiserver' is missing at " + empty.resolve("kube-apiserver"))
                .hasMessageContaining(".ci/testbin/build");
    }
}
