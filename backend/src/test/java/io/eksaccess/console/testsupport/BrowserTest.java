package io.eksaccess.console.testsupport;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BrowserTest {

    @Test
    void aMissingChromiumFailsWithTheAptCommand() {
        assertThatThrownBy(() -> Browser.requireExecutable(Path.of("/nonexistent/chromium"), "chromium"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/nonexistent/chromium is missing")
                .hasMessageContaining("apt-get install chromium chromium-driver");
    }
}
