package io.eksaccess.console.system.database;

import com.zaxxer.hikari.HikariDataSource;
import io.eksaccess.console.system.ConsoleProperties;
import io.eksaccess.console.system.OwnerOnlyFiles;
import io.eksaccess.console.system.StartupConfigurationException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * A real PostgreSQL started inside the console when {@code spring.datasource.url} is not set, so
 * that the console runs with no set-up. Its data lives in {@code <console.data-dir>/postgres} and
 * survives restarts. Like an external database, it is migrated by its owner and used by a
 * runtime role without rights to rewrite the audit history.
 *
 * <p>Local OS users are not trusted: every connection, over TCP or the Unix socket, needs a
 * password (scram-sha-256). The superuser's is made at the first start and kept in
 * {@value #PASSWORD_FILE} in the data directory (0600; the directory 0700); the runtime role's is
 * new on every start and lives in this process only. A data directory made by an earlier version
 * (which trusted every local connection) gets both on its next start, before the server listens.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDatasourceUrlCondition.class)
public class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);
    /** The embedded default's runtime login; a member of eks_console_app. */
    static final String RUNTIME_USER = "eks_console_runtime";
    static final String SUPERUSER = "postgres";
    /** The superuser's password, in the data directory, for the console and for an operator's psql. */
    static final String PASSWORD_FILE = "console-superuser-password";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** New on every start; set on the role by {@link #dataSource}. */
    private final String runtimePassword = newPassword();
    /** Read or made by {@link #embeddedPostgres}, for the migrations. */
    private volatile String superuserPassword;

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(ConsoleProperties properties) {
        Path dataDirectory = properties.dataDir().resolve("postgres").toAbsolutePath().normalize();
        try {
            OwnerOnlyFiles.directory(dataDirectory);
            Path passwordFile = dataDirectory.resolve(PASSWORD_FILE);
            String password = Files.exists(passwordFile) ? Files.readString(passwordFile).strip() : newPassword();
            if (password.isEmpty()) {
                throw new IOException(passwordFile + " is empty; delete it to have a new password set");
            }
            superuserPassword = password;
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setConnectConfig("password", password)
                    // After initdb (which trusts everyone), before the server starts: no moment of trust.
                    .setDataDirectoryCustomizer(directory -> requirePasswords(directory.toPath(), password))
                    .start();
            log.info("Embedded PostgreSQL is running on port {} with its data in {}", postgres.getPort(), dataDirectory);
            return postgres;
        } catch (IOException | RuntimeException e) {
            throw new StartupConfigurationException(
                    "The embedded PostgreSQL could not start in " + dataDirectory + " (" + e.getMessage() + ").",
                    "Make sure console.data-dir is writable and not used by another running console,"
                            + " or set spring.datasource.url to an external PostgreSQL.",
                    e);
        }
    }

    /**
     * What the console runs with: a login role that is a member of {@code eks_console_app} (V11),
     * so it cannot rewrite the audit history, and that logs in with this start's password.
     */
    @Bean(destroyMethod = "close")
    @Primary
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        createRuntimeRole(postgres, runtimePassword);
        return pool(postgres, RUNTIME_USER, runtimePassword, "embedded-postgres");
    }

    /** The owner (the server's superuser) only migrates; the pool closes once migrations ran. */
    @Bean(destroyMethod = "close")
    @FlywayDataSource
    HikariDataSource migrationDataSource(EmbeddedPostgres postgres) {
        HikariDataSource owner = pool(postgres, SUPERUSER, superuserPassword, "embedded-postgres-migrations");
        owner.setMinimumIdle(0);
        owner.setMaximumPoolSize(2);
        return owner;
    }

    private static HikariDataSource pool(EmbeddedPostgres postgres, String user, String password, String name) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl(user, "postgres"));
        dataSource.setUsername(user);
        dataSource.setPassword(password);
        dataSource.setPoolName(name);
        dataSource.setMaximumPoolSize(10);
        return dataSource;
    }

    /** Keeps the password file, sets the superuser's password, and lets nothing in without one. */
    private static void requirePasswords(Path dataDirectory, String password) {
        try {
            Path passwordFile = dataDirectory.resolve(PASSWORD_FILE);
            if (Files.exists(passwordFile)) {
                OwnerOnlyFiles.restrict(passwordFile);
            } else {
                OwnerOnlyFiles.write(passwordFile, password + "\n");
            }
            OwnerOnlyFiles.restrict(dataDirectory);
            EmbeddedPostgresBinaries.runSingleUser(dataDirectory,
                    "ALTER ROLE " + SUPERUSER + " WITH PASSWORD '" + password + "';", password);
            OwnerOnlyFiles.write(dataDirectory.resolve("pg_hba.conf"), """
                    # Written by the EKS Access Console on every start of its embedded PostgreSQL: every
                    # connection needs a password. The superuser's is in %s beside this file.
                    local   all   all                 scram-sha-256
                    host    all   all   127.0.0.1/32  scram-sha-256
                    host    all   all   ::1/128       scram-sha-256
                    """.formatted(PASSWORD_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("could not require passwords in " + dataDirectory, e);
        }
    }

    private static void createRuntimeRole(EmbeddedPostgres postgres, String password) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("""
                    DO $$
                    BEGIN
                        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'eks_console_app') THEN
                            CREATE ROLE eks_console_app NOLOGIN;
                        END IF;
                        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%1$s') THEN
                            CREATE ROLE %1$s LOGIN IN ROLE eks_console_app;
                        END IF;
                    END
                    $$""".formatted(RUNTIME_USER));
            statement.execute("ALTER ROLE " + RUNTIME_USER + " WITH LOGIN PASSWORD '" + password + "'");
        } catch (SQLException e) {
            throw new StartupConfigurationException(
                    "The embedded PostgreSQL did not accept the console's runtime role (" + e.getMessage() + ").",
                    "Remove " + "<console.data-dir>/postgres if it was made by something else, or set"
                            + " spring.datasource.url to an external PostgreSQL.",
                    e);
        }
    }

    /** 32 random bytes in hex: nothing to quote in SQL or a connection string. */
    static String newPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
