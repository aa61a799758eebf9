package io.eksaccess.console.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestInfra;
import io.eksaccess.console.testsupport.WebSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Admins add, rename, disable and remove clusters through the pages; each change is audited. */
@ConsoleIntegrationTest
class ClusterRegistryAdminTest {

    @LocalServerPort
    int port;

    @Autowired
    ClusterRepository clusters;

    @Autowired
    JdbcClient jdbc;

    private String console() {
        return "http://localhost:" + port;
    }

    @Test
    void adminAddsRenamesDisablesAndRemovesAClusterAndEachStepIsAudited() throws IOException {
        Path kubeconfig = TestInfra.freshDir("registry-").resolve("config");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://staging.example.invalid"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: staging-ctx, context: {cluster: c, user: u}}]
                """);
        WebSession admin = new WebSession();
        SignIn.viaDemoIssuer(admin, console(), "admin");
        WebSession.Page registry = admin.get(console() + "/admin/clusters");
        assertThat(registry.status()).isEqualTo(200);

        WebSession.Page added = admin.follow(admin.submit(registry, "form[action$=/admin/clusters]",
                Map.of("name", "staging", "kubeconfigPath", kubeconfig.toString(), "context", "staging-ctx")));
        assertThat(added.html().select("[role=status]").text()).isEqualTo("Cluster staging was added.");
        assertThat(clusters.findByName("staging").orElseThrow().apiServerUrl()).isEqualTo("https://staging.example.invalid");

        WebSession.Page renamed = admin.follow(admin.submit(added, "form[action$=/admin/clusters/staging/rename]",
                Map.of("newName", "staging-eu")));
        assertThat(renamed.html().select("[role=status]").text()).contains("is now called staging-eu");

        WebSession.Page disabled = admin.follow(admin.submit(renamed, "form[action$=/admin/clusters/staging-eu/enabled]", Map.of()));
        assertThat(clusters.findByName("staging-eu").orElseThrow().enabled()).isFalse();

        WebSession.Page confirm = admin.get(console() + "/admin/clusters/staging-eu/remove");
        assertThat(confirm.html().select("main").text()).contains("The cluster itself is not changed");
        assertThat(clusters.exists("staging-eu")).as("nothing removed before confirming").isTrue();
        admin.follow(admin.submit(confirm, "form[action$=/remove]", Map.of()));
        assertThat(clusters.exists("staging-eu")).isFalse();

        List<String> actions = jdbc.sql("""
                        SELECT action FROM audit_events WHERE cluster IN ('staging', 'staging-eu') ORDER BY sequence""")
                .query(String.class).list();
        assertThat(actions).containsExactly("CLUSTER_ADDED", "CLUSTER_RENAMED", "CLUSTER_DISABLED", "CLUSTER_REMOVED");
        assertThat(jdbc.sql("SELECT DISTINCT actor_name FROM audit_events WHERE cluster = 'staging-eu'")
                .query(String.class).list()).containsExactly("Ada Admin");
    }

    /** The controller takes an {@code ActingPerson} parameter: the audit row names who and from where. */
    @Test
    void auditRowNamesTheActingPersonAndTheirAddress() throws IOException {
        Path kubeconfig = TestInfra.freshDir("registry-actor-").resolve("config");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://actor.example.invalid"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: ctx, context: {cluster: c, user: u}}]
                """);
        WebSession admin = new WebSession();
        SignIn.viaDemoIssuer(admin, console(), "admin");
        admin.follow(admin.submit(admin.get(console() + "/admin/clusters"), "form[action$=/admin/clusters]",
                Map.of("name", "actor-check", "kubeconfigPath", kubeconfig.toString(), "context", "ctx")));
        Map<String, Object> row = jdbc.sql("""
                        SELECT actor_subject, actor_name, source_ip FROM audit_events
                        WHERE cluster = 'actor-check' AND action = 'CLUSTER_ADDED'""")
                .query().singleRow();
        assertThat(row.get("actor_name")).isEqualTo("Ada Admin");
        assertThat((String) row.get("actor_subject")).isNotBlank().doesNotStartWith("system:");
        assertThat(row.get("source_ip")).isEqualTo("127.0.0.1");
    }

    @Test
    void refusedAdditionKeepsWhatWasTypedAndSaysWhy() {
        WebSession admin = new WebSession();
        SignIn.viaDemoIssuer(admin, console(), "admin");
        WebSession.Page registry = admin.get(console() + "/admin/clusters");
        WebSession.Page refused = admin.submit(registry, "form[action$=/admin/clusters]",
                Map.of("name", "bad name!", "kubeconfigPath", "/nope", "context", "x"));
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.html().select("[role=alert].notice").text()).contains("A cluster name is 1 to 100 letters");
        assertThat(refused.html().select("#name").attr("value")).isEqualTo("bad name!");
        assertThat(refused.html().select("#kubeconfigPath").attr("value")).isEqualTo("/nope");

        WebSession.Page missingFile = admin.submit(registry, "form[action$=/admin/clusters]",
                Map.of("name", "ok-name", "kubeconfigPath", "/nope", "context", "x"));
        assertThat(missingFile.html().select("[role=alert].notice").text()).contains("cannot read /nope");
        assertThat(clusters.exists("ok-name")).isFalse();

        Path secretLooking = TestInfra.freshDir("not-kubeconfig-").resolve("shadow");
        try {
            Files.writeString(secretLooking, "root:$6$verysecrethash:19000:0:99999:7:::\n: [unbalanced");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        WebSession.Page notYaml = admin.submit(registry, "form[action$=/admin/clusters]",
                Map.of("name", "ok-name", "kubeconfigPath", secretLooking.toString(), "context", "x"));
        assertThat(notYaml.html().select("[role=alert].notice").text())
                .contains("is not a readable kubeconfig")
                .doesNotContain("verysecrethash");
    }

    /** Jakarta Validation and the registry's own refusals both land beside the field, linked for screen readers. */
    @Test
    void processAddFormHasErrorsBesideTheFields() {
        WebSession admin = new WebSession();
        SignIn.viaDemoIssuer(admin, console(), "admin");
        WebSession.Page registry = admin.get(console() + "/admin/clusters");

        WebSession.Page badName = admin.submit(registry, "form[action$=/admin/clusters]",
                Map.of("name", "bad name!", "kubeconfigPath", "/nope", "context", ""));
        assertThat(badName.status()).isEqualTo(200);
        org.jsoup.nodes.Element name = badName.html().selectFirst("#name");
        assertThat(name.attr("aria-invalid")).isEqualTo("true");
        assertThat(name.attr("aria-describedby")).isEqualTo("name-error");
        assertThat(name.nextElementSibling().id()).as("the error follows its field").isEqualTo("name-error");
        assertThat(badName.html().select("#name-error").text()).startsWith("A cluster name is 1 to 100 letters");
        assertThat(badName.html().select("#context-error").text())
                .isEqualTo("Give the kubeconfig context that reaches the cluster.");
        assertThat(badName.html().select("#kubeconfigPath").attr("aria-invalid")).as("not at fault").isEmpty();
        assertThat(badName.html().select("#kubeconfigPath-error")).isEmpty();

        WebSession.Page unreadable = admin.submit(registry, "form[action$=/admin/clusters]",
                Map.of("name", "field-errors", "kubeconfigPath", "/nope", "context", "x"));
        assertThat(unreadable.html().select("#kubeconfigPath-error").text()).contains("cannot read /nope");
        assertThat(unreadable.html().select("#kubeconfigPath").attr("aria-describedby")).isEqualTo("kubeconfigPath-error");
        assertThat(unreadable.html().select("#name-error")).isEmpty();
        assertThat(clusters.exists("field-errors")).isFalse();
    }

    @Test
    void onlyAdminsMayChangeTheRegistry() {
        WebSession auditor = new WebSession();
        String token = SignIn.viaDemoIssuer(auditor, console(), "auditor").csrfToken();
        assertThat(auditor.get(console() + "/admin/clusters").status()).isEqualTo(403);
        assertThat(auditor.post(console() + "/admin/clusters/anything/remove", Map.of("_csrf", token)).status())
                .isEqualTo(403);
    }
}
