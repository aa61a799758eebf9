package io.eksaccess.console.system;

import java.time.Duration;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;

/**
 * Spring Session JDBC rewrites the session row on every request just to move its last-access
 * time: a committed write in PostgreSQL per page view. Its UPDATE here keeps the write when the
 * id, principal or timeout changed, or when the stored access time is {@link #TOUCH_INTERVAL} old;
 * otherwise it matches no row. Attribute changes are separate statements and always written. A
 * session therefore expires at most one interval early (server.servlet.session.timeout is 30 min).
 * {@link ThrottledSessionRepository} keeps the library from sending that UPDATE at all when only a
 * recent access time changed.
 */
@Configuration(proxyBeanMethods = false)
class SessionStoreConfiguration {

    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    /** The library's parameters in the library's order: id, access time, timeout, expiry, principal; key. */
    static final String UPDATE_SESSION_QUERY = """
            UPDATE %%TABLE_NAME%% S
               SET SESSION_ID = V.SESSION_ID, LAST_ACCESS_TIME = V.LAST_ACCESS_TIME,
                   MAX_INACTIVE_INTERVAL = V.MAX_INACTIVE_INTERVAL, EXPIRY_TIME = V.EXPIRY_TIME,
                   PRINCIPAL_NAME = V.PRINCIPAL_NAME
              FROM (SELECT CAST(? AS CHAR(36)) AS SESSION_ID, CAST(? AS BIGINT) AS LAST_ACCESS_TIME,
                           CAST(? AS INT) AS MAX_INACTIVE_INTERVAL, CAST(? AS BIGINT) AS EXPIRY_TIME,
                           CAST(? AS VARCHAR(100)) AS PRINCIPAL_NAME) V
             WHERE S.PRIMARY_ID = ?
               AND (S.SESSION_ID <> V.SESSION_ID OR S.MAX_INACTIVE_INTERVAL <> V.MAX_INACTIVE_INTERVAL
                    OR S.PRINCIPAL_NAME IS DISTINCT FROM V.PRINCIPAL_NAME
                    OR V.LAST_ACCESS_TIME - S.LAST_ACCESS_TIME >= %d)
            """.formatted(TOUCH_INTERVAL.toMillis());

    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> sessionTouchThrottle() {
        return repository -> repository.setUpdateSessionQuery(UPDATE_SESSION_QUERY);
    }

    /**
     * Two requests of one session at once (a double click, a second tab) may both add the same new attribute
     * (the flash message of a POST's redirect): the second INSERT then broke the unique key and its answer
     * was a 500 page saying nothing was changed, after the POST's work had been committed. The last write wins.
     */
    static final String CREATE_SESSION_ATTRIBUTE_QUERY = """
            INSERT INTO %TABLE_NAME%_ATTRIBUTES (SESSION_PRIMARY_ID, ATTRIBUTE_NAME, ATTRIBUTE_BYTES)
            VALUES (?, ?, ?)
            ON CONFLICT (SESSION_PRIMARY_ID, ATTRIBUTE_NAME) DO UPDATE SET ATTRIBUTE_BYTES = EXCLUDED.ATTRIBUTE_BYTES
            """;

    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> concurrentAttributeWrites() {
        return repository -> repository.setCreateSessionAttributeQuery(CREATE_SESSION_ATTRIBUTE_QUERY);
    }

    /**
     * Spring Session has no hook to decorate its repository (a SessionRepository bean of our own would
     * switch Boot's JDBC session configuration off), so the library's bean is wrapped once it is set up;
     * its cleanup job and shutdown stay with the original.
     */
    @Bean
    static BeanPostProcessor sessionTouchSkipper() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof JdbcIndexedSessionRepository jdbc
                        ? new ThrottledSessionRepository(jdbc, TOUCH_INTERVAL) : bean;
            }
        };
    }

    /** The library's conversions, with the security context remembered by its bytes ({@link SessionAttributeDeserializer}). */
    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> sessionAttributeConversions() {
        GenericConversionService conversions = new GenericConversionService();
        ClassLoader classLoader = SessionStoreConfiguration.class.getClassLoader();
        conversions.addConverter(Object.class, byte[].class, new SerializingConverter());
        conversions.addConverter(byte[].class, Object.class, new SessionAttributeDeserializer(classLoader));
        return repository -> repository.setConversionService(conversions);
    }
}
