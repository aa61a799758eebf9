package io.eksaccess.console.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.eksaccess.console.identity.ConsoleWebSecurity;
import io.eksaccess.console.system.FlashMessages;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.TestPostgres;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
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
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * A console with no cluster yet, as a newcomer first sees it (a {@code @WebMvcTest} slice of the list and
 * the registry on an empty database of their own, the real templates): the empty list says what it means
 * and the next step, which is the registry's add form for an admin (no restart needed) and whom to ask
 * for anyone else. Nothing here adds a cluster, so every test sees the empty registry.
 */
@WebMvcTest(controllers = {ClustersController.class, ClusterRegistryController.class},
        includeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = {
            ".*\\.cluster\\.ClusterRegistry", ".*\\.cluster\\.ClusterRepository", ".*\\.cluster\\.ClusterClientFactory",
            ".*\\.cluster\\.cache\\.ClusterCaches", ".*\\.audit\\.AuditLog", ".*\\.audit\\.AuditChainKey"}),
        // its model attribute reads the requests, which this slice leaves out
        excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = ".*\\.ReviewsWaitingAdvice"))
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
    TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class,
    FlywayAutoConfiguration.class})
@EnableConfigurationProperties(ClusterProperties.class)
@Import({FlashMessages.class, ConsoleWebSecurity.class})
class ClustersEmptyStateWebMvcTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        String url = TestPostgres.newDatabase();
        registry.add("spring.datasource.url", Once.of(() -> url));
    }

    @Autowired
    private MockMvc mvc;

    @Test
    void showClustersEmptyTellsAnAdminToAddOneInTheRegistry() throws Exception {
        Document page = page("/clusters", user("ada").roles("ADMIN"));
        assertThat(page.select("#clusters-empty").text())
                .startsWith("No clusters yet")
                .contains("cluster registry")
                .doesNotContain("restart");
        assertThat(page.select("#clusters-empty a[href=/admin/clusters#add]").text()).isEqualTo("Add a cluster");
        assertThat(page.select("#clusters-empty").text()).doesNotContain("ask one");
        assertThat(page.select("table")).as("no empty table under the explanation").isEmpty();
    }

    @Test
    void showClustersEmptyTellsOthersWhomToAsk() throws Exception {
        Document page = page("/clusters", user("rita").roles("REQUESTER"));
        assertThat(page.select("#clusters-empty").text())
                .startsWith("No clusters yet")
                .contains("A console admin registers clusters; ask one")
                .doesNotContain("restart");
        assertThat(page.select("#clusters-empty a[href^=/admin]")).as("a link she could not follow").isEmpty();
    }

    @Test
    void showRegistryEmptyPointsAtItsOwnAddFormRatherThanARestart() throws Exception {
        Document page = page("/admin/clusters", user("ada").roles("ADMIN"));
        assertThat(page.select("#registry-empty").text()).startsWith("No clusters yet").doesNotContain("restart");
        assertThat(page.select("#registry-empty a[href=#add]").text()).isEqualTo("Add a cluster");
        assertThat(page.select("h2#add")).as("the anchor the link goes to").hasSize(1);
    }

    private Document page(String path, RequestPostProcessor who) throws Exception {
        String html = mvc.perform(get(path).with(who)).andReturn().getResponse().getContentAsString();
        return Jsoup.parse(html);
    }
}
