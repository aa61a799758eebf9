package io.eksaccess.console.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A class running alongside still runs its own methods one at a time, in their order and in one
 * thread: the lane's classes rely on that (a later method removes what earlier ones read).
 */
@RunsAlongside(seconds = 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunsAlongsideMethodsInOrderTest {

    static final AtomicInteger RUNNING = new AtomicInteger();
    static final List<String> SEEN = new ArrayList<>();

    @RepeatedTest(4)
    @Order(1)
    void first() throws InterruptedException {
        visit("first");
    }

    @Test
    @Order(2)
    void second() throws InterruptedException {
        visit("second");
    }

    @Test
    @Order(3)
    void third() throws InterruptedException {
        visit("third");
    }

    private static void visit(String method) throws InterruptedException {
        assertThat(RUNNING.incrementAndGet()).as("methods of this class running at once").isEqualTo(1);
        try {
            Thread.sleep(50); // long enough for a second worker to start another method, if it could
            synchronized (SEEN) {
                SEEN.add(method + "@" + Thread.currentThread().getName());
            }
        } finally {
            RUNNING.decrementAndGet();
        }
    }

    @AfterAll
    static void inOrderInOneThread() {
        assertThat(SEEN).extracting(seen -> seen.substring(0, seen.indexOf('@')))
                .containsExactly("first", "first", "first", "first", "second", "third");
        assertThat(SEEN).extracting(seen -> seen.substring(seen.indexOf('@'))).containsOnly(SEEN.get(0).substring(SEEN.get(0).indexOf('@')));
    }
}
