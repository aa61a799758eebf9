package io.eksaccess.console.cluster;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The cluster registry table. */
@Repository
public class ClusterRepository {

    private final JdbcClient jdbc;

    ClusterRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Cluster> findAll() {
        return jdbc.sql("SELECT * FROM clusters ORDER BY name").query(ClusterRepository::map).list();
    }

    public long count() {
        return jdbc.sql("SELECT count(*) FROM clusters").query(Long.class).single();
    }

    /**
     * Registers a kubeconfig context, or refreshes its endpoint if it is already registered.
     * A cluster of the same name from another source is left alone.
     *
     * @return true when the registry changed
     */
    boolean upsertFromKubeconfig(String name, String apiServerUrl, String context) {
        return jdbc.sql("""
                        INSERT INTO clusters (name, source, api_server_url, kube_context)
                        VALUES (:name, 'KUBECONFIG', :url, :context)
                        ON CONFLICT (name) DO UPDATE
                           SET api_server_url = EXCLUDED.api_server_url, updated_at = now()
                         WHERE clusters.source = 'KUBECONFIG'
                           AND clusters.kube_context = EXCLUDED.kube_context
                           AND clusters.api_server_url IS DISTINCT FROM EXCLUDED.api_server_url
                        """)
                .param("name", name)
                .param("url", apiServerUrl)
                .param("context", context)
                .update() > 0;
    }

    private static Cluster map(ResultSet rs, int row) throws SQLException {
        return new Cluster(
                rs.getLong("id"),
                rs.getString("name"),
                ClusterSource.valueOf(rs.getString("source")),
                rs.getString("api_server_url"),
                rs.getString("kube_context"),
                rs.getBoolean("enabled"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
