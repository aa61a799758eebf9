package io.eksaccess.console.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Waits for something that happens asynchronously (a watch event, a reconnect); fails with what was last seen. */
public final class Eventually {

    private Eventually() {}

    public static <T> T await(String what, Duration timeout, Supplier<T> probe, java.util.function.Predicate<T> done) {
        Instant deadline = Instant.now().plus(timeout);
        T last = probe.get();
        while (!done.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last seen: " + last);
            }
            TestProcess.sleep(100);
            last = probe.get();
        }
        return last;
    }
}
