package io.eksaccess.console.cluster;

import io.eksaccess.console.system.ConsoleException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The cluster registry table. */
@Repository
public class ClusterRepository {

    /** How long {@link #findByNameRecent} trusts a row it read (writes through this class forget it at once). */
    static final long RECENT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final JdbcClient jdbc;
    /** Rows by name for {@link #findByNameRecent}, and a count of writes so a read racing one is not kept. */
    private final Map<String, Recent> recent = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();
    private final LongSupplier nanoTime;

    private record Recent(Optional<Cluster> cluster, long readAt, long writes) {}

    @Autowired
    ClusterRepository(JdbcClient jdbc) {
        this(jdbc, System::nanoTime);
    }

    ClusterRepository(JdbcClient jdbc, LongSupplier nanoTime) {
        this.jdbc = jdbc;
        this.nanoTime = nanoTime;
    }

    public List<Cluster> findAll() {
        return jdbc.sql("SELECT * FROM clusters ORDER BY name").query(ClusterRepository::map).list();
    }

    public long count() {
        return jdbc.sql("SELECT count(*) FROM clusters").query(Long.class).single();
    }

    /**
     * Registers a kubeconfig context, or refreshes its endpoint if that context of that file is
     * registered already (under whatever name an admin gave it). A name taken by another cluster
     * is left alone.
     *
     * @return true when the registry changed
     */
    boolean upsertFromKubeconfig(String name, String apiServerUrl, String context, String kubeconfigPath) {
        int refreshed = written(jdbc.sql("""
                        UPDATE clusters SET api_server_url = :url, updated_at = now()
                         WHERE source = 'KUBECONFIG' AND kube_context = :context AND kubeconfig_path = :path
                           AND api_server_url IS DISTINCT FROM :url
                        """)
                .param("url", apiServerUrl).param("context", context).param("path", kubeconfigPath)
                .update());
        boolean known = jdbc.sql("""
                        SELECT count(*) FROM clusters
                         WHERE source = 'KUBECONFIG' AND kube_context = :context AND kubeconfig_path = :path
                        """)
                .param("context", context).param("path", kubeconfigPath)
                .query(Long.class).single() > 0;
        if (known) {
            return refreshed > 0;
        }
        return written(jdbc.sql("""
                        INSERT INTO clusters (name, source, api_server_url, kube_context, kubeconfig_path)
                        VALUES (:name, 'KUBECONFIG', :url, :context, :path)
                        ON CONFLICT (name) DO NOTHING
                        """)
                .param("name", name).param("url", apiServerUrl).param("context", context).param("path", kubeconfigPath)
                .update()) > 0;
    }

    /**
     * Points the kubeconfig-sourced cluster {@code name} at another context and file, e.g. the demo
     * cluster after a restart on a new port.
     *
     * @return true when something changed
     */
    public boolean repointKubeconfig(String name, String apiServerUrl, String context, String kubeconfigPath) {
        return written(jdbc.sql("""
                        UPDATE clusters SET api_server_url = :url, kube_context = :context, kubeconfig_path = :path,
                                            updated_at = now()
                         WHERE name = :name AND source = 'KUBECONFIG'
                           AND (api_server_url IS DISTINCT FROM :url OR kube_context IS DISTINCT FROM :context
                                OR kubeconfig_path IS DISTINCT FROM :path)
                        """)
                .param("name", name).param("url", apiServerUrl).param("context", context).param("path", kubeconfigPath)
                .update()) > 0;
    }

    /**
     * Records EKS details of a kubeconfig-sourced cluster that EKS discovery cannot see: the demo
     * cluster, whose access entries live in a local double of the EKS API. Null details clear them.
     *
     * @return true when such a cluster exists
     */
    public boolean describeAsEks(String name, String accountId, String region, String eksClusterName,
            String authenticationMode, Boolean bootstrapCreatorAdmin) {
        return written(jdbc.sql("""
                        UPDATE clusters SET aws_account_id = :account, aws_region = :region, eks_cluster_name = :eks,
                                            eks_authentication_mode = :mode, eks_bootstrap_creator_admin = :bootstrap,
                                            updated_at = now()
                         WHERE name = :name AND source = 'KUBECONFIG'
                        """)
                .param("name", name).param("account", accountId).param("region", region).param("eks", eksClusterName)
                .param("mode", authenticationMode).param("bootstrap", bootstrapCreatorAdmin)
                .update()) > 0;
    }

