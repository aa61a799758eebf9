package io.eksaccess.console.bench;

import io.eksaccess.console.rbac.RbacIndex;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The RBAC engine benchmark (issue 6): index build time and retained heap for a synthetic world
 * of 5,000 roles and 20,000 bindings, then {@link RbacIndexBenchmark} under JMH, printing who-can
 * and can-i latency p50/p99. Run with {@code .ci/bench/rbac-jmh.sh}; not a test (timings depend on
 * the machine). Arguments: [roles] [bindings] [namespaces].
 */
public final class RbacBench {

    private RbacBench() {}

    public static void main(String[] args) throws Exception {
        int roles = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int bindings = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
        int namespaces = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        SyntheticRbacWorld world = new SyntheticRbacWorld("bench", roles, bindings, namespaces, 42);
        System.out.printf("world: %d roles (%d ClusterRoles), %d bindings (%d ClusterRoleBindings), %d namespaces%n",
                world.roles.size() + world.clusterRoles.size(), world.clusterRoles.size(),
                world.roleBindings.size() + world.clusterRoleBindings.size(), world.clusterRoleBindings.size(), namespaces);

        List<Long> buildNanos = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            long start = System.nanoTime();
            RbacIndex.build(world.roles, world.clusterRoles, world.roleBindings, world.clusterRoleBindings);
            if (i >= 3) { // the first runs warm the JIT
                buildNanos.add(System.nanoTime() - start);
            }
        }
        Collections.sort(buildNanos);
        System.out.printf("index build: median %.1f ms, min %.1f ms (10 runs after 3 warm-up runs)%n",
                buildNanos.get(buildNanos.size() / 2) / 1e6, buildNanos.get(0) / 1e6);

        long before = usedHeapAfterGc();
        RbacIndex index = RbacIndex.build(world.roles, world.clusterRoles, world.roleBindings, world.clusterRoleBindings);
        long after = usedHeapAfterGc();
        System.out.printf("index memory: %.1f MiB retained beyond the fabric8 objects it is built from%n",
                (after - before) / 1048576.0);
        System.out.println("(index holds " + index.subjects().size() + " distinct subjects)");

        cpuTimePercentiles(index, world);

        Options options = new OptionsBuilder()
                .include(RbacIndexBenchmark.class.getName())
                .param("roles", String.valueOf(roles))
                .param("bindings", String.valueOf(bindings))
                .param("namespaces", String.valueOf(namespaces))
                .forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(TimeValue.seconds(2))
                .build();
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        for (RunResult result : results) {
            var statistics = result.getPrimaryResult().getStatistics();
            String name = result.getParams().getBenchmark().replaceAll(".*\\.", "");
            System.out.printf("%-7s latency: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us (%d samples)%n", name,
                    statistics.getPercentile(50), statistics.getPercentile(99), statistics.getPercentile(99.9),
                    statistics.getMax(), statistics.getN());
        }
    }

    /**
     * Per-call thread CPU time, which leaves out time the thread spent descheduled: on a busy
     * machine it shows what a call costs on an idle core, where JMH's wall-clock samples show
     * the machine's load in their upper percentiles.
     */
    private static void cpuTimePercentiles(RbacIndex index, SyntheticRbacWorld world) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Random random = new java.util.Random(7);
        int calls = 20_000;
        io.eksaccess.console.rbac.AccessRequest[] requests = new io.eksaccess.console.rbac.AccessRequest[calls];
        io.eksaccess.console.rbac.Identity[] identities = new io.eksaccess.console.rbac.Identity[calls];
        for (int i = 0; i < calls; i++) {
            requests[i] = world.question(random);
            identities[i] = world.identity(random);
        }
        for (int i = 0; i < calls; i++) { // warm-up
            index.whoCan(requests[i]);
            index.canI(identities[i], requests[i]);
        }
        long[] whoCan = new long[calls];
        long[] canI = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = threads.getCurrentThreadCpuTime();
            index.whoCan(requests[i]);
            long middle = threads.getCurrentThreadCpuTime();
            index.canI(identities[i], requests[i]);
            canI[i] = threads.getCurrentThreadCpuTime() - middle;
            whoCan[i] = middle - start;
        }
        java.util.Arrays.sort(whoCan);
        java.util.Arrays.sort(canI);
        System.out.printf("thread CPU time per call (%d calls): who-can p50 %.1f us, p99 %.1f us; can-i p50 %.1f us, p99 %.1f us%n",
                calls, whoCan[calls / 2] / 1e3, whoCan[calls * 99 / 100] / 1e3, canI[calls / 2] / 1e3, canI[calls * 99 / 100] / 1e3);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
