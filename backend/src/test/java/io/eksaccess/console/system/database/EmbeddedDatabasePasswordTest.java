package io.eksaccess.console.system.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.eksaccess.console.system.ConsoleProperties;
import io.eksaccess.console.testsupport.TestInfra;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The embedded PostgreSQL trusts no local user: without the password kept owner-only in the data
 * directory nobody gets in, the superuser included; a data directory from a version that trusted
 * every local connection is closed on its next start, with its data kept.
 */
class EmbeddedDatabasePasswordTest {

    @Test
    void connectionsNeedThePasswordKeptOwnerOnlyInTheDataDirectory() throws Exception {
        Path dataDir = TestInfra.freshDir("embedded-pw-");
        EmbeddedDatabaseConfiguration configuration = new EmbeddedDatabaseConfiguration();
        try (EmbeddedPostgres postgres = configuration.embeddedPostgres(properties(dataDir));
                HikariDataSource runtime = configuration.dataSource(postgres)) {
            Path pgdata = dataDir.resolve("postgres");
            Path passwordFile = pgdata.resolve(EmbeddedDatabaseConfiguration.PASSWORD_FILE);
            assertThat(mode(passwordFile)).isEqualTo("rw-------");
            assertThat(mode(pgdata)).isEqualTo("rwx------");
            String password = Files.readString(passwordFile).strip();
            assertThat(password).hasSizeGreaterThanOrEqualTo(32);

            assertRefusedWithoutTheRightPassword(postgres.getPort());
            assertThat(query(postgres.getPort(), "postgres", password, "SELECT current_user")).isEqualTo("postgres");
            assertThat(JdbcClient.create(runtime).sql("SELECT current_user").query(String.class).single())
                    .as("the runtime pool logs in with its password").isEqualTo(EmbeddedDatabaseConfiguration.RUNTIME_USER);
            assertThat(Files.readAllLines(pgdata.resolve("pg_hba.conf")).stream()
                    .filter(line -> !line.isBlank() && !line.startsWith("#")))
                    .as("the Unix socket too").allMatch(line -> line.endsWith("scram-sha-256"));
        }

        // The next start uses the stored password; the runtime role gets a new one.
        try (EmbeddedPostgres again = configuration.embeddedPostgres(properties(dataDir));
                HikariDataSource runtime = new EmbeddedDatabaseConfiguration().dataSource(again)) {
            assertThat(JdbcClient.create(runtime).sql("SELECT 1").query(Integer.class).single()).isEqualTo(1);
            assertRefusedWithoutTheRightPassword(again.getPort());
        }
    }

    @Test
    void aDataDirectoryThatTrustedLocalUsersIsClosedOnTheNextStartWithItsDataKept() throws Exception {
        Path dataDir = TestInfra.freshDir("embedded-old-");
        Path pgdata = dataDir.resolve("postgres");
        // What an earlier version made: initdb's trust for everyone, a runtime role without password.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(pgdata).setCleanDataDirectory(false).start();
                Connection connection = old.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (note text)");
            statement.execute("INSERT INTO kept VALUES ('written before the upgrade')");
            statement.execute("CREATE ROLE eks_console_app NOLOGIN");
            statement.execute("CREATE ROLE " + EmbeddedDatabaseConfiguration.RUNTIME_USER + " LOGIN IN ROLE eks_console_app");
        }
        assertThat(Files.readString(pgdata.resolve("pg_hba.conf"))).containsPattern("(?m)^host.*trust");

        EmbeddedDatabaseConfiguration configuration = new EmbeddedDatabaseConfiguration();
        try (EmbeddedPostgres postgres = configuration.embeddedPostgres(properties(dataDir));
                HikariDataSource runtime = configuration.dataSource(postgres)) {
            assertRefusedWithoutTheRightPassword(postgres.getPort());
            String password = Files.readString(pgdata.resolve(EmbeddedDatabaseConfiguration.PASSWORD_FILE)).strip();
            assertThat(query(postgres.getPort(), "postgres", password, "SELECT note FROM kept"))
                    .isEqualTo("written before the upgrade");
            assertThat(JdbcClient.create(runtime).sql("SELECT current_user").query(String.class).single())
                    .isEqualTo(EmbeddedDatabaseConfiguration.RUNTIME_USER);
            assertThat(mode(pgdata.resolve(EmbeddedDatabaseConfiguration.PASSWORD_FILE))).isEqualTo("rw-------");
            assertThat(Files.readString(pgdata.resolve("pg_hba.conf"))).doesNotContainPattern("(?m)^[^#].*trust");
        }
    }

    private static void assertRefusedWithoutTheRightPassword(int port) {
        for (String user : new String[] {"postgres", EmbeddedDatabaseConfiguration.RUNTIME_USER}) {
            for (String host : new String[] {"127.0.0.1", "[::1]"}) {
                assertThatThrownBy(() -> connect(host, port, user, null).close())
                        .as(user + "@" + host + " without a password")
                        .isInstanceOf(SQLException.class)
                        // "::1" answers only where the machine has IPv6 loopback
                        .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("password", "refused"))
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("trust"));
            }
            assertThatThrownBy(() -> connect("127.0.0.1", port, user, "not-the-password").close())
                    .as(user + " with a wrong password")
                    .hasMessageContaining("password authentication failed");
        }
    }

    private static String query(int port, String user, String password, String sql) throws SQLException {
        try (Connection connection = connect("127.0.0.1", port, user, password);
                Statement statement = connection.createStatement();
                var result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    private static Connection connect(String host, int port, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", properties);
    }

    private static ConsoleProperties properties(Path dataDir) {
        return new ConsoleProperties(dataDir);
    }

    private static String mode(Path path) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
