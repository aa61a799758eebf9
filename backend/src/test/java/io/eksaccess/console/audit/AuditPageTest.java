package io.eksaccess.console.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.WebSession;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The audit page: filters, keyset pages back in time, chain verification, auditors and admins only. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuditPageTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestPostgres::newDatabase);
    }

    @LocalServerPort
    int port;

    @Autowired
    AuditLog audit;

    private String console() {
        return "http://localhost:" + port;
    }

    @Test
    void auditorFiltersPagesBackAndVerifiesTheChain() {
        AuditActor admin = new AuditActor("sub-admin", "Ada Admin", "10.1.1.1");
        for (int i = 0; i < 60; i++) {
            audit.record(admin, AuditAction.CLUSTER_DISABLED, "paging", "clusters/paging", Map.of("n", "" + i),
                    AuditOutcome.SUCCESS);
        }
        WebSession auditor = new WebSession();
        SignIn.viaDemoIssuer(auditor, console(), "auditor");

        Document first = auditor.get(console() + "/audit?cluster=paging").html();
        assertThat(first.select("tr[data-sequence]")).hasSize(AuditQuery.PAGE_SIZE);
        String older = first.selectFirst("a:contains(Older events)").attr("href");
        Document second = auditor.get(console() + older).html();
        assertThat(second.select("tr[data-sequence]")).hasSize(10);
        assertThat(second.select("a:contains(Older events)")).isEmpty();
        long newestOnSecond = Long.parseLong(second.selectFirst("tr[data-sequence]").attr("data-sequence"));
        long oldestOnFirst = Long.parseLong(first.select("tr[data-sequence]").last().attr("data-sequence"));
        assertThat(newestOnSecond).isLessThan(oldestOnFirst);

        Document signIns = auditor.get(console() + "/audit?action=SIGN_IN").html();
        assertThat(signIns.select("tr[data-sequence]").eachText()).anyMatch(row -> row.contains("Audrey Auditor"));
        assertThat(signIns.select("tr[data-sequence] td:nth-child(4)").eachText()).containsOnly("SIGN_IN");

        WebSession.Page fragment = auditor.get(console() + "/audit?actor=Ada", Map.of("HX-Request", "true"));
        assertThat(fragment.body()).startsWith("<div id=\"audit-results\"").doesNotContain("<html");

        WebSession.Page page = auditor.get(console() + "/audit");
        WebSession.Page verified = auditor.submit(page, "form[action$=/audit/verify]", Map.of());
        assertThat(verified.html().select("[role=status]").text()).startsWith("The audit history is intact");
    }

    @Test
    void requestersAndApproversCannotReadTheHistory() {
        WebSession requester = new WebSession();
        SignIn.viaDemoIssuer(requester, console(), "requester");
        assertThat(requester.get(console() + "/audit").status()).isEqualTo(403);
    }
}
