package io.eksaccess.console.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

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
        int port = FreePorts.next();
        Path dir = TestInfra.freshDir(label + "-");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                mainClass,
                "--server.port=" + port,
                "--spring.datasource.url=" + database,
                "--console.data-dir=" + dir,
                "--console.clusters.kubeconfig=" + kubeconfig,
                "--console.apply.drift-scan-interval=1h"));
        command.addAll(List.of(extra));
        return TestProcess.start(label + "-" + port, command, dir);
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
