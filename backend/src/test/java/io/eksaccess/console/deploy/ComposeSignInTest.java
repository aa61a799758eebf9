package io.eksaccess.console.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.identity.demo.DemoPeople;
import io.eksaccess.console.testsupport.FreePorts;
import io.eksaccess.console.testsupport.LdapDirectory;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestInfra;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.TestProcess;
import io.eksaccess.console.testsupport.WebSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * The people docker-compose.yml gives its Dex, signed in through the real Dex binary (the release
 * the compose file runs) started with the compose file's own Dex configuration, in front of a real
 * OpenLDAP loaded with the compose file's own LDIF. Only addresses are substituted (the issuer,
 * the directory's host, the console's callback); the console gets the compose console's OIDC
 * settings and no role settings, as in compose. Each person lands with the console role of the
 * demo issuer's person of the same name.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class ComposeSignInTest {

    static final int PORT = FreePorts.next();
    static final String CONSOLE = "http://localhost:" + PORT;
    static final String PASSWORD = "demo";
    static final Map<String, Object> COMPOSE = load();
    static final Map<String, String> CONSOLE_ENV = service("console", "environment");
    static final Map<String, String> LDAP_ENV = service("ldap", "environment");
    static final LdapDirectory LDAP = startDirectory();
    static final int DEX_PORT = FreePorts.next();
    static final String ISSUER = "http://127.0.0.1:" + DEX_PORT + "/dex";
    static final TestProcess DEX = startDex();

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("server.port", Once.of(() -> PORT));
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.oidc.issuer-uri", Once.of(() -> ISSUER));
        registry.add("console.oidc.client-id", Once.of(() -> CONSOLE_ENV.get("CONSOLE_OIDC_CLIENT_ID")));
        registry.add("console.oidc.client-secret", Once.of(() -> CONSOLE_ENV.get("CONSOLE_OIDC_CLIENT_SECRET")));
        registry.add("console.oidc.display-name", Once.of(() -> CONSOLE_ENV.get("CONSOLE_OIDC_DISPLAY_NAME")));
    }

    @AfterAll
    static void stopDex() {
        DEX.close();
    }

    @Test
    void composeSetsNoRolesOfItsOwn() {
        assertThat(CONSOLE_ENV.keySet()).as("roles come from the directory's groups via the defaults")
                .noneMatch(key -> key.startsWith("CONSOLE_ROLES_"));
        assertThat(CONSOLE_ENV.get("CONSOLE_OIDC_ISSUER_URI")).isEqualTo("http://localhost:5556/dex");
    }

    @Test
    void eachComposePersonSignsInThroughDexWithTheDemoPersonsRole() {
        for (DemoPeople.Person person : DemoPeople.ALL) {
            WebSession browser = new WebSession();
            WebSession.Page dashboard = SignIn.viaDex(browser, CONSOLE, person.username(), PASSWORD);
            assertThat(dashboard.url().toString()).isEqualTo(CONSOLE + "/");
            assertThat(dashboard.html().select("[data-testid=current-user]").text()).as(person.username())
                    .isEqualTo(person.displayName());
            // Every signed-in person is also a requester (no requester groups by default).
            assertThat(dashboard.html().select("nav .roles").text().split(", ")).as(person.username())
                    .containsExactlyInAnyOrderElementsOf(new LinkedHashSet<>(List.of(person.role(), "REQUESTER")));
        }
    }

    @Test
    void theRolesAreUsableAcrossTheWorkflow() {
        WebSession auditor = new WebSession();
        SignIn.viaDex(auditor, CONSOLE, "auditor", PASSWORD);
        assertThat(auditor.get(CONSOLE + "/audit").status()).isEqualTo(200);
        assertThat(auditor.get(CONSOLE + "/admin").status()).isEqualTo(403);

        WebSession requester = new WebSession();
        SignIn.viaDex(requester, CONSOLE, "requester", PASSWORD);
        assertThat(requester.get(CONSOLE + "/requests/new").status()).isEqualTo(200);
        assertThat(requester.get(CONSOLE + "/audit").status()).isEqualTo(403);
    }

    @Test
    void aWrongPasswordStaysAtDex() {
        WebSession browser = new WebSession();
        WebSession.Page form = browser.follow(browser.get(CONSOLE + "/oauth2/authorization/oidc"));
        WebSession.Page again = browser.follow(
                browser.submit(form, "form", Map.of("login", "admin", "password", "password")));
        assertThat(again.url().toString()).startsWith(ISSUER);
    }

    private static Map<String, Object> load() {
        try {
            return DockerComposeTest.compose();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> service(String name, String key) {
        Map<String, Object> services = (Map<String, Object>) COMPOSE.get("services");
        return (Map<String, String>) ((Map<String, Object>) services.get(name)).get(key);
    }

    /** slapd with the compose file's LDIF, plus the suffix entry the image creates from LDAP_DOMAIN. */
    @SuppressWarnings("unchecked")
    private static LdapDirectory startDirectory() {
        String suffix = List.of(LDAP_ENV.get("LDAP_DOMAIN").split("\\.")).stream()
                .map(part -> "dc=" + part).collect(Collectors.joining(","));
        String people = (String) ((Map<String, Object>) ((Map<String, Object>) COMPOSE.get("configs"))
                .get("ldap-people")).get("content");
        String ldif = """
                dn: %s
                objectClass: dcObject
                objectClass: organization
                o: %s
                dc: %s

                """.formatted(suffix, LDAP_ENV.get("LDAP_ORGANISATION"), LDAP_ENV.get("LDAP_DOMAIN").split("\\.")[0])
                + people;
        return LdapDirectory.start(suffix, "cn=admin," + suffix, LDAP_ENV.get("LDAP_ADMIN_PASSWORD"), ldif);
    }

    /** The compose Dex configuration, byte for byte apart from the addresses. */
    @SuppressWarnings("unchecked")
    private static TestProcess startDex() {
        String content = (String) ((Map<String, Object>) ((Map<String, Object>) COMPOSE.get("configs"))
                .get("dex-config")).get("content");
        String config = content.replace("$$", "$")
                .replace("http://localhost:5556/dex", ISSUER)
                .replace("0.0.0.0:5556", "127.0.0.1:" + DEX_PORT)
                .replace("host: ldap:389", "host: " + LDAP.hostPort())
                .replace("http://localhost:8080/", CONSOLE + "/");
        Map<String, Object> parsed = new Yaml().load(config);
        assertThat(parsed.get("issuer")).as("issuer substituted").isEqualTo(ISSUER);
        assertThat(config).as("directory address substituted").contains("host: " + LDAP.hostPort());
        Path dir = TestInfra.freshDir("compose-dex-");
        try {
            Files.writeString(dir.resolve("config.yaml"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestProcess dex = TestProcess.start("compose-dex-" + DEX_PORT,
                List.of(TestInfra.binary("dex").toString(), "serve", dir.resolve("config.yaml").toString()), dir);
        dex.awaitHttp(ISSUER + "/.well-known/openid-configuration", status -> status == 200, Duration.ofSeconds(30));
        return dex;
    }
}
