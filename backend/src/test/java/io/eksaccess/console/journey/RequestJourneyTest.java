package io.eksaccess.console.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.RoleMapping;
import io.eksaccess.console.testsupport.Browser;
import io.eksaccess.console.testsupport.DexServer;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.eksaccess.console.testsupport.TestInfra;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * A request's whole life in Chromium, each person in a browser of their own signed in through
 * Dex's form: the requester files a change whose live preview first refuses an assumed-role ARN and
 * flags {@code system:masters}, then shows the exact ConfigMap diff once corrected; the approver approves
 * it through the confirmation dialog and it is applied; the API server's {@code aws-auth} holds the
 * new mapping; the auditor finds the request's events and downloads an access report that lists
 * it; a who-can question is answered in place as its fields change. Screenshots of each page.
 */
@RunsAlongside(seconds = 16)
class RequestJourneyTest extends ConsoleInChromium {

    static final String ACCOUNT = "111122223333";
    static final String ASSUMED_ROLE = "arn:aws:sts::" + ACCOUNT + ":assumed-role/JourneyDevelopers/dora";
    static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/JourneyDevelopers";
    static final String USERNAME = "journey:{{SessionName}}";
    static final String GROUP = "payments-devs";
    static final String JUSTIFICATION = "Dora deploys the payments API this sprint (ticket PAY-1234).";

    @Test
    void requesterFilesApproverApprovesTheConfigMapChangesAndTheAuditorSeesItAll() {
        Browser requester = browserFor(DexServer.REQUESTER);
        long id = fileTheRequest(requester);

        Browser approver = browserFor(DexServer.APPROVER);
        approve(approver, id);

        theConfigMapHoldsTheNewMapping();

        Browser auditor = browserFor(DexServer.AUDITOR);
        findTheEventsInTheAuditHistory(auditor, id);
        downloadAReport(auditor);
        askWhoCan(auditor);

        // The requester's own list now shows the request applied.
        requester.open(CONSOLE + "/requests?tab=MINE");
        assertThat(requester.find("#request-row-" + id).getText()).contains("demo", ROLE, "applied");
    }

    /** Step 1: the form's live preview flags the risky values, then shows the exact diff; returns the new id. */
    private long fileTheRequest(Browser requester) {
        requester.find("header nav a[href='/requests']").click();
        requester.find("#request-new").click();
        requester.await("the new-request form", d -> d.getCurrentUrl().endsWith("/requests/new"));
        JavascriptExecutor page = (JavascriptExecutor) requester.driver();
        page.executeScript("window.journeyMarker = 'same page'");

        requester.choose("#request-cluster", CLUSTER);
        requester.choose("#request-kind", "MAP_ROLE");
        requester.type("#request-arn", ASSUMED_ROLE);
        requester.type("#request-username", "dora");
        requester.type("#request-groups", "system:masters");
        // An assumed-role ARN never matches in aws-auth (AWSAUTH-005): refused as typed, naming the role ARN to use.
        requester.await("the preview to refuse the assumed-role ARN", d -> requester.has("#preview-input-problem")
                && requester.find("#preview-input-problem").getText().contains("is an assumed-role (session) ARN"));
        assertThat(requester.find("#preview-input-problem").getText()).contains("Use '" + ROLE + "'");
        requester.type("#request-arn", ROLE);
        requester.await("the preview to flag system:masters", d ->
                requester.has("#preview-findings [data-finding=AWSAUTH-002]") && requester.has("#preview-policy"));
        assertThat(requester.find("#preview-findings [data-finding=AWSAUTH-002]").getText()).contains("system:masters");
        assertThat(requester.find("#preview-policy").getText()).contains("does not allow requesting system:masters");
        assertThat(requester.find("#request-preview").getAttribute("aria-live")).isEqualTo("polite");

        requester.type("#request-arn", ROLE);
        requester.type("#request-username", USERNAME);
        requester.type("#request-groups", GROUP);
        List<String> added = List.of(
                "+- rolearn: " + ROLE,
                "+  username: " + USERNAME,
                "+  groups:",
                "+    - " + GROUP);
        requester.await("the preview's diff of the corrected mapping", d -> requester.has("#preview-diff")
                && !requester.has("#preview-policy") && !requester.has("[data-finding=AWSAUTH-005]")
                && addedLines(requester).equals(added));
        assertThat(requester.findAll("#preview-diff .del")).as("the change only adds lines").isEmpty();
        // Other journeys share this API server and may have added mappings first: the context is
        // whatever the live aws-auth ends with, so compare with it rather than with the seed.
        String mapRoles = API_SERVER.adminClient().configMaps().inNamespace("kube-system").withName("aws-auth")
                .get().getData().get("mapRoles");
        List<String> context = requester.find("#preview-diff").getText().lines()
                .filter(line -> line.startsWith(" ")).map(line -> line.substring(1)).toList();
        assertThat(requester.find("#preview-diff").getText()).as("a hunk").contains("@@ ");
        assertThat(context).as("context from the current aws-auth").isNotEmpty()
                .allSatisfy(line -> assertThat(mapRoles.lines().toList()).contains(line));
        assertThat(page.executeScript("return window.journeyMarker")).as("previewed without a page load")
                .isEqualTo("same page");

        requester.choose("#request-duration", "8");
        requester.type("#request-justification", JUSTIFICATION);
        requester.screenshot("new-request");
        requester.find("#request-submit").click();
        String url = requester.await("the new request's page", d -> d.getCurrentUrl().matches(".*/requests/\\d+$")
                ? d.getCurrentUrl() : null);
        long id = Long.parseLong(url.substring(url.lastIndexOf('/') + 1));
        assertThat(requester.find("#request-state").getAttribute("data-state")).isEqualTo("PENDING");
        assertThat(requester.find("#request-justification-text").getText()).isEqualTo(JUSTIFICATION);
        assertThat(requester.find("main").getText()).contains(ROLE, "8 hours");
        assertThat(requester.has("#review-form")).as("nobody reviews their own request").isFalse();
        return id;
    }

