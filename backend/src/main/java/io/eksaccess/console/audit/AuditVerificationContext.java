package io.eksaccess.console.audit;

import io.eksaccess.console.system.ConsoleProperties;
import io.eksaccess.console.system.database.EmbeddedDatabaseConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The little the {@code audit verify} command needs: the configured database (or the embedded one
 * in the data directory), the chain key if one is configured, and the verifier. No web server, no
 * migrations, no cluster connections.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
@ImportAutoConfiguration({
    DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class
})
@Import({EmbeddedDatabaseConfiguration.class, AuditChainKey.class, AuditChainVerifier.class})
public class AuditVerificationContext {}
