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
}
