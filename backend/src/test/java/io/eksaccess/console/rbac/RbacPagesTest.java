package io.eksaccess.console.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.util.UriUtils;

/**
 * The RBAC tabs against a real API server of their own with a small known world, including a
 * ClusterRole and a user whose names are markup (both valid in Kubernetes): the bindings browser
 * and its filters, who-can (its subjects are the engine's) with "can this subject…?", the
 * subject page, and the IAM chain through aws-auth; htmx gets fragments; nothing is unescaped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@RunsAlongside(seconds = 10)
class RbacPagesTest {

    static final String HOSTILE_ROLE = "<img src=x onerror=alert(1)>";
    static final String HOSTILE_USER = "\"><script>alert('x')</script>";
    static KubeApiServer apiServer;

    static final String WORLD = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: team-a}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: pod-reader}
            rules:
            - {apiGroups: [""], resources: [pods, pods/log], verbs: [get, list]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: "%1$s"}
            rules:
            - {apiGroups: [""], resources: [secrets], verbs: [get]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: deployer, namespace: team-a}
            rules:
            - {apiGroups: [apps], resources: [deployments], verbs: [create]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: readers}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: devs}
            - {apiGroup: rbac.authorization.k8s.io, kind: User, name: "%2$s"}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: hostile}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "%1$s"}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: User, name: mallory}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: deployers, namespace: team-a}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}
            - {kind: ServiceAccount, name: ci}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: ghost, namespace: team-a}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: does-not-exist}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: User, name: bob}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: aws-auth, namespace: kube-system}
            data:
              mapRoles: |
                - rolearn: arn:aws:iam::111122223333:role/dev
                  username: alice
                  groups: [devs]
                - rolearn: arn:aws:iam::111122223333:role/hostile
                  username: "%2$s"
                  groups: [devs]
            """.formatted(HOSTILE_ROLE.replace("\"", "\\\""), HOSTILE_USER.replace("\"", "\\\""));

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.clusters.kubeconfig", Once.of(() -> kubeconfig().toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "2s"));
    }

    static synchronized Path kubeconfig() {
        if (apiServer == null) {
            apiServer = KubeApiServer.startDedicated();
            try (KubernetesClient admin = apiServer.adminClient()) {
                List<HasMetadata> objects = admin.load(new ByteArrayInputStream(WORLD.getBytes(StandardCharsets.UTF_8)))
                        .items();
                assertThat(objects).as("the world's documents").hasSize(9);
                objects.forEach(object -> admin.resource(object).create());
            }
        }
        return apiServer.kubeconfigFor("pages");
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
        Eventually.await("the world read", Duration.ofSeconds(60), () -> page("/rbac", Map.of("namespace", "team-a")),
                page -> page.selectFirst("[data-binding='RoleBinding/team-a/ghost']") != null);
    }

    String base() {
        return "http://localhost:" + port;
    }

    static String query(Map<String, String> parameters) {
        return parameters.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    WebSession.Page raw(String tab, Map<String, String> parameters, Map<String, String> headers) {
        WebSession.Page page = browser.get(base() + "/clusters/pages" + tab + "?" + query(parameters), headers);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("<script>alert", "<img src=x");
        return page;
    }

    Document page(String tab, Map<String, String> parameters) {
        return raw(tab, parameters, Map.of()).html();
    }

    @Test
    void bindingsBrowserShowsEveryBindingWithItsRoleRulesAndEscapesHostileNames() {
        Document page = page("/rbac", Map.of());
        assertThat(page.select("nav.tabs a[aria-current=page]").text()).isEqualTo("RBAC");
        assertThat(page.select("article.binding-row")).as("one page of the cluster's bindings").hasSize(RbacPages.PAGE_SIZE);
        // The test's own bindings, found past the system ones with the filters.
        Element readers = page("/rbac", Map.of("role", "pod-reader")).selectFirst("[data-binding='ClusterRoleBinding//readers']");
        assertThat(readers.select(".subjects li").eachText()).contains("group devs", "user " + HOSTILE_USER);
        assertThat(readers.select("table.rules td").eachText()).contains("get, list", "\"\"", "pods, pods/log");
        Element hostile = page("/rbac", Map.of("namespace", "-", "subject", "mallory"))
                .selectFirst("[data-binding='ClusterRoleBinding//hostile']");
        assertThat(hostile.select(".binding code").eachText()).contains(HOSTILE_ROLE);
        page = page("/rbac", Map.of("namespace", "team-a"));
        Element ghost = page.selectFirst("[data-binding='RoleBinding/team-a/ghost']");
        assertThat(ghost.select("[data-testid=missing-role]").text()).isEqualTo("role not found: grants nothing");
        Element deployers = page.selectFirst("[data-binding='RoleBinding/team-a/deployers']");
        assertThat(deployers.select(".subjects li").eachText()).contains("service account team-a:ci");
        assertThat(deployers.selectFirst("a[data-kind=ServiceAccount]").attr("href"))
                .isEqualTo("/clusters/pages/subject?serviceAccount=team-a:ci");
    }

    @Test
    void manyBindingsArePagedAndThePagerKeepsTheFilters() {
        try (KubernetesClient admin = apiServer.adminClient()) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("zz-bulk").endMetadata().build())
                    .serverSideApply();
            for (int i = 0; i < RbacPages.PAGE_SIZE + 10; i++) {
                admin.rbac().roleBindings().inNamespace("zz-bulk").resource(new RoleBindingBuilder()
                        .withNewMetadata().withName(String.format("bulk-%03d", i)).endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "pod-reader")
                        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName("bulk-user")
                        .endSubject().build()).serverSideApply();
            }
        }
        Document first = Eventually.await("the bulk bindings read", Duration.ofSeconds(60),
                () -> page("/rbac", Map.of("namespace", "zz-bulk")),
                page -> bulk(page).size() == RbacPages.PAGE_SIZE);
        assertThat(first.selectFirst("nav.pager").text()).contains("Showing 1–" + RbacPages.PAGE_SIZE + " of "
                + (RbacPages.PAGE_SIZE + 10));
        assertThat(first.selectFirst("[data-testid=page-prev]")).isNull();
        String next = first.selectFirst("[data-testid=page-next]").attr("href");
        assertThat(next).contains("namespace=zz-bulk").contains("page=2");

        Document second = browser.get(base() + next, Map.of("HX-Request", "true")).html();
        assertThat(second.selectFirst("html > head > title")).as("htmx gets only the list").isNull();
        assertThat(bulk(second)).hasSize(10).first().isEqualTo(String.format("RoleBinding/zz-bulk/bulk-%03d", RbacPages.PAGE_SIZE));
        assertThat(second.selectFirst("[data-testid=page-next]")).isNull();
        assertThat(bulk(page("/rbac", Map.of("namespace", "zz-bulk", "page", "99"))))
                .as("a page past the end shows the last").hasSize(10);
    }

    private static List<String> bulk(Document page) {
        return page.select("article[data-binding]").eachAttr("data-binding").stream()
                .filter(binding -> binding.startsWith("RoleBinding/zz-bulk/")).toList();
    }

    @Test
    void bindingFiltersAreGetParametersAndHtmxGetsOnlyTheList() {
        Document bySubject = page("/rbac", Map.of("subject", "ALICE"));
        assertThat(bySubject.select("article.binding-row").eachAttr("data-binding"))
                .containsExactly("RoleBinding/team-a/deployers");
        assertThat(bySubject.selectFirst("#binding-subject").attr("value")).isEqualTo("ALICE");
        assertThat(bySubject.selectFirst("#binding-list").attr("aria-live")).isEqualTo("polite");
        assertThat(bySubject.selectFirst("form.filters").attr("hx-push-url")).isEqualTo("true");

        Document byRole = page("/rbac", Map.of("role", "pod-reader"));
        assertThat(byRole.select("article.binding-row").eachAttr("data-binding")).containsExactly("ClusterRoleBinding//readers");

        Document clusterWide = page("/rbac", Map.of("namespace", "-", "subject", "mallory"));
        assertThat(clusterWide.select("article.binding-row").eachAttr("data-binding")).containsExactly("ClusterRoleBinding//hostile");
        Document inTeamA = page("/rbac", Map.of("namespace", "team-a"));
        assertThat(inTeamA.select("article.binding-row").eachAttr("data-binding"))
                .containsExactly("RoleBinding/team-a/deployers", "RoleBinding/team-a/ghost");

        WebSession.Page fragment = raw("/rbac", Map.of("subject", "bob"), Map.of("HX-Request", "true"));
        assertThat(fragment.body()).doesNotContain("<html", "<nav");
        assertThat(Jsoup.parse(fragment.body()).select("article.binding-row").eachAttr("data-binding"))
                .containsExactly("RoleBinding/team-a/ghost");
        assertThat(page("/rbac", Map.of("subject", "nobody-at-all")).select("#binding-list .empty").text())
                .isEqualTo("No binding matches these filters.");
    }

    @Test
    void whoCanListsTheEnginesSubjectsWithTheirBindingsInAShareableLiveForm() {
        Map<String, String> question = Map.of("verb", "get", "resource", "pods/log", "namespace", "team-a");
        Document page = page("/who-can", question);
        assertThat(page.selectFirst("#who-can-result").attr("aria-live")).isEqualTo("polite");
        assertThat(page.selectFirst("#who-can-form").attr("hx-push-url")).isEqualTo("true");
        assertThat(page.selectFirst("#q-resource").attr("value")).isEqualTo("pods/log");

        RbacIndex engine;
        try (KubernetesClient admin = apiServer.adminClient()) {
            engine = RbacIndex.build(admin.rbac().roles().inAnyNamespace().list().getItems(),
                    admin.rbac().clusterRoles().list().getItems(),
                    admin.rbac().roleBindings().inAnyNamespace().list().getItems(),
                    admin.rbac().clusterRoleBindings().list().getItems());
        }
        WhoCanAnswer expected = engine.whoCan(AccessRequest.resource("get", "", "pods", "log", "", "team-a"));
        assertThat(page.select("table.who-can tbody tr")).hasSize(expected.subjects().size());
        assertThat(page.select("table.who-can .subject").eachText()).containsExactlyElementsOf(expected.subjects().stream()
                .map(s -> switch (s.kind()) {
                    case "User" -> "user " + s.name();
                    case "Group" -> "group " + s.name();
                    default -> "service account " + s.namespace() + ":" + s.name();
                }).toList());
        Element devs = page.select("table.who-can tbody tr").stream()
                .filter(row -> row.text().startsWith("group devs")).findFirst().orElseThrow();
        assertThat(devs.selectFirst("[data-binding]").attr("data-binding")).isEqualTo("ClusterRoleBinding//readers");
        assertThat(devs.text()).contains("ClusterRole pod-reader");
        assertThat(page.select("table.who-can .subject").eachText()).contains("user " + HOSTILE_USER);

        WebSession.Page fragment = raw("/who-can", Map.of("verb", "create", "resource", "deployments", "apiGroup", "apps",
                "namespace", "team-a", "subjectKind", "ServiceAccount", "subjectName", "team-a:ci"), Map.of("HX-Request", "true"));
        Document result = Jsoup.parse(fragment.body());
        assertThat(fragment.body()).doesNotContain("<nav");
        assertThat(result.select("table.who-can .subject").eachText()).contains("user alice", "service account team-a:ci");
        assertThat(result.selectFirst("[data-testid=can-i]").text()).startsWith("Yes. allowed by RoleBinding team-a/deployers");

        // A kubectl habit: "deployments" without its group. The answer says it is the core group's, and links the
        // question meant, whose answer is the one above.
        Document coreGroup = page("/who-can", Map.of("verb", "create", "resource", "deployments", "namespace", "team-a"));
        assertThat(coreGroup.selectFirst("[data-testid=likely-group]").text())
                .contains("about deployments in the core group").contains("served by API group apps");
        String meant = coreGroup.selectFirst("[data-testid=likely-group-link]").attr("href");
        assertThat(meant).isEqualTo("/clusters/pages/who-can?verb=create&resource=deployments&apiGroup=apps"
                + "&namespace=team-a");
        assertThat(coreGroup.select("table.who-can .subject").eachText()).doesNotContain("user alice");
        assertThat(browser.get(base() + meant).html().select("table.who-can .subject").eachText()).contains("user alice");
        assertThat(page("/who-can", Map.of("verb", "create", "resource", "deployments", "apiGroup", "apps",
                "namespace", "team-a")).selectFirst("[data-testid=likely-group]")).isNull();
        assertThat(page("/who-can", Map.of("verb", "get", "resource", "pods", "namespace", "team-a"))
                .selectFirst("[data-testid=likely-group]")).as("a core resource").isNull();

        Document no = page("/who-can", Map.of("verb", "delete", "resource", "pods", "namespace", "team-a",
                "subjectKind", "User", "subjectName", "bob"));
        assertThat(no.selectFirst("[data-testid=can-i]").text()).startsWith("No. no RBAC rule allows it")
                .contains("ClusterRole does-not-exist not found");

        Document bad = page("/who-can", Map.of("verb", "get", "nonResourceURL", "/healthz", "namespace", "team-a"));
        assertThat(bad.selectFirst("[data-testid=question-problem]").text()).startsWith("A non-resource URL goes without");

        Document url = page("/who-can", Map.of("verb", "get", "nonResourceURL", "/healthz"));
        assertThat(url.select("table.who-can .subject").eachText()).contains("group system:unauthenticated");
    }

    @Test
    void subjectPageShowsEffectiveRulesPerNamespaceWithTheirBindings() {
        Document alice = page("/subject", Map.of("user", "alice"));
        assertThat(alice.selectFirst("[data-testid=subject-heading]").text()).isEqualTo("user alice");
        Element teamA = alice.selectFirst("section.scope[data-scope=team-a]");
        assertThat(teamA.selectFirst("h3").text()).isEqualTo("In namespace team-a (RoleBindings)");
        assertThat(teamA.select("td code").eachText()).contains("create resources=deployments apiGroups=apps");
        assertThat(teamA.selectFirst("[data-binding]").attr("data-binding")).isEqualTo("RoleBinding/team-a/deployers");

        Document hostile = page("/subject", Map.of("user", HOSTILE_USER));
        assertThat(hostile.selectFirst("[data-testid=subject-heading]").text()).isEqualTo("user " + HOSTILE_USER);
        assertThat(hostile.selectFirst("section.scope[data-scope=-]").text()).contains("get,list resources=pods,pods/log");

        Document bob = page("/subject", Map.of("user", "bob"));
        assertThat(bob.selectFirst("[data-testid=no-rules]").text()).isEqualTo("No RBAC rule applies to this subject.");
        Document ci = page("/subject", Map.of("serviceAccount", "team-a:ci"));
        assertThat(ci.text()).contains("Asked as user system:serviceaccount:team-a:ci with groups system:serviceaccounts,"
                + " system:serviceaccounts:team-a, system:authenticated.");
        assertThat(page("/subject", Map.of("serviceAccount", "ci")).selectFirst(".notice.error").text())
                .contains("NAMESPACE:NAME");
    }

    @Test
    void iamPageDrawsTheChainFromArnThroughAwsAuthToRules() {
        Document page = page("/access-for", Map.of("arn", "arn:aws:sts::111122223333:assumed-role/dev/alice-session"));
        assertThat(page.selectFirst("#access-for-result").attr("aria-live")).isEqualTo("polite");
        assertThat(page.select("ol.chain > li").eachAttr("data-step")).containsExactly("caller", "mapping", "identity", "rules");
        assertThat(page.selectFirst("[data-step=mapping] code").text()).isEqualTo("mapRoles[0]");
        assertThat(page.select("[data-step=identity] code").eachText()).containsExactly("alice", "devs", "system:authenticated");
        Element rules = page.selectFirst("[data-step=rules]");
        assertThat(rules.select("section.scope").eachAttr("data-scope")).containsExactly("-", "team-a");
        assertThat(rules.select("[data-binding]").eachAttr("data-binding"))
                .contains("ClusterRoleBinding//readers", "RoleBinding/team-a/deployers");

        Document unmapped = page("/access-for", Map.of("arn", "arn:aws:iam::111122223333:user/nobody"));
        assertThat(unmapped.select("ol.chain > li").eachAttr("data-step")).containsExactly("caller", "mapping");
        Document refused = page("/access-for", Map.of("arn", "not-an-arn"));
        assertThat(refused.selectFirst("[data-testid=arn-problem]").text()).startsWith("The authenticator refuses this ARN:");
        WebSession.Page fragment = raw("/access-for", Map.of("arn", "arn:aws:iam::111122223333:role/dev"),
                Map.of("HX-Request", "true"));
        assertThat(fragment.body()).doesNotContain("<nav").contains("data-step=\"rules\"");
    }

    /** A query value as the trace encodes it: everything but unreserved characters. */
    static String strict(String value) {
        return UriUtils.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void iamPageDrawsTheChainAsAnSvgWhoseNodesLinkToTheirPages() {
        Document page = page("/access-for", Map.of("arn", "arn:aws:sts::111122223333:assumed-role/dev/alice-session"));
        Element svg = page.selectFirst("[data-testid=access-trace] svg");
        assertThat(svg).as("the drawn trace").isNotNull();
        // A visual copy: hidden from assistive technology, links out of the tab order (the text chain follows).
        assertThat(svg.attr("aria-hidden")).isEqualTo("true");
        assertThat(svg.select("a").eachAttr("tabindex")).containsOnly("-1");
        Map<String, String> links = svg.select("a[data-node]").stream()
                .collect(Collectors.toMap(a -> a.attr("data-node"), a -> a.attr("href")));
        String cluster = "/clusters/pages";
        assertThat(links).containsEntry("caller", "")
                .containsEntry("mapping", cluster + "/mappings?arn=" + strict("arn:aws:sts::111122223333:assumed-role/dev/alice-session"))
                .containsEntry("user:alice", cluster + "/subject?user=alice")
                .containsEntry("group:devs", cluster + "/subject?group=devs")
                .containsEntry("group:system:authenticated", cluster + "/subject?group=" + strict("system:authenticated"))
                .containsEntry("binding:ClusterRoleBinding//readers", cluster + "/rbac?role=pod-reader")
                .containsEntry("binding:RoleBinding/team-a/deployers", cluster + "/rbac?role=deployer&namespace=team-a")
                .containsEntry("role:ClusterRole/pod-reader", cluster + "/rbac?role=pod-reader")
                .containsEntry("role:Role/team-a/deployer", cluster + "/rbac?role=deployer&namespace=team-a");
        assertThat(svg.select("path.edge").stream().map(e -> e.attr("data-from") + ">" + e.attr("data-to")).toList())
                .contains("caller>mapping", "mapping>user:alice", "mapping>group:devs", "group:devs>binding:ClusterRoleBinding//readers",
                        "user:alice>binding:RoleBinding/team-a/deployers", "binding:RoleBinding/team-a/deployers>role:Role/team-a/deployer");
        assertThat(svg.selectFirst("a[data-node=user:alice] text.kind").text()).isEqualTo("user");
        // The text version is still there for screen readers.
        assertThat(page.select("ol.chain > li").eachAttr("data-step")).containsExactly("caller", "mapping", "identity", "rules");

        // A hostile username from aws-auth is text in the SVG (raw() also checks no <script> reached the page).
        WebSession.Page hostile = raw("/access-for", Map.of("arn", "arn:aws:iam::111122223333:role/hostile"), Map.of());
        Element user = hostile.html().selectFirst("[data-testid=access-trace] a[data-node^=user:]");
        assertThat(user.selectFirst("title").text()).isEqualTo(HOSTILE_USER);
        assertThat(user.attr("href")).isEqualTo(cluster + "/subject?user=" + strict(HOSTILE_USER));
        assertThat(hostile.body()).contains("&lt;script&gt;alert");

        Document unmapped = page("/access-for", Map.of("arn", "arn:aws:iam::111122223333:user/nobody"));
        assertThat(unmapped.select("[data-testid=access-trace] a[data-node]").eachAttr("data-node")).containsExactly("caller", "unmapped");
    }
}
