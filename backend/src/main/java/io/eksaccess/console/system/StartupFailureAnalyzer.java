package io.eksaccess.console.system;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/**
 * Turns the start-up failures people cause by configuration into one line that says what is wrong
 * and one that says how to fix it, instead of a wall of stack trace. Boot prints the stack trace
 * only at debug level once an analyzer has explained the failure.
 */
public class StartupFailureAnalyzer implements FailureAnalyzer {

    private final Environment environment;

    public StartupFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        StartupConfigurationException configuration = find(failure, StartupConfigurationException.class);
        if (configuration != null) {
            return new FailureAnalysis(configuration.getMessage(), configuration.fix(), configuration);
        }
        SQLException sql = find(failure, SQLException.class);
        if (sql != null && isConnectionProblem(failure, sql)) {
            // A JDBC URL may carry a password parameter: never print it.
            String url = environment.getProperty("spring.datasource.url", "(embedded)")
                    .replaceAll("(?i)(password=)[^&;]*", "$1***");
            return new FailureAnalysis(
                    "Cannot connect to PostgreSQL at " + url + ": " + firstLine(sql.getMessage()),
                    "Check spring.datasource.url, spring.datasource.username and spring.datasource.password, and"
                            + " that the database accepts connections from this host; or unset"
                            + " spring.datasource.url to use the embedded PostgreSQL.",
                    sql);
        }
        return null;
    }

    private static boolean isConnectionProblem(Throwable failure, SQLException sql) {
        String state = sql.getSQLState();
        return (state != null && (state.startsWith("08") || state.equals("28P01") || state.equals("3D000")))
                || find(failure, ConnectException.class) != null
                || find(failure, UnknownHostException.class) != null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
