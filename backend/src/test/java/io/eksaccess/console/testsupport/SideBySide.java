package io.eksaccess.console.testsupport;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Test cases that share no state run side by side: a class starts each case's body here (e.g. in
 * {@code @BeforeAll}) and each test waits for its own and fails with what that body threw. For cases that
 * mostly wait on processes they started (a console JVM starting, a poll), so one case's waits overlap
 * another's work.
 */
public final class SideBySide implements AutoCloseable {

    /** A test body. */
    public interface Case {
        void run() throws Exception;
    }

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Future<Void>> running = new ConcurrentHashMap<>();

    public void start(String name, Case body) {
        Callable<Void> call = () -> {
            body.run();
            return null;
        };
        if (running.putIfAbsent(name, threads.submit(call)) != null) {
            throw new IllegalArgumentException("two cases named " + name);
        }
    }

    /** Waits for the case and rethrows what it threw (its own assertion error, unwrapped). */
    public void outcomeOf(String name) throws Exception {
        Future<Void> future = running.get(name);
        if (future == null) {
            throw new IllegalStateException("no case named " + name + " was started; started: " + running.keySet());
        }
        try {
            future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Interrupts cases still running (their test failed or was not selected), so they close their processes. */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
