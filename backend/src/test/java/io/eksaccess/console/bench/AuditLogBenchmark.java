package io.eksaccess.console.bench;

import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.audit.AuditBulkLoad;
import io.eksaccess.console.audit.AuditChainVerifier;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditOutcome;
import io.eksaccess.console.audit.AuditQuery;
import io.eksaccess.console.testsupport.Once;
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
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Not a test (surefire's default includes leave it out; it asserts no timing): fills a real
 * PostgreSQL's audit history to 1,000,000 events and prints
 * <ol>
 *   <li>insert throughput of {@link AuditLog#record} (the console's real path: advisory lock, chain
 *       link, one transaction per event) with 4 concurrent writers, for {@code audit.bench.recorded}
 *       events (default 50,000; set it to 1000000 to write everything this way, which takes long on
 *       a busy machine);</li>
 *   <li>throughput of the chained JDBC-batch load ({@link AuditBulkLoad}) that fills the rest;</li>
 *   <li>the time of filtered page queries (first page, a deep keyset page) and of a full chain
 *       verification at that size.</li>
 * </ol>
 * Run: {@code mvn -B -q test -pl backend -am -Dtest=AuditLogBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * and read target/surefire-reports/io.eksaccess.console.bench.AuditLogBenchmark-output.txt.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK)
class AuditLogBenchmark {

    static final long EVENTS = Long.getLong("audit.bench.events", 1_000_000);
    static final long RECORDED = Math.min(EVENTS, Long.getLong("audit.bench.recorded", 50_000));
    static final int WRITERS = 4;
    static final int ACTORS = 200;
    static final int CLUSTERS = 20;
    static final AuditAction[] ACTIONS = AuditAction.values();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        String url = TestPostgres.newDatabase();
        registry.add("spring.datasource.url", Once.of(() -> url));
    }

    @Autowired
    AuditLog audit;

    @Autowired
    AuditQuery query;

    @Autowired
    AuditChainVerifier verifier;

    @Autowired
    DataSource dataSource;

    @Test
    void millionEvents() throws Exception {
        AtomicLong next = new AtomicLong();
        Instant start = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            writers.add(pool.submit(() -> {
                for (long n = next.getAndIncrement(); n < RECORDED; n = next.getAndIncrement()) {
                    audit.record(actor(n), ACTIONS[(int) (n % ACTIONS.length)], cluster(n), "resource/" + n,
                            Map.of("n", Long.toString(n)), outcome(n));
                }
                return null;
            }));
        }
        for (Future<?> writer : writers) {
            writer.get();
        }
        pool.shutdown();
        Duration recording = Duration.between(start, Instant.now());
        System.out.printf("AuditLog.record: %,d events with %d writers in %s: %,.0f events/s%n", RECORDED, WRITERS,
                recording, RECORDED / (recording.toMillis() / 1000.0));

        Instant bulkStart = Instant.now();
        AuditBulkLoad.append(dataSource, RECORDED, EVENTS - RECORDED, new AuditBulkLoad.Rows() {
            public AuditActor actor(long n) {
                return AuditLogBenchmark.actor(n);
            }

            public AuditAction action(long n) {
                return ACTIONS[(int) (n % ACTIONS.length)];
            }

            public String cluster(long n) {
                return AuditLogBenchmark.cluster(n);
            }

            public AuditOutcome outcome(long n) {
                return AuditLogBenchmark.outcome(n);
            }
        });
        Duration bulk = Duration.between(bulkStart, Instant.now());
        System.out.printf("chained batch load: %,d more events in %s: %,.0f events/s (table now %,d rows)%n",
                EVENTS - RECORDED, bulk, (EVENTS - RECORDED) / Math.max(0.001, bulk.toMillis() / 1000.0), EVENTS);

        AuditQuery.Filter filter = new AuditQuery.Filter("sub-42", "cluster-2", null, null, null, null);
        timeQuery("filtered first page (actor + cluster)", filter);
        timeQuery("filtered first page (actor + cluster), repeated", filter);
        Long deep = query.search(filter).nextBefore();
        for (int i = 0; i < 20 && deep != null; i++) {
            deep = query.search(new AuditQuery.Filter("sub-42", "cluster-2", null, null, null, deep)).nextBefore();
        }
        timeQuery("filtered page 22 (actor + cluster, keyset cursor)",
                new AuditQuery.Filter("sub-42", "cluster-2", null, null, null, deep));
        timeQuery("filtered first page (cluster only)", new AuditQuery.Filter(null, "cluster-7", null, null, null, null));
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

    static AuditActor actor(long n) {
        return new AuditActor("sub-" + n % ACTORS, "Person " + n % ACTORS, "10.0.0." + n % 250);
    }

    static String cluster(long n) {
        return "cluster-" + n % CLUSTERS;
    }

    static AuditOutcome outcome(long n) {
        return n % 17 == 0 ? AuditOutcome.FAILURE : AuditOutcome.SUCCESS;
    }

    private void timeQuery(String what, AuditQuery.Filter filter) {
        long begin = System.nanoTime();
        AuditQuery.Page page = query.search(filter);
        System.out.printf("%s: %d rows in %.1f ms%n", what, page.events().size(), (System.nanoTime() - begin) / 1e6);
    }
}