    /** Adds a cluster an admin entered by hand (a kubeconfig context on the console's host). */
    public void insertManual(String name, String apiServerUrl, String context, String kubeconfigPath) {
        written(jdbc.sql("""
                        INSERT INTO clusters (name, source, api_server_url, kube_context, kubeconfig_path)
                        VALUES (:name, 'MANUAL', :url, :context, :path)
                        """)
                .param("name", name).param("url", apiServerUrl).param("context", context).param("path", kubeconfigPath)
                .update());
    }

    /** @return true when it was not registered before */
    boolean insertInCluster(String name, String apiServerUrl) {
        return written(jdbc.sql("""
                        INSERT INTO clusters (name, source, api_server_url) VALUES (:name, 'IN_CLUSTER', :url)
                        ON CONFLICT (name) DO NOTHING
                        """)
                .param("name", name).param("url", apiServerUrl).update()) > 0;
    }

    public boolean exists(String name) {
        return jdbc.sql("SELECT count(*) FROM clusters WHERE name = :name").param("name", name).query(Long.class).single() > 0;
    }

    public boolean rename(String from, String to) {
        return written(jdbc.sql("UPDATE clusters SET name = :to, updated_at = now() WHERE name = :from")
                .param("from", from).param("to", to).update()) > 0;
    }

    public boolean setEnabled(String name, boolean enabled) {
        return written(jdbc.sql(
                        "UPDATE clusters SET enabled = :enabled, updated_at = now() WHERE name = :name AND enabled <> :enabled")
                .param("name", name).param("enabled", enabled).update()) > 0;
    }

    /** After the console changed it (discovery would notice on its next pass; pages should not wait for it). */
    public boolean setEksAuthenticationMode(String name, String mode) {
        return written(jdbc.sql("UPDATE clusters SET eks_authentication_mode = :mode, updated_at = now() WHERE name = :name")
                .param("name", name).param("mode", mode).update()) > 0;
    }

    public boolean delete(String name) {
        return written(jdbc.sql("DELETE FROM clusters WHERE name = :name").param("name", name).update()) > 0;
    }

