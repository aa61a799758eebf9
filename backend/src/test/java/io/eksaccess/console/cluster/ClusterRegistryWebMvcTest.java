package io.eksaccess.console.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import io.eksaccess.console.identity.ConsoleWebSecurity;
import io.eksaccess.console.system.FlashMessages;
import io.eksaccess.console.testsupport.Kubeconfig;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.TestPostgres;
import java.nio.file.Path;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The cluster registry's add form as a {@code @WebMvcTest} slice: the controller, its real registry and
 * repositories on a database of its own (no cluster caches, no schedulers), the console's own security
 * chain, the real templates. Field errors from Jakarta Validation and from the registry's rules land beside
 * their field with what was typed; a done add redirects with its notice; CSRF and the admin rule hold.
 */
@WebMvcTest(controllers = ClusterRegistryController.class,
        includeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = {
            ".*\\.cluster\\.ClusterRegistry", ".*\\.cluster\\.ClusterRepository", ".*\\.audit\\.AuditLog",
            ".*\\.audit\\.AuditChainKey"}),
        // its model attribute reads the requests, which this slice leaves out
        excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = ".*\\.ReviewsWaitingAdvice"))
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
    TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class,
    FlywayAutoConfiguration.class})
@Import({FlashMessages.class, ConsoleWebSecurity.class})
class ClusterRegistryWebMvcTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        String url = TestPostgres.newDatabase();
        registry.add("spring.datasource.url", Once.of(() -> url));
    }

    @Autowired
    private MockMvc mvc;

    @Autowired
    private ClusterRepository clusters;

    @Test
    void processAddHasErrorsBesideTheFieldsAndKeepsWhatWasTyped() throws Exception {
        MvcResult result = mvc.perform(post("/admin/clusters").with(user("ada").roles("ADMIN")).with(csrf())
                        .param("name", "bad name!").param("kubeconfigPath", "/etc/kube/config").param("context", " "))
                .andExpect(status().isOk())
                .andExpect(view().name(ClusterRegistryController.REGISTRY_VIEW))
                .andExpect(model().attributeHasFieldErrors("addForm", "name", "context"))
                .andReturn();
        Document page = Jsoup.parse(result.getResponse().getContentAsString());
        assertThat(page.select("#name-error").text()).startsWith("A cluster name is 1 to 100 letters");
        assertThat(page.select("#context-error").text()).isEqualTo("Give the kubeconfig context that reaches the cluster.");
        assertThat(page.select("#kubeconfigPath-error")).isEmpty();
        assertThat(page.selectFirst("#name").val()).isEqualTo("bad name!");
        assertThat(page.selectFirst("#kubeconfigPath").val()).isEqualTo("/etc/kube/config");
        assertThat(clusters.exists("bad name!")).isFalse();
    }

    @Test
    void processAddRefusedByTheRegistryShowsItBesideTheField() throws Exception {
        MvcResult result = mvc.perform(post("/admin/clusters").with(user("ada").roles("ADMIN")).with(csrf())
                        .param("name", "slice-unreadable").param("kubeconfigPath", "/nope/config").param("context", "x"))
                .andExpect(status().isOk())
                .andExpect(model().attributeHasFieldErrors("addForm", "kubeconfigPath"))
                .andReturn();
        Document page = Jsoup.parse(result.getResponse().getContentAsString());
        assertThat(page.select("#kubeconfigPath-error").text()).contains("cannot read /nope/config");
        assertThat(page.selectFirst("#name").val()).isEqualTo("slice-unreadable");
        assertThat(clusters.exists("slice-unreadable")).isFalse();
    }

    @Test
    void processAddDoneRedirectsWithItsNotice() throws Exception {
        Path kubeconfig = Kubeconfig.write(new Kubeconfig.Context("slice-ctx", "https://slice.example.invalid", "t"));
        mvc.perform(post("/admin/clusters").with(user("ada").roles("ADMIN")).with(csrf())
                        .param("name", "slice-added").param("kubeconfigPath", kubeconfig.toString())
                        .param("context", "slice-ctx"))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/admin/clusters"))
                .andExpect(flash().attribute("message", "Cluster slice-added was added."));
        assertThat(clusters.findByName("slice-added").orElseThrow().apiServerUrl())
                .isEqualTo("https://slice.example.invalid");
    }

    @Test
    void processRenameHasErrorsBesideTheRowAndKeepsWhatWasTyped() throws Exception {
        clusters.insertManual("slice-rename", "https://rename.example.invalid", "ctx", "/etc/kube/config");
        clusters.insertManual("slice-other", "https://other.example.invalid", "ctx", "/etc/kube/config");
        for (String typed : java.util.List.of("bad name!", "n".repeat(101))) {
            MvcResult result = mvc.perform(post("/admin/clusters/slice-rename/rename").with(user("ada").roles("ADMIN"))
                            .with(csrf()).param("newName", typed))
                    .andExpect(status().isOk())
                    .andExpect(view().name(ClusterRegistryController.REGISTRY_VIEW))
                    .andExpect(model().attributeHasFieldErrors("renameForm", "newName"))
                    .andReturn();
            Document page = Jsoup.parse(result.getResponse().getContentAsString());
            assertThat(page.select("#rename-slice-rename-error").text()).as(typed)
                    .startsWith("A cluster name is 1 to 100 letters");
            assertThat(page.selectFirst("#rename-slice-rename").val()).isEqualTo(typed);
            assertThat(page.selectFirst("#rename-slice-rename").attr("aria-invalid")).isEqualTo("true");
            assertThat(page.selectFirst("#rename-slice-other").val()).as("other rows as they are").isEqualTo("slice-other");
            assertThat(page.select("#rename-slice-other-error")).isEmpty();
        }
        MvcResult taken = mvc.perform(post("/admin/clusters/slice-rename/rename").with(user("ada").roles("ADMIN"))
                        .with(csrf()).param("newName", "slice-other"))
                .andExpect(status().isOk())
                .andExpect(model().attributeHasFieldErrors("renameForm", "newName"))
                .andReturn();
        assertThat(Jsoup.parse(taken.getResponse().getContentAsString()).select("#rename-slice-rename-error").text())
                .contains("slice-other");
        assertThat(clusters.exists("slice-rename")).as("nothing renamed").isTrue();
    }

    @Test
    void processRenameDoneRedirectsWithItsNotice() throws Exception {
        clusters.insertManual("slice-old", "https://old.example.invalid", "ctx", "/etc/kube/config");
        mvc.perform(post("/admin/clusters/slice-old/rename").with(user("ada").roles("ADMIN")).with(csrf())
                        .param("newName", " slice-new "))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/admin/clusters"))
                .andExpect(flash().attribute("message", org.hamcrest.Matchers.containsString("slice-new")));
        assertThat(clusters.exists("slice-new")).isTrue();
        assertThat(clusters.exists("slice-old")).isFalse();
    }

    @Test
    void processAddWithoutCsrfTokenOrAdminRoleIsRefused() throws Exception {
        Path kubeconfig = Kubeconfig.write(new Kubeconfig.Context("slice-ctx", "https://slice.example.invalid", "t"));
        mvc.perform(post("/admin/clusters").with(user("ada").roles("ADMIN"))
                        .param("name", "slice-no-csrf").param("kubeconfigPath", kubeconfig.toString())
                        .param("context", "slice-ctx"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/admin/clusters").with(user("rita").roles("REQUESTER")).with(csrf())
                        .param("name", "slice-requester").param("kubeconfigPath", kubeconfig.toString())
                        .param("context", "slice-ctx"))
                .andExpect(status().isForbidden());
        assertThat(clusters.exists("slice-no-csrf")).isFalse();
        assertThat(clusters.exists("slice-requester")).isFalse();
    }
}
