package io.eksaccess.console.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Set;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;

/**
 * A test class that runs beside the serial lane (the other classes, one after another, in the run's
 * main worker), on one of the two alongside workers (see {@code junit-platform.properties}). Only for
 * classes that share nothing another class changes: no Spring test context of the serial lane's, not
 * the shared API server ({@link KubeApiServer#get}: use {@link KubeApiServer#alongside} under its lock
 * or a dedicated one), no swapping of {@code System.out}, cluster names and moto regions of their own.
 * Classes sharing something among themselves hold a {@code @ResourceLock} of it (the alongside API
 * server, the Chromium, Dex and moto-EKS consoles), so only one of them runs at a time. Many such
 * classes start processes and wait on them (consoles they crash, Chromium, API servers): the third
 * worker fills those waits on the two cores.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(providers = RunsAlongside.OwnLock.class)
public @interface RunsAlongside {

    /**
     * Roughly how long the class takes on a quiet machine, in seconds: the second worker takes the
     * longest first ({@link AlongsideFirst}), so neither core is left finishing a long class alone.
     * Only an order; nothing waits on it.
     */
    int seconds();

    /**
     * A lock of the class's own. {@code @Execution(CONCURRENT)} on a class also makes its test methods
     * concurrent, and a free worker then ran a class's methods side by side and out of their
     * {@code @Order} (RbacApiTest's removal of its cluster ran first); JUnit runs the methods of a class
     * holding a lock one after another in the class's thread.
     */
    final class OwnLock implements ResourceLocksProvider {

        @Override
        public Set<Lock> provideForClass(Class<?> testClass) {
            return Set.of(new Lock("runs-alongside:" + testClass.getName()));
        }
    }
}
