package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.ConsoleApplication;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The source address in the audit log comes from X-Forwarded-For only when the request's socket
 * address is a configured trusted proxy; from anyone else the header is ignored.
 */
class ForwardedHeadersTest {

    @Test
    void forwardedForIsHonouredFromLoopbackByDefaultButOnlyFromTrustedHops() {
        try (ConfigurableApplicationContext console = start()) {
            // Loopback is the trusted proxy by default: it names the client.
            assertThat(signInIp(console, "admin", "203.0.113.9")).isEqualTo("203.0.113.9");
            // A client that prepends a forged hop: the trusted proxy appended the real one, which wins.
            assertThat(signInIp(console, "approver", "198.51.100.66, 203.0.113.10")).isEqualTo("203.0.113.10");

            WebSession.Page login = new WebSession().get(base(console) + "/login", Map.of("X-Forwarded-Proto", "https"));
            assertThat(login.header("Strict-Transport-Security")).as("TLS at the trusted proxy").isNotNull();
        }
    }

    @Test
    void forwardedHeadersFromAnAddressThatIsNotATrustedProxyAreIgnored() {
        try (ConfigurableApplicationContext console = start("--console.web.trusted-proxies=10.20.30.40/32,fd00::/8")) {
            assertThat(signInIp(console, "auditor", "203.0.113.9")).as("the socket address").isEqualTo("127.0.0.1");

            WebSession.Page login = new WebSession().get(base(console) + "/login", Map.of("X-Forwarded-Proto", "https"));
            assertThat(login.header("Strict-Transport-Security")).as("forged TLS is not believed").isNull();
        }
    }

    @Test
    void aTrustedProxyThatIsNotAnAddressOrTheTrustingFrameworkStrategyStopsTheStartWithTheFix() {
        assertThatThrownBy(() -> start("--console.web.trusted-proxies=proxy.internal").close())
                .rootCause()
                .hasMessageContaining("console.web.trusted-proxies has 'proxy.internal'")
                .satisfies(e -> assertThat(((StartupConfigurationException) e).fix()).contains("IP literals or CIDR blocks"));
        assertThatThrownBy(() -> start("--server.forward-headers-strategy=framework").close())
                .rootCause()
                .hasMessageContaining("believes X-Forwarded-* headers from any client");
        assertThat(ForwardedHeadersConfiguration.cidrs(List.of("127.0.0.1", " 10.0.0.0/8 ", "::1")))
                .containsExactly("127.0.0.1/32", "10.0.0.0/8", "::1/128");
        assertThatThrownBy(() -> ForwardedHeadersConfiguration.cidrs(List.of("10.0.0.0/33")))
                .hasMessageContaining("'10.0.0.0/33'");
    }

    private static String signInIp(ConfigurableApplicationContext console, String person, String forwardedFor) {
        WebSession browser = new WebSession().withHeader("X-Forwarded-For", forwardedFor);
        SignIn.viaDemoIssuer(browser, base(console), person);
        return console.getBean(JdbcClient.class)
                .sql("SELECT source_ip FROM audit_events WHERE action = 'SIGN_IN' AND actor_subject = :who ORDER BY sequence DESC")
                .param("who", person)
                .query(String.class)
                .list()
                .get(0);
    }

    private static ConfigurableApplicationContext start(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--server.port=0", "--spring.datasource.url=" + TestPostgres.newDatabase()));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(ConsoleApplication.class).run(args.toArray(String[]::new));
    }

    private static String base(ConfigurableApplicationContext console) {
        return "http://127.0.0.1:" + console.getEnvironment().getProperty("local.server.port");
    }
}
