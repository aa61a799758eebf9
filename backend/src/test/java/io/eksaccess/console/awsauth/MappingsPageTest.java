package io.eksaccess.console.awsauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.HostileDocuments;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.Kubeconfig;
import io.eksaccess.console.testsupport.MotoServer;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The Mappings tab against a real API server of its own (other test classes write the shared
 * server's kube-system/aws-auth) and IAM on moto: rows, findings (AWSAUTH-008 from IAM), dropped
 * entries, who-is, raw YAML, filters, htmx fragments, and what a watch brings in, a stopped
 * API server leaves stale, and a deleted ConfigMap leaves behind.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MappingsPageTest {

    static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    static final String EXISTING_ROLE = "platform-admins-" + System.nanoTime();
    static final MotoServer MOTO = MotoServer.get();
    static KubeApiServer apiServer;

    static final String AWS_AUTH = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: aws-auth, namespace: kube-system}
            data:
              mapRoles: |
                - rolearn: arn:aws:iam::%1$s:role/%2$s
                  username: admin:{{SessionName}}
                  groups:
                    - system:masters
                - rolearn: arn:aws:iam::%1$s:role/deleted-role
                  username: ops:{{SessionName}}
                  groups: [ops]
                - username: nobody
                  groups: [viewers]
              mapUsers: |
                - userarn: arn:aws:iam::%1$s:user/alice
                  username: alice
                  groups: [developers]
            """.formatted(ACCOUNT, EXISTING_ROLE);

    static {
        // The console's IAM checks use the SDK's default credential chain; moto accepts any credentials.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try (IamClient iam = IamClient.builder().endpointOverride(MOTO.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(MOTO.credentials()).build()) {
            iam.createRole(r -> r.roleName(EXISTING_ROLE).assumeRolePolicyDocument("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                     "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"""));
        }
    }

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.kubeconfig", Once.of(() -> kubeconfig().toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "2s"));
        registry.add("console.aws.iam-checks", Once.of(() -> "on"));
        registry.add("console.aws.endpoint-override", Once.of(() -> MOTO.endpoint().toString()));
    }

    /** "mappings" on the dedicated API server as its admin; "unreachable" where nothing answers. */
    static synchronized Path kubeconfig() {
        if (apiServer == null) {
            apiServer = KubeApiServer.startDedicated();
            apiServer.apply(AWS_AUTH);
        }
        return Kubeconfig.write(apiServer.context("mappings"),
                new Kubeconfig.Context("unreachable", "https://127.0.0.1:1", KubeApiServer.ADMIN.token()));
    }

    @AfterAll
    static void stopApiServer() {
        if (apiServer != null) {
            apiServer.close();
        }
    }

    @LocalServerPort
    int port;

    WebSession browser;

    @BeforeEach
    void signIn() {
        browser = new WebSession();
        SignIn.viaDemoIssuer(browser, base(), "requester");
        Eventually.await("the mappings read", Duration.ofSeconds(60), () -> page(""),
                page -> page.selectFirst("tr#mapRoles-0") != null);
    }

    @Test
    @Order(1)
    void showMappingsListsEachKeptEntryWithItsFindings() {
        Document page = page("");
        assertThat(page.select("table.mappings tbody tr").eachAttr("id"))
                .containsExactly("mapRoles-0", "mapRoles-1", "mapUsers-0");

        Element admins = page.selectFirst("tr#mapRoles-0");
        assertThat(admins.select("td").get(0).text()).isEqualTo("role");
        assertThat(admins.text()).contains("arn:aws:iam::" + ACCOUNT + ":role/" + EXISTING_ROLE,
                "admin:{{SessionName}}", "system:masters", "mapRoles[0]", "lines 1–4");
        Element masters = admins.selectFirst("details[data-finding=AWSAUTH-002]");
        assertThat(masters.selectFirst("summary").text()).isEqualTo("▲ high AWSAUTH-002");
        assertThat(masters.selectFirst("summary").attr("title")).contains("system:masters");
        assertThat(admins.select("details[data-finding]").eachAttr("data-finding"))
                .as("the role exists in IAM").doesNotContain("AWSAUTH-008");

        assertThat(page.selectFirst("tr#mapRoles-1").select("details[data-finding]").eachAttr("data-finding"))
                .as("IAM says the role does not exist").contains("AWSAUTH-008");
        assertThat(page.selectFirst("tr#mapUsers-0").select("details[data-finding]").eachAttr("data-finding"))
                .contains("AWSAUTH-003");
        assertThat(page.selectFirst("tr#mapRoles-0 a[href]").attr("href")).isEqualTo("#yaml-mapRoles-L1");
    }

    @Test
    @Order(1)
    void eachRowOffersARequestPrefilledForItsMapping() {
        Document page = page("");
        Element change = page.selectFirst("tr#mapRoles-1 a.request-change");
        Document form = browser.get(base() + change.attr("href")).html();
        assertThat(form.selectFirst("#request-cluster option[selected]").attr("value")).isEqualTo("mappings");
        assertThat(form.selectFirst("#request-kind option[selected]").attr("value")).isEqualTo("MAP_ROLE");
        assertThat(form.selectFirst("#request-arn").attr("value")).isEqualTo("arn:aws:iam::" + ACCOUNT + ":role/deleted-role");
        assertThat(form.selectFirst("#request-username").attr("value")).isEqualTo("ops:{{SessionName}}");
        assertThat(form.selectFirst("#request-groups").attr("value")).isEqualTo("ops");

        Element removal = page.selectFirst("tr#mapUsers-0 a.request-removal");
        Document removalForm = browser.get(base() + removal.attr("href")).html();
        assertThat(removalForm.selectFirst("#request-kind option[selected]").attr("value")).isEqualTo("UNMAP_USER");
        assertThat(removalForm.selectFirst("#request-arn").attr("value")).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/alice");
    }

    @Test
    @Order(2)
    void showMappingsListsTheDroppedEntryAsAnError() {
        Element error = page("").selectFirst("table.errors tr[data-section=mapRoles][data-index=2]");
        assertThat(error).isNotNull();
        assertThat(error.text()).contains("mapRoles[2]", "lines 8–9", "dropped", "rolearn");
        assertThat(error.selectFirst("details[data-finding=AWSAUTH-001] summary").text()).isEqualTo("✖ critical AWSAUTH-001");
    }

    @Test
    @Order(3)
    void showMappingsShowsTheRawYamlWithLineAnchors() {
        Document page = page("");
        Element roles = page.selectFirst("table.yaml[data-key=mapRoles]");
        assertThat(roles.select("tr").eachAttr("id")).containsExactly(
                "yaml-mapRoles-L1", "yaml-mapRoles-L2", "yaml-mapRoles-L3", "yaml-mapRoles-L4", "yaml-mapRoles-L5",
                "yaml-mapRoles-L6", "yaml-mapRoles-L7", "yaml-mapRoles-L8", "yaml-mapRoles-L9");
        assertThat(roles.selectFirst("tr#yaml-mapRoles-L4 th").text()).isEqualTo("4");
        assertThat(roles.selectFirst("tr#yaml-mapRoles-L4 td code").wholeText()).isEqualTo("    - system:masters");
        assertThat(roles.select("tr.dropped").eachAttr("id")).containsExactly("yaml-mapRoles-L8", "yaml-mapRoles-L9");
        assertThat(page.select("table.yaml").eachAttr("data-key")).containsExactly("mapRoles", "mapUsers");
        assertThat(page.select("[style]")).as("the CSP forbids inline styles").isEmpty();
    }

    @Test
    @Order(4)
    void whoIsResolvesAnAssumedRoleToItsUsernameAndGroups() {
        String arn = "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + EXISTING_ROLE + "/alice@example.com";
        Document page = page("?arn=" + encode(arn));
        Element answer = page.selectFirst("#whois-result [data-whois=mapped]");
        assertThat(answer.selectFirst("[data-whois=username]").text()).isEqualTo("admin:alice-example.com");
        assertThat(answer.select("[data-whois=groups] li").eachText()).containsExactly("system:masters");
        assertThat(answer.selectFirst("a[href=#mapRoles-0]")).isNotNull();
        assertThat(page.selectFirst("#whois-arn").val()).isEqualTo(arn);
        assertThat(page.selectFirst("#whois-result").attr("aria-live")).isEqualTo("polite");

        assertThat(page("?arn=" + encode("arn:aws:iam::" + ACCOUNT + ":user/alice"))
                .selectFirst("[data-whois=username]").text()).isEqualTo("alice");
        assertThat(page("?arn=" + encode("arn:aws:sts::" + ACCOUNT + ":assumed-role/someone-else/bob"))
                .selectFirst("#whois-result [data-whois=not-mapped]")).isNotNull();
        assertThat(page("?arn=hello").selectFirst("#whois-result [data-whois=refused]").text()).contains("invalid prefix");
    }

    @Test
    @Order(5)
    void whoIsOverHtmxGetsOnlyTheAnswerAndKeepsTheFilterFormInStep() {
        String arn = "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + EXISTING_ROLE + "/carol";
        WebSession.Page fragment = browser.get(url("?q=ops&arn=" + encode(arn)),
                Map.of("HX-Request", "true", "HX-Target", "whois-result"));
        assertThat(fragment.status()).isEqualTo(200);
        assertThat(fragment.body()).doesNotContain("<html").doesNotContain("<table");
        Document html = Jsoup.parseBodyFragment(fragment.body());
        assertThat(html.selectFirst("[data-whois=username]").text()).isEqualTo("admin:carol");
        Element keep = html.selectFirst("input#filter-arn");
        assertThat(keep.attr("hx-swap-oob")).isEqualTo("true");
        assertThat(keep.val()).isEqualTo(arn);
    }

    @Test
    @Order(6)
    void filterNarrowsTheRowsWithAndWithoutHtmx() {
        assertThat(page("?q=SYSTEM:MASTERS").select("table.mappings tbody tr").eachAttr("id")).containsExactly("mapRoles-0");
        assertThat(page("?q=AWSAUTH-003").select("table.mappings tbody tr").eachAttr("id")).containsExactly("mapUsers-0");
        assertThat(page("?kind=USER").select("table.mappings tbody tr").eachAttr("id")).containsExactly("mapUsers-0");
        Document none = page("?q=nothing-like-this");
        assertThat(none.select("table.mappings tbody tr[id]")).isEmpty();
        assertThat(none.selectFirst("table.mappings tbody").text()).isEqualTo("No mapping matches these filters.");

        WebSession.Page fragment = browser.get(url("?q=ops&kind=ROLE"),
                Map.of("HX-Request", "true", "HX-Target", "mapping-list"));
        assertThat(fragment.body().strip()).doesNotContain("<html").startsWith("<div class=\"overflow-auto\">");
        Document html = Jsoup.parseBodyFragment(fragment.body());
        assertThat(html.select("table.mappings tbody tr").eachAttr("id")).containsExactly("mapRoles-1");
        assertThat(html.selectFirst("caption").text()).isEqualTo("1 of 3 mappings");
        assertThat(html.selectFirst("input#whois-q").val()).isEqualTo("ops");
        assertThat(html.selectFirst("input#whois-kind").val()).isEqualTo("ROLE");
    }

    @Test
    @Order(7)
    void overviewLinksToTheMappingsTabAndUnknownClustersAre404() {
        Document overview = browser.get(base() + "/clusters/mappings").html();
        assertThat(overview.selectFirst("nav.tabs a[href=/clusters/mappings/mappings]").text()).isEqualTo("Mappings");
        assertThat(page("").selectFirst("nav.tabs a[aria-current=page]").text()).isEqualTo("Mappings");
        assertThat(browser.get(base() + "/clusters/nope/mappings").status()).isEqualTo(404);
    }

    @Test
    @Order(8)
    void aClusterNeverReadSaysSoWithTheReason() {
        Document page = browser.get(base() + "/clusters/unreachable/mappings").html();
        assertThat(page.selectFirst("main h2").text()).isEqualTo("Not read yet");
        assertThat(page.selectFirst("table.mappings")).isNull();
        assertThat(page.selectFirst("#whois-form")).isNull();
    }

    @Test
    @Order(9)
    void changesArriveByWatchAStoppedServerLeavesStaleDataAndADeletedConfigMapIsExplained() {
        apiServer.apply(AWS_AUTH.replace("  mapUsers: |\n",
                "    - rolearn: arn:aws:iam::" + ACCOUNT + ":role/nodes\n"
                        + "      username: system:node:{{EC2PrivateDNSName}}\n"
                        + "      groups: [system:bootstrappers, system:nodes]\n"
                        + "  mapUsers: |\n"));
        Document changed = Eventually.await("the new mapping", Duration.ofSeconds(30), () -> page(""),
                page -> page.selectFirst("tr#mapRoles-3") != null);
        assertThat(changed.selectFirst("tr#mapRoles-3").text()).contains("system:node:{{EC2PrivateDNSName}}");

        apiServer.stopApiServer();
        try {
            Document stale = Eventually.await("stale", Duration.ofSeconds(60), () -> page(""),
                    page -> page.selectFirst("p.notice.stale") != null);
            assertThat(stale.selectFirst("p.notice.stale").text()).startsWith("Stale:");
            assertThat(stale.selectFirst("tr#mapRoles-3")).as("the last known mappings stay").isNotNull();
            assertThat(stale.select("time").text()).contains("old");
        } finally {
            apiServer.restartApiServer();
        }
        Eventually.await("live again", Duration.ofSeconds(90), () -> page(""),
                page -> page.selectFirst("p.notice.stale") == null);

        try (KubernetesClient admin = apiServer.adminClient()) {
            admin.configMaps().inNamespace("kube-system").withName("aws-auth").delete();
        }
        Document gone = Eventually.await("no aws-auth", Duration.ofSeconds(30), () -> page(""),
                page -> page.selectFirst("table.mappings") == null);
        assertThat(gone.selectFirst("main h2").text()).isEqualTo("No aws-auth ConfigMap");
        assertThat(gone.text()).contains("only the IAM principal that created the cluster");
        apiServer.apply(AWS_AUTH);
    }

    /**
     * Issue #14: an aws-auth nested 3,960 deep through aliases overflowed the stack, and the
     * Mappings, Findings and IAM access pages answered 500. Now each says it cannot read it.
     */
    @Test
    @Order(10)
    void anAwsAuthBeyondTheReadersLimitsIsExplainedOnEveryPageThatReadsIt() {
        apiServer.apply(HostileDocuments.configMapYaml("mapRoles", HostileDocuments.deepAliasChain()));
        try {
            Document mappings = Eventually.await("the hostile aws-auth read", Duration.ofSeconds(60), () -> page(""),
                    page -> page.selectFirst("[data-testid=aws-auth-unreadable]") != null);
            assertThat(mappings.selectFirst("[data-testid=aws-auth-unreadable]").text())
                    .startsWith("aws-auth could not be read: mapRoles: line 1: nested deeper than 1000 levels");
            assertThat(mappings.selectFirst("table.mappings")).isNull();
            assertThat(mappings.text()).doesNotContain("No aws-auth ConfigMap");

            WebSession.Page findings = browser.get(base() + "/clusters/mappings/findings");
            assertThat(findings.status()).isEqualTo(200);
            assertThat(findings.html().select("ul.not-checked li").eachText())
                    .anyMatch(note -> note.startsWith("AWSAUTH-*: aws-auth could not be read: mapRoles: "));

            WebSession.Page accessFor = browser.get(base() + "/clusters/mappings/access-for?arn="
                    + encode("arn:aws:iam::" + ACCOUNT + ":role/" + EXISTING_ROLE));
            assertThat(accessFor.status()).isEqualTo(200);
            assertThat(accessFor.html().selectFirst("[data-testid=aws-auth-unreadable]").text())
                    .startsWith("aws-auth could not be read: mapRoles: ");
        } finally {
            apiServer.apply(AWS_AUTH);
        }
    }

    private Document page(String query) {
        WebSession.Page page = browser.get(url(query));
        assertThat(page.status()).isEqualTo(200);
        return page.html();
    }

    private String url(String query) {
        return base() + "/clusters/mappings/mappings" + query;
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
