package io.eksaccess.console.demo;

import io.eksaccess.console.apply.MappingChange;
import io.eksaccess.console.awsauth.AwsAuthEdit.RoleEntry;
import io.eksaccess.console.identity.ConsoleRole;
import io.eksaccess.console.identity.demo.DemoPeople;
import io.eksaccess.console.request.AccessRequest;
import io.eksaccess.console.request.AccessRequests;
import io.eksaccess.console.request.Person;
import io.eksaccess.console.request.Review;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Sample access requests on the demo cluster, so the requests, history, audit and report pages have
 * something to show: one that {@code requester} filed and {@code approver} approved (applied to the
 * demo aws-auth), and one still pending. Filed through {@link AccessRequests} like a person's, only
 * when the database has no requests yet, so a restart adds nothing.
 */
@Component
class DemoRequests {

    private static final Logger log = LoggerFactory.getLogger(DemoRequests.class);

    private final ObjectProvider<DemoCluster> demo;
    private final AccessRequests requests;

    DemoRequests(ObjectProvider<DemoCluster> demo, AccessRequests requests) {
        this.demo = demo;
        this.requests = requests;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(200) // after the kubeconfig import (0) and the caches (100)
    void fileSamples() {
        if (demo.getIfAvailable() == null || !requests.recent().isEmpty()) {
            return;
        }
        try {
            Person requester = person("requester", ConsoleRole.REQUESTER);
            Person approver = person("approver", ConsoleRole.APPROVER);
            AccessRequest applied = requests.file(new AccessRequests.Filing(DemoClusterStarter.CLUSTER_NAME,
                    new MappingChange.MapRole(new RoleEntry("arn:aws:iam::111122223333:role/CheckoutDevelopers", null,
                            "checkout:{{SessionName}}", List.of("checkout-devs"))),
                    "Debugging this week's checkout release with the checkout team", 24), requester);
            AccessRequest reviewed = requests.review(applied.id(), approver, Review.Decision.APPROVE,
                    "checkout-devs only reads the checkout namespace; fine for a day");
            AccessRequest pending = requests.file(new AccessRequests.Filing(DemoClusterStarter.CLUSTER_NAME,
                    new MappingChange.MapRole(new RoleEntry("arn:aws:iam::111122223333:role/PaymentsOnCall", null,
                            "payments-oncall:{{SessionName}}", List.of("payments-devs"))),
                    "On call for payments tonight; I may need to roll back a deployment", 8), requester);
            log.info("demo sample requests filed: request={} state={}, request={} state={}", reviewed.id(),
                    reviewed.state(), pending.id(), pending.state());
        } catch (RuntimeException e) {
            log.warn("demo sample requests could not be filed ({}); the console works without them", e.toString());
        }
    }

    private static Person person(String username, ConsoleRole role) {
        DemoPeople.Person person = DemoPeople.byUsername(username).orElseThrow();
        return new Person(person.username(), person.displayName(), Set.of(role), person.groups(), null);
    }
}
