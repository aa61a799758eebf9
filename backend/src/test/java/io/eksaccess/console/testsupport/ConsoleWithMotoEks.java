package io.eksaccess.console.testsupport;

import io.eksaccess.console.cluster.EksDiscoveryNow;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A {@link ConsoleIntegrationTest} that discovers and reads the EKS clusters of the moto double
 * ({@link MotoEks}) in the regions its classes use: one console for every class carrying it, instead
 * of one each. Each class makes clusters and principals of its own names in its static initializer
 * (a region of its own where it asserts on what discovery finds); before its first test the class is
 * initialized and the console runs discovery, so it finds them.
 *
 * <p>Intervals are short where a test waits for a job (apply recovery, the drift scan, a mode
 * change's poll, notification delivery) and long where tests ask for the run themselves (the
 * access-entry refresh, the grant-end job).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ConsoleIntegrationTest(properties = {
        "console.clusters.eks.regions=eu-north-1,eu-central-1,ap-southeast-2,sa-east-1,eu-west-3",
        "console.clusters.eks.endpoint-override=${" + ConsoleIntegrationTest.TestInfraProperties.MOTO_ENDPOINT + "}",
        "console.clusters.eks.access-entries-check=1s",
        "console.clusters.eks.access-entries-interval=1h",
        "console.requests.expiry-check=1h",
        "console.apply.recovery-interval=1s",
        "console.apply.access-entries.mode-change-poll-interval=300ms",
        "console.apply.drift-scan-interval=1s",
        "console.notifications.poll-interval=100ms",
        "console.notifications.allow-private-targets=true"})
@ExtendWith(ConsoleWithMotoEks.DiscoverTheClassesClusters.class)
public @interface ConsoleWithMotoEks {

    /**
     * Held by every class carrying this annotation: they run beside the serial lane, and since they share
     * one console (its drift scan and apply recovery see every class's clusters), one at a time.
     */
    String LOCK = "console-with-moto-eks";

    /** Initializes the test class (its static block makes its clusters), then has the console discover them. */
    final class DiscoverTheClassesClusters implements BeforeAllCallback {

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            Class<?> testClass = context.getRequiredTestClass();
            Class.forName(testClass.getName(), true, testClass.getClassLoader());
            EksDiscoveryNow.run(SpringExtension.getApplicationContext(context));
        }
    }
}
