package io.eksaccess.console.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.Browser;
import io.eksaccess.console.testsupport.DexServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

/**
 * axe-core (Deque's, WCAG 2.0/2.1 A and AA plus best practices) in the same Chromium on every
 * main page, as the admin who sees them all, in the light and the dark colour scheme: no serious or
 * critical violation anywhere. All pages are checked before failing, so one run lists every problem.
 */
class AccessibilityTest extends ConsoleInChromium {

    static final List<String> SIGNED_IN_PAGES = List.of(
            "/",
            "/clusters",
            "/clusters/" + CLUSTER,
            "/clusters/" + CLUSTER + "/mappings?arn=arn:aws:sts::111122223333:assumed-role/BreakGlass/alice",
            "/clusters/" + UNREACHABLE,
            "/clusters/" + UNREACHABLE + "/mappings",
            "/requests",
            "/audit",
            "/reports",
            "/admin",
            "/admin/clusters",
            "/clusters/no-such-cluster");

    @Test
    void mainPagesHaveNoSeriousOrCriticalViolations() {
        Map<String, List<String>> violations = new LinkedHashMap<>();

        Browser anonymous = anonymousBrowser();
        anonymous.open(CONSOLE + "/login");
        anonymous.find("#sign-in");
        check("/login", anonymous, violations);

        Browser admin = browserFor(DexServer.ADMIN);
        for (String path : SIGNED_IN_PAGES) {
            admin.open(CONSOLE + path);
            admin.find("main h1");
            check(path, admin, violations);
        }
        // The layout declares color-scheme "light dark", so the dark colours must pass too.
        admin.preferDarkColorScheme();
        anonymous.preferDarkColorScheme();
        anonymous.open(CONSOLE + "/login");
        anonymous.find("#sign-in");
        check("/login (dark)", anonymous, violations);
        for (String path : SIGNED_IN_PAGES) {
            admin.open(CONSOLE + path);
            admin.find("main h1");
            assertThat(((JavascriptExecutor) admin.driver())
                    .executeScript("return matchMedia('(prefers-color-scheme: dark)').matches")).isEqualTo(true);
            check(path + " (dark)", admin, violations);
        }

        violations.values().removeIf(List::isEmpty);
        assertThat(violations).as("serious or critical axe-core violations per page").isEmpty();
    }

    /** Keeps the blocking violations; prints the minor and moderate ones, which do not fail the test. */
    private static void check(String path, Browser browser, Map<String, List<String>> blocking) {
        List<String> all = browser.accessibilityViolations();
        all.stream().filter(v -> !Browser.isBlocking(v)).forEach(v -> System.out.println("axe " + path + ": " + v));
        blocking.put(path, all.stream().filter(Browser::isBlocking).toList());
    }
}