    private static List<String> addedLines(Browser browser) {
        return browser.findAll("#preview-diff .add").stream().map(WebElement::getText).map(String::stripTrailing)
                .filter(line -> !line.startsWith("+++")).toList();
    }

    /** Step 2: "waiting for my review", the confirmation dialog, and the request's state going to APPLIED. */
    private void approve(Browser approver, long id) {
        approver.find("header nav a[href='/requests']").click();
        assertThat(approver.find("#tab-review").getAttribute("aria-current")).isEqualTo("page");
        WebElement row = approver.find("#request-row-" + id);
        assertThat(row.getText()).contains(CLUSTER, ROLE, DexServer.REQUESTER.name());
        approver.screenshot("requests");

        approver.find("#request-row-" + id + " a").click();
        approver.await("request #" + id, d -> d.getCurrentUrl().endsWith("/requests/" + id));
        assertThat(approver.find("#request-diff").getText()).contains("+- rolearn: " + ROLE);
        approver.type("#review-comment", "Fine for the sprint.");
        approver.find("#review-approve").click();
        WebElement dialog = approver.await("the approve dialog to open", d ->
                approver.find("#approve-dialog").isDisplayed() ? approver.find("#approve-dialog") : null);
        assertThat(dialog.getAttribute("open")).isNotNull();
        assertThat(dialog.getText()).contains("+  username: " + USERNAME);
        approver.find("#review-approve-confirm").click();

        approver.await("request #" + id + " applied", d -> approver.has("#request-state[data-state=APPLIED]"));
        assertThat(approver.find("#request-state").getText()).isEqualTo("applied");
        assertThat(approver.find("#request-timeline").getText()).contains(DexServer.APPROVER.name(), "Fine for the sprint.");
        assertThat(approver.find("#request-diff").getText()).contains("+  username: " + USERNAME);
        approver.screenshot("request");
    }

    /** Step 3: the API server's aws-auth, read directly and parsed by the console's own parser. */
    private void theConfigMapHoldsTheNewMapping() {
        ConfigMap awsAuth = API_SERVER.adminClient().configMaps().inNamespace("kube-system").withName("aws-auth").get();
        AwsAuthConfig parsed = AwsAuthParser.parse(awsAuth.getData());
        RoleMapping mapping = parsed.roles().stream().filter(r -> ROLE.equals(r.roleArn())).findFirst()
                .orElseThrow(() -> new AssertionError("no mapping of " + ROLE + " in\n" + awsAuth.getData()));
        assertThat(mapping.username()).isEqualTo(USERNAME);
        assertThat(mapping.groups()).containsExactly(GROUP);
        assertThat(parsed.roles()).as("the other mappings are kept").extracting(RoleMapping::roleArn).contains(
                "arn:aws:iam::" + ACCOUNT + ":role/NodeInstanceRole", "arn:aws:iam::" + ACCOUNT + ":role/PlatformAdmins",
                "arn:aws:iam::" + ACCOUNT + ":role/BreakGlass", "arn:aws:iam::" + ACCOUNT + ":role/PaymentsDevelopers");
    }

