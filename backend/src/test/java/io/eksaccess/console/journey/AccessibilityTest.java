package io.eksaccess.console.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.Browser;
import io.eksaccess.console.testsupport.DexServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * axe-core (Deque's, WCAG 2.0/2.1 A and AA plus best practices) in the same Chromium on every
 * main page, as the admin who sees them all: no serious or critical violation anywhere. All pages
 * are checked before failing, so one run lists every problem.
 */
class AccessibilityTest extends ConsoleInChromium {

    static final List<String> SIGNED_IN_PAGES = List.of(
            "/",
            "/clusters",
            "/clusters/" + CLUSTER,
            "/clusters/" + CLUSTER + "/mappings?arn=arn:aws:sts::111122223333:assumed-role/BreakGlass/alice",
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
        violations.put("/login", anonymous.blockingAccessibilityViolations());

        Browser admin = browserFor(DexServer.ADMIN);
        for (String path : SIGNED_IN_PAGES) {
            admin.open(CONSOLE + path);
            admin.find("main h1");
            violations.put(path, admin.blockingAccessibilityViolations());
        }

        violations.values().removeIf(List::isEmpty);
        assertThat(violations).as("serious or critical axe-core violations per page").isEmpty();
    }
}
