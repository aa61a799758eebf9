package io.eksaccess.console.notification;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Rows of {@code notification_endpoints}. Reads for pages leave the secret and the URL in the database. */
@Repository
class NotificationEndpointRepository {

    /** What a change writes; a null url or secret means "keep the stored one". */
    record Write(String name, EndpointKind kind, String url, List<NotificationType> eventTypes, boolean enabled) {}

    /** The stored URL and secret, for sending only. */
    record Target(long id, String name, EndpointKind kind, String url, String secret) {}

    private static final String COLUMNS =
            "id, name, kind, url, event_types, signing_secret IS NOT NULL AS signed, enabled, updated_at";

    private final JdbcClient jdbc;

    NotificationEndpointRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<NotificationEndpoint> findAll() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notification_endpoints ORDER BY lower(name)")
                .query(NotificationEndpointRepository::endpoint).list();
    }

    Optional<NotificationEndpoint> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notification_endpoints WHERE id = :id")
                .param("id", id).query(NotificationEndpointRepository::endpoint).optional();
    }

    Optional<Target> target(long id) {
        return jdbc.sql("SELECT id, name, kind, url, signing_secret FROM notification_endpoints WHERE id = :id")
                .param("id", id)
                .query((rs, row) -> new Target(rs.getLong("id"), rs.getString("name"),
                        EndpointKind.valueOf(rs.getString("kind")), rs.getString("url"), rs.getString("signing_secret")))
                .optional();
    }

    boolean nameTaken(String name, Long exceptId) {
        return jdbc.sql("SELECT count(*) FROM notification_endpoints WHERE lower(name) = lower(:name) AND id <> :except")
                .param("name", name).param("except", exceptId == null ? -1L : exceptId)
                .query(Long.class).single() > 0;
    }

    long insert(Write write, String secret) {
        return jdbc.sql("""
                        INSERT INTO notification_endpoints (name, kind, url, event_types, signing_secret, enabled)
                        VALUES (:name, :kind, :url, CAST(:types AS text[]), :secret, :enabled)
                        RETURNING id""")
                .param("name", write.name())
                .param("kind", write.kind().name())
                .param("url", write.url())
                .param("types", arrayLiteral(write.eventTypes()))
                .param("secret", secret)
                .param("enabled", write.enabled())
                .query(Long.class).single();
    }

    /**
     * @param secretChange null keeps the secret, "" removes it, anything else replaces it
     */
    void update(long id, Write write, String secretChange) {
        jdbc.sql("""
                        UPDATE notification_endpoints
                           SET name = :name, kind = :kind, url = COALESCE(:url, url), event_types = CAST(:types AS text[]),
                               enabled = :enabled, updated_at = now(),
                               signing_secret = CASE WHEN CAST(:secretChange AS text) IS NULL THEN signing_secret
                                                     ELSE NULLIF(CAST(:secretChange AS text), '') END
                         WHERE id = :id""")
                .param("id", id)
                .param("name", write.name())
                .param("kind", write.kind().name())
                .param("url", write.url())
                .param("types", arrayLiteral(write.eventTypes()))
                .param("secretChange", secretChange)
                .param("enabled", write.enabled())
                .update();
    }

    boolean delete(long id) {
        return jdbc.sql("DELETE FROM notification_endpoints WHERE id = :id").param("id", id).update() > 0;
    }

    /** Event type names are enum constants, so the literal needs no quoting. */
    private static String arrayLiteral(List<NotificationType> types) {
        return "{" + String.join(",", types.stream().map(Enum::name).toList()) + "}";
    }

    private static NotificationEndpoint endpoint(ResultSet rs, int row) throws SQLException {
        return new NotificationEndpoint(
                rs.getLong("id"),
                rs.getString("name"),
                EndpointKind.valueOf(rs.getString("kind")),
                NotificationEndpoint.destinationOf(rs.getString("url")),
                eventTypes(rs.getArray("event_types")),
                rs.getBoolean("signed"),
                rs.getBoolean("enabled"),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static List<NotificationType> eventTypes(Array array) throws SQLException {
        List<NotificationType> types = new ArrayList<>();
        for (String name : (String[]) array.getArray()) {
            Arrays.stream(NotificationType.values()).filter(t -> t.name().equals(name)).findFirst().ifPresent(types::add);
        }
        return types;
    }
}
