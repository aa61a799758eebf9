package io.eksaccess.console.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eksaccess.console.testsupport.FreePorts;
import io.eksaccess.console.testsupport.TestInfra;
import io.eksaccess.console.testsupport.TestProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so this checks what can be checked
 * without one: Docker Compose v2's own loader accepts it and BuildKit's parser the console's
 * Dockerfile (compose-check, a test binary), the wiring between its services agrees, and its Dex
 * configuration is accepted by the same Dex release (v2.41.1) the compose file runs.
 */
class DockerComposeTest {

    static final Path COMPOSE = Path.of("..", "docker-compose.yml").toAbsolutePath().normalize();

    @SuppressWarnings("unchecked")
    static Map<String, Object> compose() throws IOException {
        return new Yaml().load(Files.readString(COMPOSE));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> dexConfig(Map<String, Object> compose) {
        Map<String, Object> configs = (Map<String, Object>) compose.get("configs");
        String content = (String) ((Map<String, Object>) configs.get("dex-config")).get("content");
        return new Yaml().load(content.replace("$$", "$"));
    }

    @Test
    void composeLoadsItAndBuildKitParsesTheConsolesDockerfile() throws IOException {
        TestInfra.CommandResult checked = composeCheck(COMPOSE);
        assertThat(checked.exitCode()).as(checked.output()).isZero();
        JsonNode result = new ObjectMapper().readTree(checked.output());

        JsonNode services = result.path("project").path("services");
        assertThat(services.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("postgres", "ldap", "dex", "k3s", "kubeconfig", "console");
        JsonNode dependsOn = services.path("console").path("depends_on");
        assertThat(dependsOn.path("postgres").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(dependsOn.path("kubeconfig").path("condition").asText()).isEqualTo("service_completed_successfully");
        assertThat(services.path("console").path("network_mode").asText()).isEqualTo("service:dex");

        JsonNode dockerfile = result.path("dockerfiles").path("console");
        assertThat(dockerfile.path("path").asText()).endsWith("backend/Dockerfile");
        assertThat(texts(dockerfile.path("copied"))).containsExactly("pom.xml", "db", "frontend", "backend");
        assertThat(texts(dockerfile.path("ignored"))).as("build output stays out of the image's context")
                .contains("**/target", ".git");
        assertThat(texts(dockerfile.path("warnings"))).as("BuildKit's linter").isEmpty();
    }

    @Test
    void composeCheckRefusesABrokenFile() throws IOException {
        Path dir = TestInfra.freshDir("compose-broken-");
        Files.writeString(dir.resolve("docker-compose.yml"), Files.readString(COMPOSE)
                .replace("kubeconfig: {condition: service_completed_successfully}",
                        "kubeconfg: {condition: service_completed_successfully}"));
        TestInfra.CommandResult checked = composeCheck(dir.resolve("docker-compose.yml"));
        assertThat(checked.exitCode()).isNotZero();
        assertThat(checked.output()).contains("depends on undefined service \"kubeconfg\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void consoleAndDexAgreeOnIssuerClientAndCallback() throws IOException {
        Map<String, Object> compose = compose();
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        assertThat(services).containsKeys("postgres", "dex", "k3s", "console");
        Map<String, Object> console = (Map<String, Object>) services.get("console");
        Map<String, String> env = (Map<String, String>) console.get("environment");
        Map<String, Object> dex = dexConfig(compose);

        assertThat(env.get("CONSOLE_OIDC_ISSUER_URI")).isEqualTo(dex.get("issuer"));
        Map<String, Object> client = ((List<Map<String, Object>>) dex.get("staticClients")).get(0);
        assertThat(client.get("id")).isEqualTo(env.get("CONSOLE_OIDC_CLIENT_ID"));
        assertThat(client.get("secret")).isEqualTo(env.get("CONSOLE_OIDC_CLIENT_SECRET"));
        assertThat((List<String>) client.get("redirectURIs")).containsExactly("http://localhost:8080/login/oauth2/code/oidc");
        assertThat(console.get("network_mode")).as("one issuer URL for browser and console").isEqualTo("service:dex");

        // People sign in against the ldap service, bound to as the admin its image creates.
        Map<String, String> ldap =
                (Map<String, String>) ((Map<String, Object>) services.get("ldap")).get("environment");
        Map<String, Object> connector = ((List<Map<String, Object>>) dex.get("connectors")).get(0);
        Map<String, Object> ldapConfig = (Map<String, Object>) connector.get("config");
        assertThat(connector.get("type")).isEqualTo("ldap");
        assertThat(ldapConfig.get("host")).isEqualTo("ldap:389");
        assertThat(ldapConfig.get("bindDN")).isEqualTo("cn=admin,dc=example,dc=com");
        assertThat(ldap.get("LDAP_DOMAIN")).isEqualTo("example.com");
        assertThat(ldapConfig.get("bindPW")).isEqualTo(ldap.get("LDAP_ADMIN_PASSWORD"));
        assertThat(dex).as("no static passwords: they carry no groups in this Dex release")
                .doesNotContainKey("staticPasswords");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOwnerMigratesAndTheConsoleRunsAsTheAppRole() throws IOException {
        Map<String, Object> compose = compose();
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, String> postgres = (Map<String, String>) ((Map<String, Object>) services.get("postgres")).get("environment");
        Map<String, String> env = (Map<String, String>) ((Map<String, Object>) services.get("console")).get("environment");
        assertThat(env.get("SPRING_FLYWAY_USER")).isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(env.get("SPRING_FLYWAY_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
        String initSql = (String) ((Map<String, Object>) ((Map<String, Object>) compose.get("configs"))
                .get("console-app-role")).get("content");
        assertThat(initSql).contains("CREATE ROLE " + env.get("SPRING_DATASOURCE_USERNAME") + " LOGIN PASSWORD '"
                + env.get("SPRING_DATASOURCE_PASSWORD") + "' IN ROLE eks_console_app");
        assertThat(env.get("SPRING_DATASOURCE_USERNAME")).isNotEqualTo(postgres.get("POSTGRES_USER"));
    }

    private static TestInfra.CommandResult composeCheck(Path file) {
        return TestInfra.run(List.of(TestInfra.binary("compose-check").toString(), file.toString()), TestInfra.workDir());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    @Test
    void dexAcceptsTheComposeConfiguration() throws IOException {
        int port = FreePorts.next();
        String config = new Yaml().dump(dexConfig(compose()))
                .replace("http://localhost:5556/dex", "http://127.0.0.1:" + port + "/dex")
                .replace("0.0.0.0:5556", "127.0.0.1:" + port);
        Path dir = TestInfra.freshDir("compose-dex-");
        Files.writeString(dir.resolve("config.yaml"), config);
        try (TestProcess dex = TestProcess.start("compose-dex", List.of(TestInfra.binary("dex").toString(), "serve",
                dir.resolve("config.yaml").toString()), dir)) {
            dex.awaitHttp("http://127.0.0.1:" + port + "/dex/.well-known/openid-configuration", s -> s == 200,
                    Duration.ofSeconds(30));
        }
    }
}
