package io.eksaccess.console.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Says at start-up when the console's own database role could rewrite the audit history (one user
 * for migrations and runtime): then only the trigger protects it. README: Database roles.
 */
@Component
class AuditPrivilegesCheck {

    private static final Logger log = LoggerFactory.getLogger(AuditPrivilegesCheck.class);

    private final JdbcClient jdbc;

    AuditPrivilegesCheck(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warnIfTheAuditHistoryIsRewritable() {
        Boolean rewritable = jdbc.sql("""
                        SELECT has_table_privilege('audit_events', 'UPDATE')
                            OR has_table_privilege('audit_events', 'DELETE')
                            OR has_table_privilege('audit_events', 'TRUNCATE')""")
                .query(Boolean.class).single();
        if (Boolean.TRUE.equals(rewritable)) {
            log.warn("The console's database role may UPDATE/DELETE audit_events (only the trigger refuses it)."
                    + " Run the console as a member of eks_console_app and migrate as the owner"
                    + " (spring.flyway.user); see README, Database roles.");
        }
    }
}
