package io.eksaccess.console.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.AliasFor;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.test.context.ContextConfiguration;

/**
 * The console on a random port with a database of its own in {@link TestPostgres}: the one shape of
 * a console integration test.
 *
 * <p>Spring's test context cache reuses a started console for every class whose configuration is
 * the same, so classes carrying only this annotation (same {@link #properties}, no
 * {@code @DynamicPropertySource}, {@code @MockitoBean}, {@code @Import} or {@code @DirtiesContext})
 * share one console and one database. Such tests isolate themselves by names and ids of their own
 * (a cluster name, a request id, an audit row's sequence), never by counting a whole table.
 * A class that breaks what it shares (e.g. tampers with the audit chain) says so with
 * {@code @DirtiesContext}: the console is closed after it and the next class gets a fresh one.
 * A {@code @DynamicPropertySource} of the class's own still works, at the price of a console of its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = ConsoleIntegrationTest.OwnDatabase.class)
public @interface ConsoleIntegrationTest {

    /** Extra {@code key=value} properties; classes with the same ones share a console. */
    @AliasFor(annotation = SpringBootTest.class, attribute = "properties")
    String[] properties() default {};

    /**
     * A new empty database per started console (not per class: classes sharing the console share it).
     * An initializer rather than a {@code @DynamicPropertySource}: the context cache keys on the
     * initializer's class, so every user of this annotation has the same configuration.
     */
    final class OwnDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("consoleIntegrationTest",
                    Map.of("spring.datasource.url", TestPostgres.newDatabase())));
            context.getEnvironment().getPropertySources().addLast(new TestInfraProperties());
        }
    }

    /**
     * {@code ${test.moto.endpoint}} for {@link #properties}: the run's moto double, started only when a
     * console's configuration names it. Resolved here rather than in a class's
     * {@code @DynamicPropertySource}, so the classes naming it can share one console.
     */
    final class TestInfraProperties extends PropertySource<Object> {

        static final String MOTO_ENDPOINT = "test.moto.endpoint";

        TestInfraProperties() {
            super("testInfra");
        }

        @Override
        public Object getProperty(String name) {
            return MOTO_ENDPOINT.equals(name) ? MotoServer.get().endpoint().toString() : null;
        }
    }
}
