package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.ConsoleApplication;
import io.eksaccess.console.testsupport.FreePorts;
import io.eksaccess.console.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Bad configuration stops start-up with a short "what is wrong / how to fix it", not a stack trace. */
@ExtendWith(OutputCaptureExtension.class)
@Isolated
class StartupFailureTest {

    @Test
    void unreachableDatabaseIsExplainedInOneLine(CapturedOutput output) {
        String url = "jdbc:postgresql://127.0.0.1:" + FreePorts.next() + "/console";
        assertThatThrownBy(() -> start("--spring.datasource.url=" + url, "--spring.datasource.hikari.connection-timeout=2000"))
                .isNotNull();
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("Cannot connect to PostgreSQL at " + url + ": ")
                .contains("Check spring.datasource.url")
                .doesNotContain("\tat org.postgresql");
    }

    @Test
    void aPasswordInTheDatabaseUrlIsNotPrinted(CapturedOutput output) {
        String url = "jdbc:postgresql://127.0.0.1:" + FreePorts.next() + "/console?user=console&password=hunter2";
        assertThatThrownBy(() -> start("--spring.datasource.url=" + url, "--spring.datasource.hikari.connection-timeout=2000"))
                .isNotNull();
        assertThat(output.getOut() + output.getErr())
                .contains("Cannot connect to PostgreSQL at")
                .contains("password=***")
                .doesNotContain("hunter2");
    }

    @Test
    void unreachableIssuerIsExplainedInOneLine(CapturedOutput output) {
        String issuer = "http://127.0.0.1:" + FreePorts.next() + "/dex";
        assertThatThrownBy(() -> start(
                        "--spring.datasource.url=" + TestPostgres.newDatabase(),
                        "--console.oidc.issuer-uri=" + issuer,
                        "--console.oidc.client-id=console"))
                .isNotNull();
        assertThat(output.getOut() + output.getErr())
                .contains("The OIDC issuer " + issuer + " did not answer with a matching OpenID configuration")
                .contains("Check console.oidc.issuer-uri")
                .doesNotContain("\tat org.springframework.security.oauth2.client.registration.ClientRegistrations");
    }

    @Test
    void issuerWithoutClientIdIsExplained(CapturedOutput output) {
        assertThatThrownBy(() -> start(
                        "--spring.datasource.url=" + TestPostgres.newDatabase(),
                        "--console.oidc.issuer-uri=http://127.0.0.1:1/dex"))
                .isNotNull();
        assertThat(output.getOut() + output.getErr())
                .contains("console.oidc.issuer-uri is set but console.oidc.client-id is not.");
    }

    private static void start(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--server.port=0";
        System.arraycopy(args, 0, all, 1, args.length);
        new SpringApplicationBuilder(ConsoleApplication.class).run(all).close();
    }
}
