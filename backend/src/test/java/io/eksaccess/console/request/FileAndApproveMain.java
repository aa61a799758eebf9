package io.eksaccess.console.request;

import io.eksaccess.console.ConsoleApplication;
import io.eksaccess.console.apply.AccessEntryApplier;
import io.eksaccess.console.apply.AccessEntryChange;
import io.eksaccess.console.apply.Change;
import io.eksaccess.console.apply.MappingChangeJson;
import io.eksaccess.console.identity.ConsoleRole;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * A whole console process that files a time-bound request and has someone else approve it, so the
 * policy's automatic apply runs: what the crash tests ({@link GrantEndsAfterCrashTest},
 * {@link AccessEntryCrashTest}) run with a {@code console.apply.halt-*} switch, so the process dies
 * mid-apply for real. The request comes from {@link #args}; an access-entry change is filed once the
 * cluster's entries have been read (filing plans on them).
 */
public final class FileAndApproveMain {

    /** Printed when the request was filed and approved: a halted process never gets this far. */
    static final String FINISHED = "file-and-approve result=";

    private FileAndApproveMain() {}

    /**
     * The arguments that make this main file {@code change} (as the API's JSON) on {@code cluster} for {@code hours}
     * (null: not time-bound), filed by an admin when {@code byAdmin} (admin-only kinds), else by a requester.
     */
    static String[] args(String cluster, String changeJson, Integer hours, boolean byAdmin) {
        return new String[] {"--test.file-and-approve.cluster=" + cluster, "--test.file-and-approve.change=" + changeJson,
            "--test.file-and-approve.hours=" + (hours == null ? "" : hours), "--test.file-and-approve.admin=" + byAdmin};
    }

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(ConsoleApplication.class, args);
        Environment env = context.getEnvironment();
        String cluster = env.getRequiredProperty("test.file-and-approve.cluster");
        Change change = MappingChangeJson.read(env.getRequiredProperty("test.file-and-approve.change"));
        Integer hours = env.getProperty("test.file-and-approve.hours", Integer.class);
        boolean byAdmin = env.getProperty("test.file-and-approve.admin", Boolean.class, false);
        if (change instanceof AccessEntryChange entryChange) {
            awaitEntriesRead(context.getBean(AccessEntryApplier.class), cluster, entryChange);
        }
        AccessRequests requests = context.getBean(AccessRequests.class);
        Person requester = new Person("req-1", "Rae Requester",
                EnumSet.of(byAdmin ? ConsoleRole.ADMIN : ConsoleRole.REQUESTER), List.of(), "127.0.0.1");
        Person approver = new Person("appr-1", "Abe Approver", EnumSet.of(ConsoleRole.APPROVER), List.of(), "127.0.0.1");
        AccessRequest filed = requests.file(new AccessRequests.Filing(cluster, change, "on call tonight", hours), requester);
        AccessRequest reviewed = requests.review(filed.id(), approver, Review.Decision.APPROVE, "ok for the night");
        System.out.println(FINISHED + reviewed.state());
        System.exit(0);
    }

    /** Until EKS discovery has registered the cluster and its entries are synced (a plan on the cache exists). */
    private static void awaitEntriesRead(AccessEntryApplier applier, String cluster, AccessEntryChange change) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        AccessEntryApplier.CachedPlan plan = applier.planOnCache(cluster, change);
        while (plan.plan() == null) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the entries of " + cluster + " were not read: " + plan.problem());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            plan = applier.planOnCache(cluster, change);
        }
    }
}
