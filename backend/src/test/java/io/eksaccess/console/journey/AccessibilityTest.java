package io.eksaccess.console.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.Browser;
import io.eksaccess.console.testsupport.DexServer;
import io.eksaccess.console.testsupport.LdapDirectory;
import io.eksaccess.console.testsupport.RunsAlongside;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

/**
 * axe-core (Deque's, WCAG 2.0/2.1 A and AA plus best practices) in the same Chromium on every
 * main page, as the admin who sees them all, and on the dashboard of each other role (its sections
 * differ), in the light and the dark colour scheme: no serious or
 * critical violation anywhere. All pages are checked before failing, so one run lists every problem.
 */
@RunsAlongside(seconds = 38)
class AccessibilityTest extends ConsoleInChromium {

    static final String A11Y_ROLE = "arn:aws:iam::111122223333:role/AccessibilityCheck";
    /** Stands for the page of the request this test files first (its id is known only then). */
    static final String REQUEST_PAGE = "/requests/{id}";
    static final List<String> SIGNED_IN_PAGES = List.of(
            "/",
            "/clusters",
            "/clusters/" + CLUSTER,
            "/clusters/" + CLUSTER + "/mappings?arn=arn:aws:sts::111122223333:assumed-role/BreakGlass/alice",
            "/clusters/" + UNREACHABLE,
            "/clusters/" + UNREACHABLE + "/mappings",
            "/clusters/" + CLUSTER + "/rbac",
            "/clusters/" + CLUSTER + "/access-for?arn=arn:aws:sts::111122223333:assumed-role/PaymentsDevelopers/pat",
            "/clusters/" + CLUSTER + "/who-can?verb=create&resource=deployments&apiGroup=apps&namespace=payments",
            "/clusters/" + CLUSTER + "/findings",
            "/requests",
            "/requests/new?cluster=" + CLUSTER + "&arn=" + A11Y_ROLE + "&groups=payments-devs",
            REQUEST_PAGE,
            "/audit",
            "/reports",
            "/admin",
            "/admin/clusters",
            "/admin/notifications",
            "/admin/policies",
            "/clusters/no-such-cluster");
    /** What a page fills in after loading (htmx), awaited before axe looks at it. */
    static final Map<String, String> LOADED_WHEN = Map.of(
            "/requests/new", "#preview-diff",
            "/who-can", "#who-can-result table");

    /** The section each non-admin role's dashboard must show, so axe looks at it and not at an empty page. */
    static final Map<LdapDirectory.Person, String> HOME_SECTION = Map.of(
            DexServer.REQUESTER, "#home-requests",
            DexServer.APPROVER, "#home-reviews tbody tr",
            DexServer.AUDITOR, "#home-audit");

    @Test
    void mainPagesHaveNoSeriousOrCriticalViolations() {
        Map<String, List<String>> violations = new LinkedHashMap<>();

        Browser visitor = anonymousBrowser();
        visitor.open(CONSOLE + "/login");
        visitor.find("#sign-in");
        checkLightAndDark("/login", visitor, violations);

        Browser admin = browserFor(DexServer.ADMIN);
        String requestPage = fileARequest(admin);
        List<String> pages = SIGNED_IN_PAGES.stream().map(p -> p.equals(REQUEST_PAGE) ? requestPage : p).toList();
        for (String path : pages) {
            open(admin, path);
            checkLightAndDark(path, admin, violations);
        }

        // Each other role's dashboard shows its own sections (the approver's with the request above waiting):
        // one after the other in the visitor's browser, signing out between them (Dex keeps no session of its own).
        for (LdapDirectory.Person person : List.of(DexServer.REQUESTER, DexServer.APPROVER, DexServer.AUDITOR)) {
            visitor.signInViaDex(CONSOLE, person, DexServer.PASSWORD);
            open(visitor, "/");
            assertThat(visitor.has(HOME_SECTION.get(person))).as(person.name() + "'s section").isTrue();
            checkLightAndDark("/ as " + person.name(), visitor, violations);
            visitor.signOut();
        }

        violations.values().removeIf(List::isEmpty);
        assertThat(violations).as("serious or critical axe-core violations per page").isEmpty();
    }

    /**
     * The loaded page in the light, then the dark colour scheme (the layout declares color-scheme
     * "light dark", so the dark colours must pass too). Switching the emulated scheme restyles the page
     * in place (console.css's and Pico's prefers-color-scheme rules; the switch waits out Pico's colour
     * transitions), so one load (and one injection of axe-core) serves both checks.
     */
    private static void checkLightAndDark(String path, Browser browser, Map<String, List<String>> violations) {
        check(path, browser, violations);
        Object light = pageColours(browser);
        browser.preferDarkColorScheme();
        assertThat(((JavascriptExecutor) browser.driver())
                .executeScript("return matchMedia('(prefers-color-scheme: dark)').matches")).isEqualTo(true);
        assertThat(pageColours(browser)).as(path + " restyled for the dark scheme").isNotEqualTo(light);
        record(path + " (dark)", browser.accessibilityViolations(), violations);
        browser.preferLightColorScheme();
    }

    /** The page's background and text colour as Chromium computes them now. */
    private static Object pageColours(Browser browser) {
        return ((JavascriptExecutor) browser.driver()).executeScript("return getComputedStyle(document.documentElement)"
                + ".backgroundColor + ' ' + getComputedStyle(document.body).color");
    }

    /** Files a request through the form (so its page has a diff and a timeline); returns its path. */
    private static String fileARequest(Browser admin) {
        admin.open(CONSOLE + "/requests/new?cluster=" + CLUSTER + "&arn=" + A11Y_ROLE + "&groups=payments-devs");
        admin.find("#preview-diff");
        admin.type("#request-justification", "Checks the request page's accessibility.");
        admin.find("#request-submit").click();
        return admin.await("the filed request's page", d -> d.getCurrentUrl().matches(".*/requests/\\d+$")
                ? d.getCurrentUrl().substring(CONSOLE.length()) : null);
    }

    private static void open(Browser browser, String path) {
        browser.open(CONSOLE + path);
        browser.find("main h1");
        LOADED_WHEN.forEach((part, selector) -> {
            if (path.contains(part)) {
                browser.find(selector);
            }
        });
    }

    /**
     * Keeps the blocking violations, and a table column without a header text (minor to axe, but a
     * screen reader then reads that column's cells without a name); prints the other minor and
     * moderate ones, which do not fail the test.
     */
    private static void check(String path, Browser browser, Map<String, List<String>> blocking) {
        record(path, browser.accessibilityViolations(), blocking);
    }

    private static void record(String path, List<String> all, Map<String, List<String>> blocking) {
        all.stream().filter(v -> !Browser.isBlocking(v)).forEach(v -> System.out.println("axe " + path + ": " + v));
        blocking.put(path, all.stream().filter(v -> Browser.isBlocking(v) || v.contains("empty-table-header")).toList());
    }
}
