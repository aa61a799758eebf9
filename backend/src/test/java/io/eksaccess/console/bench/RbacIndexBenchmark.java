package io.eksaccess.console.bench;

import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.Decision;
import io.eksaccess.console.rbac.Identity;
import io.eksaccess.console.rbac.RbacIndex;
import io.eksaccess.console.rbac.WhoCanAnswer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * who-can and can-i latency of {@link RbacIndex} on a {@link SyntheticRbacWorld}, sampled per call
 * (JMH SampleTime, so p50/p99 come out). Each call asks the next of 4,096 seeded questions. Run by
 * {@link RbacBench#main}; not part of the test suite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RbacIndexBenchmark {

    private static final int QUESTIONS = 4096;

    @Param("5000")
    public int roles;

    @Param("20000")
    public int bindings;

    @Param("200")
    public int namespaces;

    private RbacIndex index;
    private final AccessRequest[] requests = new AccessRequest[QUESTIONS];
    private final Identity[] identities = new Identity[QUESTIONS];
    private int next;

    @Setup(Level.Trial)
    public void build() {
        SyntheticRbacWorld world = new SyntheticRbacWorld("bench", roles, bindings, namespaces, 42);
        index = RbacIndex.build(world.roles, world.clusterRoles, world.roleBindings, world.clusterRoleBindings);
        Random questions = new Random(7);
        for (int i = 0; i < QUESTIONS; i++) {
            requests[i] = world.question(questions);
            identities[i] = world.identity(questions);
        }
    }

    @Benchmark
    public WhoCanAnswer whoCan() {
        int i = next++ & (QUESTIONS - 1);
        return index.whoCan(requests[i]);
    }

    @Benchmark
    public Decision canI() {
        int i = next++ & (QUESTIONS - 1);
        return index.canI(identities[i], requests[i]);
    }
}
