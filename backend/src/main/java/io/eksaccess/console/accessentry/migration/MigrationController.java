package io.eksaccess.console.accessentry.migration;

import io.eksaccess.console.accessentry.AccessEntriesLookup;
import io.eksaccess.console.accessentry.AuthenticationMode;
import io.eksaccess.console.accessentry.ClusterAccessEntries;
import io.eksaccess.console.accessentry.SyncedAccessEntries;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.AwsAuthUnreadableException;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.rbac.ClusterRbacIndexes;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/**
 * A cluster's "Migrate to access entries" page (admins only: ConsoleAccessRules): the plan from
 * the cached aws-auth and access entries, role paths restored with IAM, the equivalence check on
 * the cached RBAC, and the steps that will carry it out. Read-only: it changes nothing, and the
 * requests that carry out the steps are filed elsewhere once their change kinds exist.
 */
@Controller
class MigrationController {

    static final String VIEW = "accessentry/migrate";

    private final ClusterRepository clusters;
    private final ClusterCaches caches;
    private final AccessEntriesLookup entries;
    private final ClusterRbacIndexes indexes;
    private final RolePaths rolePaths;

    MigrationController(ClusterRepository clusters, ClusterCaches caches, AccessEntriesLookup entries,
            ClusterRbacIndexes indexes, RolePaths rolePaths) {
        this.clusters = clusters;
        this.caches = caches;
        this.entries = entries;
        this.indexes = indexes;
        this.rolePaths = rolePaths;
    }

    @GetMapping("/clusters/{name}/migrate-to-access-entries")
    String showMigration(@PathVariable String name, Model model) {
        Cluster cluster = clusters.findByName(name)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No cluster " + name));
        model.addAttribute("cluster", cluster);
        Optional<ClusterCache> cache = caches.cache(name);
        // Invariant 9: a plan from a cache that lost its watch is shown as stale, with its age.
        model.addAttribute("status", cache.map(ClusterCache::status).orElseGet(() -> caches.statusOf(cluster)));
        if (cache.isEmpty() || cache.get().awsAuth().isEmpty()) {
            model.addAttribute("state", "no-aws-auth");
            return VIEW;
        }
        AwsAuthConfig awsAuth;
        try {
            Map<String, String> data = cache.get().awsAuth().get().getData();
            awsAuth = AwsAuthParser.read(data == null ? Map.of() : data);
        } catch (AwsAuthUnreadableException e) {
            model.addAttribute("state", "unreadable");
            model.addAttribute("reason", e.getMessage());
            return VIEW;
        }
        ClusterAccessEntries current = current(cluster, model);
        model.addAttribute("mode", current.mode());
        if (current.mode() == AuthenticationMode.API) {
            model.addAttribute("state", "api");
            return VIEW;
        }
        RolePaths.Result restored = rolePaths.restore(MigrationPlanner.plan(awsAuth, current.entries()));
        MigrationPlan plan = restored.plan();
        model.addAttribute("state", "planned");
        model.addAttribute("plan", plan);
        model.addAttribute("restored", restored.restored());
        model.addAttribute("online", restored.online());
        model.addAttribute("equivalence", indexes.view(name)
                .map(view -> EquivalenceCheck.check(awsAuth, current, plan, view.index())).orElse(null));
        return VIEW;
    }

    /** The mode and entries the cluster has now: CONFIG_MAP and none unless EKS says otherwise. */
    private ClusterAccessEntries current(Cluster cluster, Model model) {
        Optional<SyncedAccessEntries> synced = entries.synced(cluster);
        if (synced.isPresent()) {
            return synced.get().entries();
        }
        String mode = cluster.eksAuthenticationMode();
        if (mode != null && !mode.equals(AuthenticationMode.CONFIG_MAP.name())) {
            // EKS maps through entries the console has not read (yet): "skipped" cannot be known.
            model.addAttribute("entriesUnread", true);
        }
        return ClusterAccessEntries.NONE;
    }
}