    /** Step 4a: the request's events, filtered to the demo cluster. */
    private void findTheEventsInTheAuditHistory(Browser auditor, long id) {
        auditor.find("header nav a[href='/audit']").click();
        auditor.await("the audit page", d -> d.getCurrentUrl().endsWith("/audit"));
        auditor.type("#cluster", CLUSTER);
        auditor.find("form.filters button[type=submit]").click();
        auditor.await("the events of cluster " + CLUSTER, d -> d.getCurrentUrl().contains("cluster=" + CLUSTER));
        java.util.regex.Pattern ofThisRequest = java.util.regex.Pattern.compile("requestId=" + id + "\\b");
        for (String action : List.of("REQUEST_FILED", "REQUEST_REVIEWED", "REQUEST_APPROVED", "REQUEST_APPLIED")) {
            auditor.await(action + " of request " + id, d -> auditRows(auditor).stream()
                    .anyMatch(r -> r.contains(action) && ofThisRequest.matcher(r).find()));
        }
        assertThat(auditRows(auditor).stream().filter(t -> t.contains("REQUEST_FILED")).findFirst().orElseThrow())
                .contains(DexServer.REQUESTER.name());
        assertThat(auditRows(auditor)).anyMatch(r -> r.contains("AWS_AUTH_APPLY") && r.contains("SUCCESS"));
    }

    /** The rows' text read in one go: htmx may swap the table between two WebDriver calls. */
    @SuppressWarnings("unchecked")
    private static List<String> auditRows(Browser browser) {
        return (List<String>) ((JavascriptExecutor) browser.driver()).executeScript(
                "return Array.from(document.querySelectorAll('#audit-results tbody tr')).map(r => r.innerText);");
    }

    /** Step 4b: a report of the demo cluster, generated and downloaded as CSV; it lists the new principal. */
    private void downloadAReport(Browser auditor) {
        Path downloads = TestInfra.freshDir("journey-downloads-");
        auditor.downloadTo(downloads);
        auditor.open(CONSOLE + "/reports");
        auditor.choose("#scope", CLUSTER);
        auditor.find("form.filters button[type=submit]").click();
        // A quick generation is done before the job's page is shown (it redirects); a slower one polls and is sent on.
        String url = auditor.await("the generated report", d -> d.getCurrentUrl().matches(".*/reports/\\d+$")
                ? d.getCurrentUrl() : null);
        String reportId = url.substring(url.lastIndexOf('/') + 1);
        auditor.find("a[href$='/report.csv']").click();
        Path csv = auditor.awaitDownload(downloads, "access-report-" + reportId + ".csv");
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(lines.get(0)).isEqualTo("section,cluster,principal,username,groups,namespace,access,via,time,detail");
        assertThat(lines).as("the new principal's permission in payments")
                .anyMatch(l -> l.startsWith("\"permission\",\"demo\",\"" + ROLE + "\",\"" + USERNAME + "\",\"" + GROUP
                        + " system:authenticated\",\"payments\",\"get,list,watch,create,update,patch deployments (apps)"));
        // The first report of a run has no previous one, so its "changes since" section is empty by
        // design (AccessReportsTest covers the second report's diff); the access itself is what counts here.
    }

    /** Step 5: who-can answers in place as the question's fields change. */
    private void askWhoCan(Browser auditor) {
        auditor.open(CONSOLE + "/clusters/" + CLUSTER + "/who-can");
        JavascriptExecutor page = (JavascriptExecutor) auditor.driver();
        page.executeScript("window.journeyMarker = 'same page'");
        auditor.type("#q-verb", "create");
        auditor.type("#q-resource", "deployments");
        auditor.type("#q-apiGroup", "apps");
        auditor.type("#q-namespace", "payments");
        auditor.await("payments-devs among who can create deployments in payments", d ->
                auditor.find("#who-can-result").getText().contains(GROUP));
        auditor.screenshot("who-can");

        auditor.type("#q-namespace", "checkout");
        auditor.await("who can create deployments in checkout, without payments-devs", d ->
                d.getCurrentUrl().contains("namespace=checkout") && auditor.has("#who-can-result table")
                        && !auditor.find("#who-can-result").getText().contains(GROUP));
        assertThat(auditor.find("#who-can-result").getText()).contains("platform-team");
        assertThat(page.executeScript("return window.journeyMarker")).as("answered without a page load")
                .isEqualTo("same page");
    }
}
