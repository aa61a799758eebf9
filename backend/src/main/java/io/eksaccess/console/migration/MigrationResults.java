package io.eksaccess.console.migration;

import io.eksaccess.console.accessentry.AccessEntriesLookup;
import io.eksaccess.console.accessentry.AuthenticationMode;
import io.eksaccess.console.accessentry.ClusterAccessEntries;
import io.eksaccess.console.accessentry.SyncedAccessEntries;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.AwsAuthUnreadableException;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.AccessEntriesCache;
import io.eksaccess.console.cluster.cache.CachedKind;
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.EksAccessEntries;
import io.eksaccess.console.rbac.ClusterRbacIndexes;
import io.eksaccess.console.rbac.RbacIndex;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Each cluster's migration plan, restored role paths, equivalence check and steps, computed off
 * the request path (as EKS-007's IAM dates are): first when its page is opened, then whenever its
 * inputs changed — aws-auth or RBAC in the cluster cache, a sync of the access entries, the mode or
 * EKS name in the registry — noticed on the entries' check interval or by a page view, and on an
 * admin's "recompute now". Results live in memory until the cluster is removed or disabled.
 * Page views and step filings read the last result: they never ask IAM ({@link RolePaths}) nor
 * run the equivalence check themselves.
 */
@Component
class MigrationResults implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(MigrationResults.class);

    /** The cached kinds a plan and its check are made of (as an RBAC index, with aws-auth). */
    private static final Set<CachedKind> KINDS = EnumSet.of(CachedKind.AWS_AUTH, CachedKind.ROLES,
            CachedKind.CLUSTER_ROLES, CachedKind.ROLE_BINDINGS, CachedKind.CLUSTER_ROLE_BINDINGS);

    /**
     * The versions of what a result is computed from: the cache (by identity) and its count of
     * changes, aws-auth's resourceVersion, the entries' sync (by identity: each sync is a new object)
     * and the registry's mode and EKS name.
     */
    record Inputs(ClusterCache cache, long changes, boolean read, String awsAuthVersion, EksAccessEntries entries,
            String mode, String eksName) {

        boolean same(Inputs other) {
            return other != null && cache == other.cache && changes == other.changes && read == other.read
                    && Objects.equals(awsAuthVersion, other.awsAuthVersion) && entries == other.entries
                    && Objects.equals(mode, other.mode) && Objects.equals(eksName, other.eksName);
        }

        public Instant entriesSyncedAt() {
            return entries == null ? null : entries.syncedAt();
        }
    }

    /**
     * One computation. {@code state}: no-aws-auth | unreadable | api | planned | failed ({@code reason}
     * says why for the last two); the plan's fields are null unless planned. {@code progress} carries no
     * open requests: those change on filing, not on a sync, and are added when shown.
     */
    record Result(Instant computedAt, Duration took, Inputs inputs, String state, String reason, AuthenticationMode mode,
            boolean entriesUnread, MigrationPlan plan, List<RolePaths.Restored> restored, boolean online,
            EquivalenceCheck.Result equivalence, MigrationSteps.Progress progress) {}

    /** The last result (null: none yet) and whether it is from the inputs there are now. */
    record Latest(Result result, boolean current) {}

    private final ClusterRepository clusters;
    private final ClusterCaches caches;
    private final AccessEntriesLookup entries;
    private final ClusterRbacIndexes indexes;
    private final RolePaths rolePaths;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Result> results = new ConcurrentHashMap<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    // One at a time, off the scheduler: a large cluster's check takes a while and asks IAM.
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "migration-plans");
        thread.setDaemon(true);
        return thread;
    });

    MigrationResults(ClusterRepository clusters, ClusterCaches caches, AccessEntriesLookup entries,
            ClusterRbacIndexes indexes, RolePaths rolePaths) {
        this.clusters = clusters;
        this.caches = caches;
        this.entries = entries;
        this.indexes = indexes;
        this.rolePaths = rolePaths;
    }

    /** For a page: the last result, and a recomputation queued when it is not from today's inputs. */
    Latest latest(Cluster cluster) {
        Result last = results.get(cluster.name());
        boolean current = last != null && last.inputs().same(inputs(cluster));
        if (!current) {
            schedule(cluster.name());
        }
        return new Latest(last, current);
    }

    /** Whether a computation for the cluster is queued or running. */
    boolean computing(String cluster) {
        return queued.contains(cluster) || running.contains(cluster);
    }

    /**
     * For filing a step: a result from today's inputs, waiting up to {@code wait} for one to be
     * computed (a step is filed on the state as it is, never on a plan made before a change).
     */
    Optional<Result> current(Cluster cluster, Duration wait) {
        Instant deadline = clock.instant().plus(wait);
        while (true) {
            Latest latest = latest(cluster);
            if (latest.current()) {
                return Optional.of(latest.result());
            }
            if (!clock.instant().isBefore(deadline)) {
                return Optional.empty();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** Queues a computation unless one is queued already; returns at once. */
    void schedule(String cluster) {
        if (queued.add(cluster)) {
            worker.execute(() -> run(cluster));
        }
    }

    @Scheduled(initialDelayString = "${console.clusters.eks.access-entries-check:5s}",
            fixedDelayString = "${console.clusters.eks.access-entries-check:5s}")
    void computeChanged() {
        List<Cluster> enabled = clusters.findEnabled();
        // Removed or disabled since: forgotten (a page view of a disabled cluster computes it again).
        results.keySet().removeIf(name -> enabled.stream().noneMatch(c -> c.name().equals(name)));
        for (Cluster cluster : enabled) {
            Result last = results.get(cluster.name());
            // Only clusters whose page was opened: most clusters are never migrated, and each check costs CPU.
            if (last != null && !last.inputs().same(inputs(cluster))) {
                schedule(cluster.name());
            }
        }
    }

    private void run(String name) {
        // Taken off the queue first: a change while computing queues the next computation.
        running.add(name);
        queued.remove(name);
        try {
            computeNow(name);
        } finally {
            running.remove(name);
        }
    }

    private void computeNow(String name) {
        Optional<Cluster> cluster = clusters.findByName(name);
        if (cluster.isEmpty()) {
            results.remove(name);
            return;
        }
        Inputs inputs = inputs(cluster.get());
        Instant started = clock.instant();
        try {
            Result result = compute(cluster.get(), inputs, started);
            results.put(name, result);
            log.info("cluster={} migration plan state={} took={}ms", name, result.state(), result.took().toMillis());
        } catch (RuntimeException e) {
            log.warn("cluster={} migration plan could not be computed", name, e);
            results.put(name, new Result(started, Duration.between(started, clock.instant()), inputs, "failed",
                    e.getClass().getSimpleName(), null, false, null, List.of(), false, null, null));
        }
    }

    Inputs inputs(Cluster cluster) {
        ClusterCache cache = caches.cache(cluster.name()).orElse(null);
        long changes = cache == null ? 0 : cache.changeCount(KINDS);
        boolean read = cache != null && cache.status().lastSyncedAt() != null;
        String awsAuthVersion = cache == null ? null
                : cache.awsAuth().map(ConfigMap::getMetadata).map(m -> m.getResourceVersion()).orElse(null);
        EksAccessEntries synced = caches.accessEntries(cluster.name()).flatMap(AccessEntriesCache::entries).orElse(null);
        return new Inputs(cache, changes, read, awsAuthVersion, synced, cluster.eksAuthenticationMode(),
                cluster.eksClusterName());
    }

    private Result compute(Cluster cluster, Inputs inputs, Instant started) {
        Optional<ConfigMap> configMap = inputs.cache() == null ? Optional.empty() : inputs.cache().awsAuth();
        if (configMap.isEmpty()) {
            return done(started, inputs, "no-aws-auth", null, null, false, null, null, null);
        }
        AwsAuthConfig awsAuth;
        try {
            Map<String, String> data = configMap.get().getData();
            awsAuth = AwsAuthParser.read(data == null ? Map.of() : data);
        } catch (AwsAuthUnreadableException e) {
            return done(started, inputs, "unreadable", e.getMessage(), null, false, null, null, null);
        }
        Optional<SyncedAccessEntries> synced = entries.synced(cluster);
        ClusterAccessEntries current = synced.map(SyncedAccessEntries::entries).orElseGet(() -> unsynced(cluster));
        String registered = cluster.eksAuthenticationMode();
        // EKS maps through entries the console has not read (yet): "skipped" cannot be known.
        boolean entriesUnread = synced.isEmpty() && registered != null
                && !registered.equals(AuthenticationMode.CONFIG_MAP.name());
        if (current.mode() == AuthenticationMode.API) {
            return done(started, inputs, "api", null, current.mode(), entriesUnread, null, null, null);
        }
        RolePaths.Result restored = rolePaths.restore(MigrationPlanner.plan(awsAuth, current.entries()));
        MigrationPlan plan = restored.plan();
        RbacIndex index = indexes.view(cluster.name()).map(ClusterRbacIndexes.View::index).orElse(null);
        EquivalenceCheck.Result equivalence = index == null ? null : EquivalenceCheck.check(awsAuth, current, plan, index);
        // The steps' target: the plan as if no entry existed yet, paths restored.
        MigrationPlan target = rolePaths.restore(MigrationPlanner.plan(awsAuth, List.of())).plan();
        MigrationSteps.Progress progress = MigrationSteps.of(current.mode(), awsAuth, current, target, plan, index,
                List.of(), synced.isPresent() || current.mode() == AuthenticationMode.CONFIG_MAP);
        return new Result(started, Duration.between(started, clock.instant()), inputs, "planned", null, current.mode(),
                entriesUnread, plan, restored.restored(), restored.online(), equivalence, progress);
    }

    private Result done(Instant started, Inputs inputs, String state, String reason, AuthenticationMode mode,
            boolean entriesUnread, MigrationPlan plan, EquivalenceCheck.Result equivalence, MigrationSteps.Progress progress) {
        return new Result(started, Duration.between(started, clock.instant()), inputs, state, reason, mode, entriesUnread,
                plan, List.of(), false, equivalence, progress);
    }

    /** No entries read: the mode the cluster row knows (it is updated when the console switches it), none else. */
    private static ClusterAccessEntries unsynced(Cluster cluster) {
        for (AuthenticationMode mode : AuthenticationMode.values()) {
            if (mode.name().equals(cluster.eksAuthenticationMode())) {
                return new ClusterAccessEntries(cluster.name(), mode, List.of());
            }
        }
        return ClusterAccessEntries.NONE;
    }

    @Override
    public void destroy() {
        worker.shutdownNow();
    }
}
