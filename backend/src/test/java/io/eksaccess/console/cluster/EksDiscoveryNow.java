package io.eksaccess.console.cluster;

import org.springframework.context.ApplicationContext;

/**
 * Runs the console's EKS discovery now. For test classes sharing one console: it discovered the
 * clusters there were when it started, and the next scheduled discovery is an interval (minutes) away.
 */
public final class EksDiscoveryNow {

    private EksDiscoveryNow() {}

    public static void run(ApplicationContext console) {
        console.getBean(EksDiscoveryJob.class).discover();
    }
}
