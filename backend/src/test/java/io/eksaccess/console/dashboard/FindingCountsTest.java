package io.eksaccess.console.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.awsauth.Severity;
import io.eksaccess.console.report.findings.ClusterFinding;
import io.eksaccess.console.report.findings.SecurityFinding;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.MovableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The findings memo under many admins at once. The evaluation here stands in for the findings
 * engine on a big cluster: it holds on a latch instead of being slow, so "another request asks while
 * one is evaluating" happens every time rather than when the machine's timing allows (the real
 * engine is covered by ClusterOverviewTest and DashboardTest).
 */
class FindingCountsTest {

    static final ClusterFinding CRITICAL = new ClusterFinding(
            new SecurityFinding("AWSAUTH-002", Severity.CRITICAL, "mapRoles[0]", "system:masters", "x"), null);

    final MovableClock clock = new MovableClock();
    final AtomicInteger evaluations = new AtomicInteger();
    final CountDownLatch evaluating = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Test
    void anExpiredAnswerIsEvaluatedOnceWhileTheOthersGetTheLastOne() throws Exception {
        // The first evaluation finds nothing; the second (after the minute) is held until released
        // and finds a critical finding; any later one answers at once.
        Function<String, List<ClusterFinding>> engine = cluster -> {
            int n = evaluations.incrementAndGet();
            if (n == 2) {
                evaluating.countDown();
                await(release);
                return List.of(CRITICAL);
            }
            return n == 1 ? List.of() : List.of(CRITICAL);
        };
        FindingCounts counts = new FindingCounts(engine, clock);
        assertThat(counts.of("prod").critical()).isZero();
        clock.advance(FindingCounts.KEEP.plusSeconds(1));

        ExecutorService admins = Executors.newFixedThreadPool(21);
        try {
            Future<FindingCounts.Counts> first = admins.submit(() -> counts.of("prod"));
            evaluating.await();
            List<Future<FindingCounts.Counts>> others = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                others.add(admins.submit(() -> counts.of("prod")));
            }
            for (Future<FindingCounts.Counts> other : others) {
                assertThat(other.get().critical()).as("the last answer while one request evaluates").isZero();
            }
            assertThat(evaluations).as("one evaluation for 21 requests").hasValue(2);
            release.countDown();
            assertThat(first.get().critical()).isEqualTo(1);
        } finally {
            release.countDown();
            admins.shutdownNow();
        }
        assertThat(counts.of("prod").critical()).isEqualTo(1);
        assertThat(evaluations).hasValue(2);
    }

    @Test
    void beforeTheFirstAnswerTheOthersWaitForItInsteadOfEvaluatingToo() throws Exception {
        Function<String, List<ClusterFinding>> engine = cluster -> {
            if (evaluations.incrementAndGet() == 1) {
                evaluating.countDown();
                await(release);
            }
            return List.of(CRITICAL);
        };
        FindingCounts counts = new FindingCounts(engine, clock);
        CompletableFuture<FindingCounts.Counts> first = CompletableFuture.supplyAsync(() -> counts.of("prod"));
        evaluating.await();
        List<Thread> waiting = new ArrayList<>();
        List<FindingCounts.Counts> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 5; i++) {
            Thread thread = new Thread(() -> answers.add(counts.of("prod")));
            thread.start();
            waiting.add(thread);
        }
        Eventually.await("the others to wait for the first evaluation", Duration.ofSeconds(30),
                () -> waiting.stream().allMatch(t -> t.getState() == Thread.State.WAITING), done -> done);
        release.countDown();
        for (Thread thread : waiting) {
            thread.join();
        }
        assertThat(first.get().critical()).isEqualTo(1);
        assertThat(answers).hasSize(5).allSatisfy(answer -> assertThat(answer.critical()).isEqualTo(1));
        assertThat(evaluations).as("one evaluation for 6 requests").hasValue(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
