package io.eksaccess.console.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.cluster.cache.AccessEntriesCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.testsupport.Browser;
import io.eksaccess.console.testsupport.ConsoleWithMotoEks;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.MotoEks;
import io.eksaccess.console.testsupport.MotoServer;
import io.eksaccess.console.testsupport.RunsAlongside;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AssociatedAccessPolicy;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;

/**
 * Issue #16's journey in Chromium on an EKS cluster of the EKS API's HTTP double (moto): the
 * requester asks for AmazonEKSViewPolicy for 2 hours through the form (only the fields that kind
 * takes, the live preview showing the entry after), another person approves it through the
 * dialog, EKS holds the association, and at the grant's end the console takes it back. People
 * sign in through the console's demo issuer (this journey is about access entries, not sign-in).
 */
@ConsoleWithMotoEks
@RunsAlongside(seconds = 11)
@ResourceLock(ConsoleWithMotoEks.LOCK)
class AccessEntryJourneyTest {

    static final MotoServer MOTO = MotoServer.get();
    static final Region REGION = Region.EU_WEST_3;
    static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    static final String CLUSTER = "journey-" + System.nanoTime();
    static final String ADMIN = "arn:aws:iam::" + ACCOUNT + ":role/Admin";
    static final String DEV = "arn:aws:iam::" + ACCOUNT + ":role/payments/Developers";
    static final String VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";

    static {
        try (EksClient eks = eks()) {
            MotoEks.createCluster(eks, CLUSTER, AuthenticationMode.API);
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn(ADMIN));
            eks.associateAccessPolicy(a -> a.clusterName(CLUSTER).principalArn(ADMIN)
                    .policyArn("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy")
                    .accessScope(s -> s.type("cluster")));
            eks.createAccessEntry(e -> e.clusterName(CLUSTER).principalArn(DEV).username("dev:{{SessionName}}"));
        }
    }

    static EksClient eks() {
        return MotoEks.client(REGION);
    }

    @LocalServerPort
    int port;

    @Autowired
    ClusterCaches caches;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    io.eksaccess.console.request.AccessRequests requests;

    private final List<Browser> browsers = new java.util.ArrayList<>();

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(Browser::close);
    }

    String console() {
        return "http://127.0.0.1:" + port;
    }

    Browser signedIn(String who) {
        Browser browser = Browser.start();
        browsers.add(browser);
        browser.open(console() + "/oauth2/authorization/demo");
        browser.type("input[name=username]", who);
        browser.type("input[name=password]", "demo");
        browser.find("form[action$='/demo-idp/login'] button, form[action$='/demo-idp/login'] [type=submit]").click();
        browser.await("signed in as " + who, d -> !d.getCurrentUrl().contains("/demo-idp/"));
        return browser;
    }

    @Test
    void requestViewForTwoHoursApproveAppliedEndedGone() {
        Eventually.await("access entries of " + CLUSTER + " synced", Duration.ofSeconds(90),
                () -> caches.accessEntries(CLUSTER).flatMap(AccessEntriesCache::entries).isPresent(), Boolean::booleanValue);

        // The requester: only the fields ASSOCIATE takes; the preview shows the entry after and what it allows.
        Browser requester = signedIn("requester");
        requester.open(console() + "/requests/new?cluster=" + CLUSTER + "&kind=ASSOCIATE_ACCESS_POLICY");
        assertThat(requester.find("#request-policy").isDisplayed()).isTrue();
        assertThat(requester.find("#request-mode").isDisplayed()).as("SET_AUTHENTICATION_MODE's field is hidden").isFalse();
        requester.type("#request-arn", DEV);
        requester.type("#request-policy", VIEW);
        requester.choose("#request-duration", "2");
        requester.type("#request-justification", "Read the payments namespaces during the incident review (INC-42).");
        // One wait for both: a later preview (each field change asks for one) may replace them meanwhile.
        requester.await("the preview of the entry after and what it allows", d -> requester.has("#preview-entry-diff")
                && requester.find("#preview-entry-diff").getText().contains("AmazonEKSViewPolicy@cluster-wide")
                && requester.find("#preview-access").getText().contains("access policy AmazonEKSViewPolicy"));
        requester.screenshot("access-entry-request-form");
        requester.find("#request-submit").click();
        requester.await("the request's page", d -> d.getCurrentUrl().matches(".*/requests/[0-9]+$"));
        long id = Long.parseLong(requester.currentUrl().replaceAll(".*/", ""));

        // Another person approves through the dialog; the console writes it to EKS and reads it back.
        Browser approver = signedIn("approver");
        approver.open(console() + "/requests/" + id);
        approver.type("#review-comment", "Read-only, two hours.");
        approver.find("#review-approve").click();
        approver.await("the approve dialog", d -> approver.find("#approve-dialog").isDisplayed());
        assertThat(approver.find("#approve-dialog").getText()).contains("AmazonEKSViewPolicy@cluster-wide");
        approver.find("#review-approve-confirm").click();
        approver.await("request #" + id + " applied", d -> approver.has("#request-state[data-state=APPLIED]"));
        approver.screenshot("access-entry-request-applied");
        assertThat(associations()).extracting(AssociatedAccessPolicy::policyArn).containsExactly(VIEW);

        // The grant's end: the grant-end job takes the association back through the same apply path.
        jdbc.sql("UPDATE access_requests SET grant_ends_at = now() - interval '1 second' WHERE id = :id")
                .param("id", id).update();
        assertThat(requests.revokeEnded()).isEqualTo(1);
        assertThat(associations()).isEmpty();
        requester.open(console() + "/requests/" + id);
        requester.await("request #" + id + " revoked", d -> requester.has("#request-state[data-state=REVOKED]"));
    }

    static List<AssociatedAccessPolicy> associations() {
        try (EksClient eks = eks()) {
            return eks.listAssociatedAccessPolicies(l -> l.clusterName(CLUSTER).principalArn(DEV)).associatedAccessPolicies();
        }
    }
}