    /**
     * Registers or refreshes a discovered EKS cluster. It is known by its EKS name, unless another
     * cluster already has that name; then by {@code name-region-account}.
     *
     * @return the console's name for it
     */
    @Transactional
    String upsertFromEks(io.eksaccess.console.cluster.eks.DiscoveredEksCluster found) {
        // Look up, pick a name and insert as one step per EKS cluster: two discoveries at once (the
        // scheduled job and an explicit run) would otherwise both miss the row and register it twice.
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('eks-discovery:' || :region || ':' || :account || ':' || :eks))")
                .param("region", found.region()).param("account", String.valueOf(found.accountId()))
                .param("eks", found.name())
                .query(Object.class).optional();
        String existing = jdbc.sql("""
                        SELECT name FROM clusters
                         WHERE source = 'EKS' AND eks_cluster_name = :eks AND aws_region = :region
                           AND aws_account_id IS NOT DISTINCT FROM :account
                        """)
                .param("eks", found.name()).param("region", found.region()).param("account", found.accountId())
                .query(String.class).optional().orElse(null);
        String name = existing;
        if (name == null) {
            boolean taken = jdbc.sql("SELECT count(*) FROM clusters WHERE name = :name").param("name", found.name())
                    .query(Long.class).single() > 0;
            name = taken ? (found.name() + "-" + found.region() + "-" + found.accountId()) : found.name();
        }
        written(jdbc.sql("""
                        INSERT INTO clusters (name, source, api_server_url, aws_account_id, aws_region, eks_cluster_name,
                                              ca_data, aws_role_arn, eks_authentication_mode, eks_bootstrap_creator_admin,
                                              endpoint_public_access, endpoint_private_access, public_access_cidrs,
                                              discovered_at)
                        VALUES (:name, 'EKS', :url, :account, :region, :eks, :ca, :role, :mode, :bootstrap, :public,
                                :private, :cidrs, now())
                        ON CONFLICT (name) DO UPDATE
                           SET api_server_url = EXCLUDED.api_server_url, ca_data = EXCLUDED.ca_data,
                               aws_role_arn = EXCLUDED.aws_role_arn,
                               eks_authentication_mode = EXCLUDED.eks_authentication_mode,
                               eks_bootstrap_creator_admin = EXCLUDED.eks_bootstrap_creator_admin,
                               endpoint_public_access = EXCLUDED.endpoint_public_access,
                               endpoint_private_access = EXCLUDED.endpoint_private_access,
                               public_access_cidrs = EXCLUDED.public_access_cidrs,
                               discovered_at = now(), updated_at = now()
                         WHERE clusters.source = 'EKS'
                        """)
                .param("name", name)
                .param("url", found.endpoint())
                .param("account", found.accountId())
                .param("region", found.region())
                .param("eks", found.name())
                .param("ca", found.caData())
                .param("role", found.roleArn())
                .param("mode", found.authenticationMode())
                .param("bootstrap", found.bootstrapCreatorAdmin())
                .param("public", found.endpointPublicAccess())
                .param("private", found.endpointPrivateAccess())
                .param("cidrs", found.publicAccessCidrs().toArray(String[]::new))
                .update());
        return name;
    }

    public java.util.Optional<Cluster> findByName(String name) {
        return jdbc.sql("SELECT * FROM clusters WHERE name = :name").param("name", name).query(ClusterRepository::map).optional();
    }

    /** The named cluster, or the console's not-found refusal that names it (the 404 page shows which). */
    public Cluster require(String name) {
        return findByName(name).orElseThrow(() -> ConsoleException.notFound("error.cluster.no-cluster", name));
    }

    /**
     * {@link #findByName}, answered from a read of the last second: the JSON API asks for the row on
     * every question (is this an EKS cluster whose access entries are read?), and that query was a
     * sixth of a who-can call (issue 19). A write through this class is seen at once; one made by
     * another replica, within a second (its caches follow only at the next reconcile anyway).
     */
    public Optional<Cluster> findByNameRecent(String name) {
        long now = nanoTime.getAsLong();
        Recent last = recent.get(name);
        long writesBefore = writes.get();
        if (last != null && last.writes() == writesBefore && now - last.readAt() < RECENT_NANOS) {
            return last.cluster();
        }
        Optional<Cluster> cluster = findByName(name);
        if (recent.size() >= 1_000) {
            recent.clear(); // names come from URLs: keep the map small whatever is asked
        }
        recent.put(name, new Recent(cluster, now, writesBefore));
        return cluster;
    }

    /** Every write to the table goes through here, so {@link #findByNameRecent} forgets what it read. */
    private int written(int rows) {
        writes.incrementAndGet();
        return rows;
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
                rs.getString("aws_account_id"),
                rs.getString("aws_region"),
                rs.getString("eks_cluster_name"),
                rs.getString("aws_role_arn"),
                rs.getString("ca_data"),
                rs.getString("eks_authentication_mode"),
                (Boolean) rs.getObject("eks_bootstrap_creator_admin"),
                (Boolean) rs.getObject("endpoint_public_access"),
                (Boolean) rs.getObject("endpoint_private_access"),
                rs.getArray("public_access_cidrs") == null
                        ? List.of()
                        : List.of((String[]) rs.getArray("public_access_cidrs").getArray()),
                rs.getBoolean("enabled"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
