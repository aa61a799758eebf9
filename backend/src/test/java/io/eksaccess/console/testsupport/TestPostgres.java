package io.eksaccess.console.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL the tests use: {@code EKS_CONSOLE_TEST_DB_URL} (a server of your own, e.g. the
 * Debian one or a Testcontainers-started one; user and password in the URL) or else one real
 * embedded PostgreSQL started once per test run. Each caller gets a fresh database in it.
 */
public final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static String adminUrl;
    private static String template;

    private TestPostgres() {}

    /**
     * A JDBC URL (with credentials) of a new database that already holds the console's schema: a copy
     * of a template the migrations ran on once per run (a console starting on it finds nothing to
     * migrate). Copying costs PostgreSQL a file copy; running the migrations cost every console a second
     * or more. Tests of migrating itself take {@link #newEmptyDatabase}.
     */
    public static synchronized String newDatabase() {
        return create(" TEMPLATE " + migratedTemplate());
    }

    /** A JDBC URL (with credentials) of a new, empty database: the console migrates it as it starts. */
    public static synchronized String newEmptyDatabase() {
        return create("");
    }

    private static String create(String template) {
        String name = "console_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(adminUrl());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + template);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database on " + adminUrl() + ": " + e.getMessage(), e);
        }
        return urlOf(name);
    }

    private static String urlOf(String database) {
        return adminUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
    }

    /** Migrated as the console migrates (db/migration from the classpath), and then never connected to again. */
    private static String migratedTemplate() {
        if (template == null) {
            String url = newEmptyDatabase();
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(url);
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            template = url.replaceFirst(".*/([^/?]+)(\\?.*)?$", "$1");
        }
        return template;
    }

    /**
     * A new database set up as production should be: {@code ownerUrl} runs the migrations,
     * {@code appUrl} logs in as a role of its own that is a member of {@code eks_console_app}
     * (V11) and nothing more. Register both with {@link #register}.
     */
    public record AppRoleDatabase(String ownerUrl, String appUrl, String appUser) {}

    public static synchronized AppRoleDatabase newDatabaseWithAppRole() {
        String ownerUrl = newEmptyDatabase(); // the owner's migrations are part of the split
        String user = ownerUrl.replaceFirst(".*/([^/?]+)(\\?.*)?$", "$1") + "_app";
        String password = "app-" + Long.toHexString(System.nanoTime());
        try (Connection connection = DriverManager.getConnection(adminUrl());
                Statement statement = connection.createStatement()) {
            statement.execute("""
                    DO $$
                    BEGIN
                        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'eks_console_app') THEN
                            CREATE ROLE eks_console_app NOLOGIN;
                        END IF;
                    END
                    $$""");
            statement.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + password + "' IN ROLE eks_console_app");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the app role on " + adminUrl() + ": " + e.getMessage(), e);
        }
        String withoutCredentials = ownerUrl.replaceFirst("\\?.*$", "");
        return new AppRoleDatabase(ownerUrl, withoutCredentials + "?user=" + user + "&password=" + password, user);
    }

    /** Spring's own split: Flyway as the owner, everything else as the app role. */
    public static void register(org.springframework.test.context.DynamicPropertyRegistry registry, AppRoleDatabase database) {
        registry.add("spring.datasource.url", Once.of(database::appUrl));
        registry.add("spring.flyway.url", Once.of(database::ownerUrl));
        registry.add("spring.flyway.user", Once.of(() -> userOf(database.ownerUrl())));
        registry.add("spring.flyway.password", Once.of(() -> passwordOf(database.ownerUrl())));
    }

    private static String userOf(String url) {
        return url.matches(".*[?&]user=([^&]*).*") ? url.replaceFirst(".*[?&]user=([^&]*).*", "$1") : "";
    }

    private static String passwordOf(String url) {
        return url.matches(".*[?&]password=([^&]*).*") ? url.replaceFirst(".*[?&]password=([^&]*).*", "$1") : "";
    }

    private static String adminUrl() {
        if (adminUrl != null) {
            return adminUrl;
        }
        String configured = System.getenv("EKS_CONSOLE_TEST_DB_URL");
        if (configured != null && !configured.isBlank()) {
            adminUrl = configured;
            return adminUrl;
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(TestInfra.freshDir("postgres-"))
                    .setCleanDataDirectory(true)
                    // Scratch data: no durability. Each CREATE DATABASE forces checkpoints, which with
                    // fsync took seconds on a busy 2-core machine for every test class's database.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the data directory is scratch
                }
            }));
            adminUrl = postgres.getJdbcUrl("postgres", "postgres");
            return adminUrl;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL for the tests did not start", e);
        }
    }
}
