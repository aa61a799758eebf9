package io.eksaccess.console.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.Browser;
import io.eksaccess.console.testsupport.DexServer;
import io.eksaccess.console.testsupport.RunsAlongside;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * An admin's day in Chromium: signs in through Dex's login form, opens the cluster list, the demo
 * cluster and its Mappings tab, asks "who is this?" about pasted assumed-role ARNs (answered in
 * place by htmx, no page load), finds their own sign-in in the audit history, and signs out.
 * Saves a screenshot of each page on the way.
 */
@RunsAlongside(seconds = 12)
class AdminJourneyTest extends ConsoleInChromium {

    static final String BREAK_GLASS = "arn:aws:sts::111122223333:assumed-role/BreakGlass/alice";
    static final String PLATFORM_ADMIN = "arn:aws:sts::111122223333:assumed-role/PlatformAdmins/alice";

    @Test
    void adminSignsInBrowsesTheDemoClusterAsksWhoIsAndFindsTheSignInInTheAuditHistory() {
        Browser admin = anonymousBrowser();
        admin.open(CONSOLE + "/login");
        assertThat(admin.find("#sign-in").getText()).isEqualTo("Sign in with Dex");
        admin.screenshot("login");

        admin.signInViaDex(CONSOLE, DexServer.ADMIN, DexServer.PASSWORD);
        assertThat(admin.currentUrl()).isEqualTo(CONSOLE + "/");
        assertThat(admin.find("[data-testid=current-user]").getText()).isEqualTo(DexServer.ADMIN.name());
        assertThat(admin.find("nav .roles").getText()).contains("ADMIN");
        admin.screenshot("dashboard");

        openTheDemoCluster(admin);
        openTheMappingsTab(admin);
        askWhoIs(admin);
        findTheSignInInTheAuditHistory(admin);

        admin.signOut();
        assertThat(admin.find("main [role=status]").getText()).isEqualTo("You are signed out.");
        admin.open(CONSOLE + "/audit");
        admin.await("the login page for a signed-out person", d -> d.getCurrentUrl().endsWith("/login"));
    }

    private void openTheDemoCluster(Browser admin) {
        admin.find("header nav a[href='/clusters']").click();
        WebElement row = admin.find("tr[data-cluster=" + CLUSTER + "]");
        assertThat(row.getText()).contains(CLUSTER, API_SERVER.url());
        awaitLive(admin, CONSOLE + "/clusters");
        assertThat(admin.find("tr[data-cluster=" + UNREACHABLE + "]").getText()).contains("api.nowhere.invalid");
        admin.screenshot("clusters");

        admin.find("tr[data-cluster=" + CLUSTER + "] a").click();
        admin.await("the cluster overview", d -> d.getCurrentUrl().equals(CONSOLE + "/clusters/" + CLUSTER));
        assertThat(admin.find("main h1").getText()).isEqualTo(CLUSTER);
        assertThat(admin.find("nav.tabs a[aria-current=page]").getText()).isEqualTo("Overview");
        // Live again if a watch was interrupted meanwhile (seen under CI load: "stale" for a moment).
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!admin.find("#cluster-status .badge").getText().contains("live")) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the overview never said live:\n" + admin.find("main").getText());
            }
            sleep();
            admin.open(CONSOLE + "/clusters/" + CLUSTER);
        }
        admin.screenshot("cluster-overview");
    }

    private void openTheMappingsTab(Browser admin) {
        admin.find("nav.tabs a[href$='/mappings']").click();
        admin.await("the Mappings tab", d -> d.getCurrentUrl().endsWith("/clusters/" + CLUSTER + "/mappings"));
        assertThat(admin.find("nav.tabs a[aria-current=page]").getText()).isEqualTo("Mappings");
        assertThat(admin.find("tr#mapRoles-2").getText()).contains("arn:aws:iam::111122223333:role/BreakGlass",
                "system:masters");
        assertThat(admin.find("tr#mapRoles-2 details[data-finding=AWSAUTH-002] summary").getText())
                .contains("AWSAUTH-002");
    }

    /** Pasting an ARN updates the answer in place: the page is never reloaded (a marker set on it survives). */
    private void askWhoIs(Browser admin) {
        JavascriptExecutor page = (JavascriptExecutor) admin.driver();
        page.executeScript("window.journeyMarker = 'same page'");

        admin.type("#whois-arn", BREAK_GLASS);
        admin.await("the who-is answer for BreakGlass", d -> admin.has("#whois-result [data-whois=username]")
                && admin.find("#whois-result [data-whois=username]").getText().equals("breakglass"));
        assertThat(admin.find("#whois-result [data-whois=groups]").getText()).isEqualTo("system:masters");
        assertThat(admin.find("#whois-result a[href='#mapRoles-2']").getText()).isEqualTo("mapRoles[2]");

        admin.type("#whois-arn", PLATFORM_ADMIN);
        admin.await("the who-is answer for PlatformAdmins", d -> admin.has("#whois-result [data-whois=username]")
                && admin.find("#whois-result [data-whois=username]").getText().equals("platform:alice"));
        assertThat(admin.find("#whois-result [data-whois=groups]").getText()).isEqualTo("platform-team");
        assertThat(page.executeScript("return window.journeyMarker")).as("answered without a page load")
                .isEqualTo("same page");
        assertThat(admin.currentUrl()).as("the answer has a URL to share").contains("arn=arn%3Aaws%3Asts");
        admin.screenshot("mappings");
    }

    private void findTheSignInInTheAuditHistory(Browser admin) {
        admin.find("header nav a[href='/audit']").click();
        admin.await("the audit page", d -> d.getCurrentUrl().endsWith("/audit"));
        WebElement signIn = admin.findAll("#audit-results tbody tr").stream()
                .filter(row -> row.getText().contains("SIGN_IN") && row.getText().contains(DexServer.ADMIN.name()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no SIGN_IN event by " + DexServer.ADMIN.name() + " in\n"
                        + admin.find("#audit-results").getText()));
        assertThat(signIn.getText()).contains("SUCCESS", "ADMIN");
        admin.screenshot("audit");
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The cached view syncs within seconds of start-up and the unreachable cluster's reason comes
     * with its first failed attempt; the list refreshes itself only every 15 s, so reload instead.
     */
    private static void awaitLive(Browser browser, String url) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!browser.find("tr[data-cluster=" + CLUSTER + "] .badge").getText().contains("live")
                || !browser.has("tr[data-cluster=" + UNREACHABLE + "] .reason")) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("cluster " + CLUSTER + " never became live, or " + UNREACHABLE
                        + " never said why not:\n" + browser.find("main").getText());
            }
            sleep();
            browser.open(url);
        }
    }
}
