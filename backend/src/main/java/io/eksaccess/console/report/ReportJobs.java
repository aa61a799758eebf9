package io.eksaccess.console.report;

import io.eksaccess.console.audit.AuditActor;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs report generation in the background with its progress in {@code report_jobs}, so whichever
 * replica serves the status poll can show it. One generation at a time per replica.
 */
@Component
class ReportJobs {

    private static final Logger log = LoggerFactory.getLogger(ReportJobs.class);

    private final ReportGenerator generator;
    private final ReportRepository repository;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "report-generation");
        thread.setDaemon(true);
        return thread;
    });
    private final Clock clock = Clock.systemUTC();

    ReportJobs(ReportGenerator generator, ReportRepository repository) {
        this.generator = generator;
        this.repository = repository;
    }

    /** Starts generation and returns at once; poll {@link ReportRepository#job} with the returned id. */
    UUID start(String scope, ReportTrigger trigger, AuditActor actor) {
        UUID id = UUID.randomUUID();
        repository.startJob(id, scope, trigger.name(), clock.instant());
        executor.submit(() -> run(id, scope, trigger, actor));
        return id;
    }

    /** Generates in the calling thread (the scheduler's), still recording progress. */
    void runNow(String scope, ReportTrigger trigger, AuditActor actor) {
        UUID id = UUID.randomUUID();
        repository.startJob(id, scope, trigger.name(), clock.instant());
        run(id, scope, trigger, actor);
    }

    private void run(UUID id, String scope, ReportTrigger trigger, AuditActor actor) {
        try {
            long report = generator.generate(scope, trigger, actor, (done, total, step) ->
                    repository.progress(id, done, total, step));
            repository.finishJob(id, report, clock.instant());
            log.info("report={} scope={} trigger={} outcome=generated", report, scope, trigger);
        } catch (RuntimeException e) {
            log.error("scope={} trigger={} outcome=failed: {}", scope, trigger, e.getMessage(), e);
            repository.failJob(id, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
                    clock.instant());
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
