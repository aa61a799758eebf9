package io.eksaccess.console.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.Browser;
import io.eksaccess.console.testsupport.DexServer;
import io.eksaccess.console.testsupport.RunsAlongside;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * Each person's morning, on demo-style data made through the pages: the requester files two
 * requests, the approver approves one (applied to the demo cluster) and leaves the other waiting,
 * the auditor generates a report; then each role's dashboard and the cluster overview show it.
 * Saves README's screenshots of the four dashboards and the overview with that activity.
 */
@RunsAlongside(seconds = 15)
class HomeJourneyTest extends ConsoleInChromium {

    static final String GRANTED = "arn:aws:iam::111122223333:role/HomeJourneyCheckout";
    static final String WAITING = "arn:aws:iam::111122223333:role/HomeJourneyPayments";

    @Test
    void eachRoleFindsItsOwnWorkOnTheDashboardAndTheOverviewShowsTheActivity() {
        Browser requester = browserFor(DexServer.REQUESTER);
        long granted = file(requester, GRANTED, "checkout-devs", "Debugging this week's checkout release");
        long waiting = file(requester, WAITING, "payments-devs", "On call for payments tonight");

        Browser approver = browserFor(DexServer.APPROVER);
        approver.open(CONSOLE + "/");
        WebElement row = approver.find("#home-review-" + waiting);
        assertThat(row.getText()).contains(CLUSTER, WAITING, DexServer.REQUESTER.name());
        approve(approver, granted);
        approver.open(CONSOLE + "/");
        assertThat(approver.has("#home-review-" + granted)).as("approved, no longer waiting").isFalse();
        approver.find("#home-review-" + waiting);
        approver.screenshot("dashboard-approver");

        requester.open(CONSOLE + "/");
        assertThat(requester.find("#home-open-" + waiting).getText()).contains("pending");
        assertThat(requester.find("#home-grant-" + granted + " a.extend").getAttribute("href"))
                .contains("/requests/new?cluster=" + CLUSTER);
        assertThat(requester.find("#home-decided-" + granted).getText()).contains("applied");
        requester.screenshot("dashboard-requester");

        Browser auditor = browserFor(DexServer.AUDITOR);
        long report = generateReport(auditor);
        auditor.open(CONSOLE + "/");
        assertThat(auditor.find("#home-latest-report a").getAttribute("href")).endsWith("/reports/" + report);
        assertThat(auditor.find("#home-latest-report").getText()).contains("not attested yet");
        auditor.screenshot("dashboard-auditor");

        Browser admin = browserFor(DexServer.ADMIN);
        admin.open(CONSOLE + "/");
        admin.find("#home-clusters");
        assertThat(admin.find("#home-attention-" + UNREACHABLE).getText()).contains(UNREACHABLE);
        admin.screenshot("dashboard-admin");

        admin.open(CONSOLE + "/clusters/" + CLUSTER);
        assertThat(admin.find("main").getText()).contains(WAITING);
        admin.screenshot("cluster-overview-activity");
    }

    /** Files a request through the form (prefilled by its URL, as the extend link does); returns its id. */
    private static long file(Browser requester, String arn, String group, String justification) {
        requester.open(CONSOLE + "/requests/new?cluster=" + CLUSTER + "&arn=" + arn + "&groups=" + group);
        requester.find("#preview-diff");
        requester.choose("#request-duration", "8");
        requester.type("#request-justification", justification);
        requester.find("#request-submit").click();
        String url = requester.await("the filed request's page", d -> d.getCurrentUrl().matches(".*/requests/\\d+$")
                ? d.getCurrentUrl() : null);
        return Long.parseLong(url.substring(url.lastIndexOf('/') + 1));
    }

    private static void approve(Browser approver, long id) {
        approver.find("#home-review-" + id + " a[href='/requests/" + id + "']").click();
        approver.await("request #" + id, d -> d.getCurrentUrl().endsWith("/requests/" + id));
        approver.type("#review-comment", "Fine for a day.");
        approver.find("#review-approve").click();
        approver.await("the approve dialog to open", d -> approver.find("#approve-dialog").isDisplayed());
        approver.find("#review-approve-confirm").click();
        approver.await("request #" + id + " applied", d -> approver.has("#request-state[data-state=APPLIED]"));
    }

    /** Generates an all-clusters report from the reports page; returns its id once the job is done. */
    private static long generateReport(Browser auditor) {
        auditor.open(CONSOLE + "/reports");
        auditor.find("form.filters button").click();
        String url = auditor.await("the generated report", d -> d.getCurrentUrl().matches(".*/reports/\\d+$")
                ? d.getCurrentUrl() : null);
        return Long.parseLong(url.substring(url.lastIndexOf('/') + 1));
    }
}
