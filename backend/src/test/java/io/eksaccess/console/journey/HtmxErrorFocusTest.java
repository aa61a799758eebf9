package io.eksaccess.console.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.Browser;
import io.eksaccess.console.testsupport.DexServer;
import io.eksaccess.console.testsupport.RunsAlongside;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

/**
 * An htmx request the server refuses puts its message in the page-level error slot and moves the
 * keyboard focus there (UI.md: focus moves sensibly after a swap), so a screen-reader or keyboard
 * user lands on what went wrong rather than staying on a control whose result never came.
 */
@RunsAlongside(seconds = 8)
class HtmxErrorFocusTest extends ConsoleInChromium {

    @Test
    void aRefusedHtmxRequestFocusesThePageErrorSlot() {
        Browser admin = browserFor(DexServer.ADMIN);
        admin.open(CONSOLE + "/audit");
        admin.find("#audit-results");
        // The audit filter's own htmx request, with a date the server cannot read (400).
        ((JavascriptExecutor) admin.driver()).executeScript(
                "htmx.ajax('GET', '/audit?from=yesterday', {target: '#audit-results', swap: 'outerHTML'})");

        admin.await("the error slot's text", d -> admin.find("#page-error").getText().contains("(400)"));
        Object focused = admin.await("the focus on the error slot", d -> {
            Object id = ((JavascriptExecutor) d).executeScript("return document.activeElement.id");
            return "page-error".equals(id) ? id : null;
        });
        assertThat(focused).isEqualTo("page-error");
        assertThat(admin.find("#page-error").getText()).startsWith("The console could not complete this (400).");
    }
}
