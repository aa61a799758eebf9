package io.eksaccess.console.apply;

import io.eksaccess.console.ConsoleApplication;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.awsauth.AwsAuthEdit.RoleEntry;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole console process that applies one change and exits: what the crash test runs with
 * {@code console.apply.halt-after-intent=true}, so the process dies mid-apply for real.
 */
public final class ApplyOnceMain {

    static final MappingChange CHANGE = new MappingChange.MapRole(new RoleEntry("arn:aws:iam::111122223333:role/ops", null,
            "ops:{{SessionName}}", List.of("operators")));

    private ApplyOnceMain() {}

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(ConsoleApplication.class, args);
        ApplyResult result = context.getBean(AwsAuthApplier.class).apply(new ApplyCommand(
                ApplyCrashRecoveryTest.CLUSTER, CHANGE, new AuditActor("user-7", "Ada Admin", "127.0.0.1"), 7L,
                "crash test", false));
        System.out.println("apply-once result=" + result.status());
        System.exit(0);
    }
}
