package io.eksaccess.console.bench;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * who-can (with IAM principals) and can-i --arn through access entries under JMH
 * ({@link AccessEntriesBenchmark}), printing p50/p99. Run with {@code .ci/bench/access-entries-jmh.sh};
 * not a test. Arguments: [entries] [bindings] [warm-up and measurement iterations of 2 s].
 */
public final class AccessEntriesBench {

    private AccessEntriesBench() {}

    public static void main(String[] args) throws Exception {
        String entries = args.length > 0 ? args[0] : "3000";
        String bindings = args.length > 1 ? args[1] : "20000";
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        cpuTimePercentiles(Integer.parseInt(entries), Integer.parseInt(bindings));
        Options options = new OptionsBuilder()
                .include(AccessEntriesBenchmark.class.getName())
                .param("entries", entries)
                .param("bindings", bindings)
                .forks(1)
                .warmupIterations(Math.max(1, iterations / 2 + 1)).warmupTime(TimeValue.seconds(2))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(2))
                .build();
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.printf("%s access entries, %s bindings, API_AND_CONFIG_MAP, 200 aws-auth role mappings%n", entries, bindings);
        for (RunResult result : results) {
            var statistics = result.getPrimaryResult().getStatistics();
            String name = result.getParams().getBenchmark().replaceAll(".*\\.", "");
            System.out.printf("%-9s latency: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us (%d samples)%n", name,
                    statistics.getPercentile(50), statistics.getPercentile(99), statistics.getPercentile(99.9),
                    statistics.getMax(), statistics.getN());
        }
    }

    /** Per-call thread CPU time (leaves out time descheduled on a busy machine), as {@link RbacBench} prints it. */
    private static void cpuTimePercentiles(int entries, int bindings) throws Exception {
        AccessEntriesBenchmark bench = new AccessEntriesBenchmark();
        bench.entries = entries;
        bench.bindings = bindings;
        bench.roles = 5000;
        bench.namespaces = 200;
        bench.build();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        int calls = 2000;
        for (int i = 0; i < calls; i++) { // warm-up
            bench.whoCanIam();
            bench.canIArn();
        }
        long[] whoCan = new long[calls];
        long[] canI = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = threads.getCurrentThreadCpuTime();
            bench.whoCanIam();
            long middle = threads.getCurrentThreadCpuTime();
            bench.canIArn();
            canI[i] = threads.getCurrentThreadCpuTime() - middle;
            whoCan[i] = middle - start;
        }
        java.util.Arrays.sort(whoCan);
        java.util.Arrays.sort(canI);
        System.out.printf("thread CPU time per call (%d calls): who-can+IAM p50 %.1f us, p99 %.1f us; can-i --arn p50 %.1f us, p99 %.1f us%n",
                calls, whoCan[calls / 2] / 1e3, whoCan[calls * 99 / 100] / 1e3, canI[calls / 2] / 1e3, canI[calls * 99 / 100] / 1e3);
    }
}
