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
    boolean upsertFromKubeconfig(String name, String apiServerUrl, String context, String kubeconfigPath) {
        return jdbc.sql("""
                        INSERT INTO clusters (name, source, api_server_url, kube_context, kubeconfig_path)
                        VALUES (:name, 'KUBECONFIG', :url, :context, :path)
                        ON CONFLICT (name) DO UPDATE
                           SET api_server_url = EXCLUDED.api_server_url,
                               kubeconfig_path = EXCLUDED.kubeconfig_path,
                               updated_at = now()
                         WHERE clusters.source = 'KUBECONFIG'
                           AND clusters.kube_context = EXCLUDED.kube_context
                           AND (clusters.api_server_url IS DISTINCT FROM EXCLUDED.api_server_url
                                OR clusters.kubeconfig_path IS DISTINCT FROM EXCLUDED.kubeconfig_path)
                        """)
                .param("name", name)
                .param("url", apiServerUrl)
                .param("context", context)
                .param("path", kubeconfigPath)
                .update() > 0;
    }

    public java.util.Optional<Cluster> findByName(String name) {
        return jdbc.sql("SELECT * FROM clusters WHERE name = :name").param("name", name).query(ClusterRepository::map).optional();
    }

    public List<Cluster> findEnabled() {
        return jdbc.sql("SELECT * FROM clusters WHERE enabled ORDER BY name").query(ClusterRepository::map).list();
    }

    private static Cluster map(ResultSet rs, int row) throws SQLException {
        return new Cluster(
                rs.getLong("id"),
                rs.getString("name"),
                ClusterSource.valueOf(rs.getString("source")),
                rs.getString("api_server_url"),
                rs.getString("kube_context"),
                rs.getString("kubeconfig_path"),
                rs.getString("aws_region"),
                rs.getString("eks_cluster_name"),
                rs.getString("aws_role_arn"),
                rs.getString("ca_data"),
                rs.getBoolean("enabled"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
