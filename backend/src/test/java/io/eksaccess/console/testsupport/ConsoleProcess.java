package io.eksaccess.console.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A whole console in a JVM of its own, for tests that kill a process for real (Runtime.halt) and
 * start another on the same database and cluster; and plain JDBC reads of that database, which
 * outlive any one process.
 */
public final class ConsoleProcess {

    private ConsoleProcess() {}

    /** Starts {@code mainClass} (the console's, or a test main around it) on a free port with these settings. */
    public static TestProcess start(String label, String mainClass, String database, Path kubeconfig,
            String... extra) {
        return start(label, mainClass, database, kubeconfig, Map.of(), extra);
    }

    /**
     * The same with environment variables (e.g. moto's AWS credentials); a null {@code kubeconfig} imports
     * no kubeconfig (clusters come from EKS discovery).
     */
    public static TestProcess start(String label, String mainClass, String database, Path kubeconfig,
            Map<String, String> env, String... extra) {
        int port = FreePorts.next();
        Path dir = TestInfra.freshDir(label + "-");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A child lives for seconds: C1 alone compiles what start-up needs and halves its CPU time
                // to "Started" (8.6 and 8.2 s instead of 17.8 and 14.1 s, same machine, interleaved runs).
                "-XX:TieredStopAtLevel=1",
                "-cp", ChildClasspath.get(),
                mainClass,
                "--server.port=" + port,
                "--spring.datasource.url=" + database,
                "--console.data-dir=" + dir,
                "--console.apply.drift-scan-interval=1h"));
        if (kubeconfig != null) {
            command.add("--console.clusters.kubeconfig=" + kubeconfig);
        }
        command.addAll(List.of(extra));
        return TestProcess.start(label + "-" + port, command, dir, env);
    }

    /**
     * Waits for a console started with a {@code console.apply.halt-*} switch to die at that point, and
     * checks that it did (its log says so) before {@code unfinished} was printed.
     */
    public static void awaitHalt(TestProcess dying, String unfinished) throws IOException {
        Eventually.await("the first console to halt", Duration.ofSeconds(300), dying::isAlive, alive -> !alive);
        assertThat(Files.readString(dying.log())).as("halted where it was told to").contains("decision=halt")
                .doesNotContain(unfinished);
    }

    /** Polls the first column of {@code sql} until it is {@code expected} (also while a process starts). */
    public static void awaitRows(String what, String database, String sql, List<String> expected, Duration timeout) {
        Eventually.await(what, timeout, () -> queryOrError(database, sql), expected::equals);
    }

    /** The first column of every row. */
    public static List<String> query(String database, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(database);
                ResultSet rs = connection.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    /** {@link #query}, or the error's message as the one row (for polling while a process starts). */
    public static List<String> queryOrError(String database, String sql) {
        try {
            return query(database, sql);
        } catch (SQLException e) {
            return List.of(e.getMessage());
        }
    }

    public static void update(String database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database)) {
            connection.createStatement().executeUpdate(sql);
        }
    }
}
