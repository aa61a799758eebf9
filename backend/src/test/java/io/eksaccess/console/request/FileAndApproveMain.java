package io.eksaccess.console.request;

import io.eksaccess.console.ConsoleApplication;
import io.eksaccess.console.apply.MappingChange;
import io.eksaccess.console.awsauth.AwsAuthEdit.RoleEntry;
import io.eksaccess.console.identity.ConsoleRole;
import java.util.EnumSet;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole console process that files a one-hour MAP_ROLE request and has someone else approve it,
 * so the policy's automatic apply runs: what {@link GrantEndsAfterCrashTest} runs with a
 * {@code console.apply.halt-*} switch, so the process dies mid-apply for real.
 */
public final class FileAndApproveMain {

    static final String ROLE = "arn:aws:iam::111122223333:role/on-call";
    static final MappingChange CHANGE = new MappingChange.MapRole(new RoleEntry(ROLE, null, "on-call:{{SessionName}}",
            List.of("operators")));

    private FileAndApproveMain() {}

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(ConsoleApplication.class, args);
        AccessRequests requests = context.getBean(AccessRequests.class);
        Person requester = new Person("req-1", "Rae Requester", EnumSet.of(ConsoleRole.REQUESTER), List.of(), "127.0.0.1");
        Person approver = new Person("appr-1", "Abe Approver", EnumSet.of(ConsoleRole.APPROVER), List.of(), "127.0.0.1");
        AccessRequest filed = requests.file(new AccessRequests.Filing(GrantEndsAfterCrashTest.CLUSTER, CHANGE,
                "on call tonight", 1), requester);
        AccessRequest reviewed = requests.review(filed.id(), approver, Review.Decision.APPROVE, "ok for the night");
        System.out.println("file-and-approve result=" + reviewed.state());
        System.exit(0);
    }
}
