package io.eksaccess.console.bench;

import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.audit.AuditChainVerifier;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditOutcome;
import io.eksaccess.console.audit.AuditQuery;
import io.eksaccess.console.testsupport.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Not a test (surefire's default includes leave it out; it asserts no timing): appends 1,000,000
 * audit events through {@link AuditLog#record} (the real chained, locked path) from several
 * writers into a real PostgreSQL, then prints insert throughput and the time of filtered page
 * queries (first page and a deep keyset page) and of a full chain verification. Run:
 * {@code mvn -B -q test -pl backend -am -Dtest=AuditLogBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * (-Daudit.bench.events=N for fewer) and read
 * target/surefire-reports/io.eksaccess.console.bench.AuditLogBenchmark-output.txt.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK)
class AuditLogBenchmark {

    static final int EVENTS = Integer.getInteger("audit.bench.events", 1_000_000);
    static final int WRITERS = 4;
    static final int ACTORS = 200;
    static final int CLUSTERS = 20;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestPostgres::newDatabase);
    }

    @Autowired
    AuditLog audit;

    @Autowired
    AuditQuery query;

    @Autowired
    AuditChainVerifier verifier;

    @Test
    void millionEvents() throws Exception {
        AuditAction[] actions = AuditAction.values();
        AtomicLong next = new AtomicLong();
        Instant start = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            writers.add(pool.submit(() -> {
                for (long i = next.getAndIncrement(); i < EVENTS; i = next.getAndIncrement()) {
                    int n = (int) i;
                    AuditActor actor = new AuditActor("sub-" + n % ACTORS, "Person " + n % ACTORS, "10.0.0." + n % 250);
                    audit.record(actor, actions[n % actions.length], "cluster-" + n % CLUSTERS, "resource/" + n,
                            Map.of("n", Integer.toString(n)), n % 17 == 0 ? AuditOutcome.FAILURE : AuditOutcome.SUCCESS);
                    if (n > 0 && n % 100_000 == 0) {
                        System.out.printf("  %,d events after %s%n", n, Duration.between(start, Instant.now()));
                    }
                }
                return null;
            }));
        }
        for (Future<?> writer : writers) {
            writer.get();
        }
        pool.shutdown();
        Duration inserting = Duration.between(start, Instant.now());
        System.out.printf("inserted %,d audit events with %d writers in %s: %,.0f events/s%n", EVENTS, WRITERS,
                inserting, EVENTS / (inserting.toMillis() / 1000.0));

        AuditQuery.Filter filter = new AuditQuery.Filter("sub-42", "cluster-2", null, null, null, null);
        timeQuery("filtered first page (actor + cluster)", filter);
        AuditQuery.Page first = query.search(filter);
        timeQuery("filtered first page, repeated", filter);
        Long deep = first.nextBefore();
        for (int i = 0; i < 20 && deep != null; i++) {
            deep = query.search(new AuditQuery.Filter("sub-42", "cluster-2", null, null, null, deep)).nextBefore();
        }
        timeQuery("filtered page 22 (keyset cursor)", new AuditQuery.Filter("sub-42", "cluster-2", null, null, null, deep));
        timeQuery("filtered first page (action only)",
                new AuditQuery.Filter(null, null, AuditAction.CLUSTER_REMOVED, null, null, null));
        timeQuery("filtered first page (actor name substring)",
                new AuditQuery.Filter("Person 17", null, null, null, null, null));
        timeQuery("unfiltered first page", new AuditQuery.Filter(null, null, null, null, null, null));

        Instant verifyStart = Instant.now();
        AuditChainVerifier.Result result = verifier.verify();
        System.out.printf("verified %,d rows (intact=%s) in %s%n", result.rows(), result.intact(),
                Duration.between(verifyStart, Instant.now()));
    }

    private void timeQuery(String what, AuditQuery.Filter filter) {
        long begin = System.nanoTime();
        AuditQuery.Page page = query.search(filter);
        System.out.printf("%s: %d rows in %.1f ms%n", what, page.events().size(), (System.nanoTime() - begin) / 1e6);
    }
}
