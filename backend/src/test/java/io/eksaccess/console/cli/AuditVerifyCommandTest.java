package io.eksaccess.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.audit.AuditEvent;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditOutcome;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.ThisThreadsOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code audit verify} against the same real database a console wrote its history to. */
@SpringBootTest
@Isolated // swaps System.out/err: nothing else may log meanwhile
class AuditVerifyCommandTest {

    static final String DATABASE = TestPostgres.newDatabase();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Once.of(() -> DATABASE));
    }

    @Autowired
    AuditLog audit;

    @Autowired
    JdbcClient jdbc;

    record Run(int exit, String out, String err) {}

    @Test
    void intactChainExitsZeroAndATamperedRowIsNamedWithExitOne() {
        AuditActor admin = new AuditActor("sub", "Ada", "10.0.0.1");
        audit.record(admin, AuditAction.CLUSTER_ADDED, "a", null, Map.of(), AuditOutcome.SUCCESS);
        AuditEvent second = audit.record(admin, AuditAction.CLUSTER_DISABLED, "a", null, Map.of(), AuditOutcome.SUCCESS);
        audit.record(admin, AuditAction.CLUSTER_REMOVED, "a", null, Map.of(), AuditOutcome.SUCCESS);
        long rows = jdbc.sql("SELECT count(*) FROM audit_events").query(Long.class).single();

        Run intact = verify("--json");
        assertThat(intact.exit()).as(intact.err()).isZero();
        String head = jdbc.sql("SELECT hash FROM audit_events WHERE sequence = :s").param("s", rows)
                .query(String.class).single();
        assertThat(intact.out().trim()).startsWith("{\"intact\":true,\"rows\":" + rows + ",")
                .contains("\"head\":{\"sequence\":" + rows + ",\"hash\":\"" + head + "\"}")
                .endsWith("\"checkpointRecorded\":true}");
        assertThat(jdbc.sql("SELECT verified_by FROM audit_checkpoints WHERE sequence = :s").param("s", rows)
                .query(String.class).list()).containsExactly("audit verify");

        // The newest row deleted by someone with owner rights: the checkpoint the last run left shows it.
        jdbc.sql("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only").update();
        jdbc.sql("DELETE FROM audit_events WHERE sequence = :s").param("s", rows).update();
        jdbc.sql("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only").update();
        Run truncated = verify("--json");
        assertThat(truncated.exit()).isEqualTo(1);
        assertThat(truncated.out()).contains("\"intact\":false", "\"firstBrokenSequence\":" + rows,
                "rows after " + (rows - 1) + " are missing", "\"newestAnchor\":{\"sequence\":" + rows,
                "\"checkpointRecorded\":false");

        jdbc.sql("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only").update();
        jdbc.sql("UPDATE audit_events SET cluster = 'b' WHERE sequence = :s").param("s", second.sequence()).update();
        jdbc.sql("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only").update();

        Run broken = verify("--json");
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.out()).contains("\"intact\":false").contains("\"firstBrokenSequence\":" + second.sequence());
        Run human = verify();
        assertThat(human.out()).startsWith("Audit history BROKEN at row " + second.sequence());
    }

    @Test
    void unreachableDatabaseIsAUsageErrorWithOneClearLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = cli(out, err).run(new String[] {"audit", "verify", "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/x"});
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("audit verify: Cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/x")
                .doesNotContain("\tat ");
    }

    /**
     * Another console holds the embedded database's data directory: the command must say so in one
     * line on stderr, and with --json leave stdout to JSON (Spring's log lines went to stdout).
     */
    @Test
    void lockedDataDirectoryKeepsStdoutForJsonAndSaysWhyInOneLine(@TempDir Path dataDir) throws Exception {
        try (EmbeddedPostgres running = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false).start()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ByteArrayOutputStream processOut = new ByteArrayOutputStream();
            PrintStream oldOut = System.out;
            System.setOut(new PrintStream(processOut, true, StandardCharsets.UTF_8));
            int exit;
            try {
                exit = cli(out, err).run(new String[] {"audit", "verify", "--json", "--console.data-dir=" + dataDir});
            } finally {
                System.setOut(oldOut);
            }
            assertThat(ThisThreadsOutput.of(processOut.toString(StandardCharsets.UTF_8))).isEmpty();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
            assertThat(exit).isEqualTo(ConsoleCli.USAGE);
            // The running database's output thread logs "server started" when it gets to it, sometimes
            // while the command has logging pointed at stderr: those are that thread's lines, not the command's.
            assertThat(ThisThreadsOutput.of(err.toString(StandardCharsets.UTF_8)).lines()).singleElement().asString()
                    .startsWith("audit verify: The embedded PostgreSQL could not start in ").contains("another running console");
        }
    }

    private Run verify(String... options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = new String[options.length + 3];
        args[0] = "audit";
        args[1] = "verify";
        System.arraycopy(options, 0, args, 2, options.length);
        args[args.length - 1] = "--spring.datasource.url=" + DATABASE;
        int exit = cli(out, err).run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static ConsoleCli cli(ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return new ConsoleCli(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
