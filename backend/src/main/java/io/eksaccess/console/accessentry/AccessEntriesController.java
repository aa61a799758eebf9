package io.eksaccess.console.accessentry;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.AwsAuthUnreadableException;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.AccessEntriesCache;
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.EksAccessEntries;
import io.eksaccess.console.system.ConsoleException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A cluster's Access entries tab, from
 * what the last sync from EKS left in the cluster's cache (never a live EKS call on a request; the
 * refresh button only queues a sync).
 */
@Controller
class AccessEntriesController {

    static final String VIEW = "accessentry/access-entries";

    private final ClusterRepository clusters;
    private final ClusterCaches caches;

    AccessEntriesController(ClusterRepository clusters, ClusterCaches caches) {
        this.clusters = clusters;
        this.caches = caches;
    }

    /** One policy of an entry, for people: its name, where it applies, whether the console models it. */
    record PolicyRow(String name, String arn, String scope, boolean modelled) {}

    /** One entry as the tab shows it; {@code overrides} names the aws-auth mapping it overrides, if any. */
    record Row(EksAccessEntries.Entry entry, String username, boolean defaultUsername, List<PolicyRow> policies,
            String overrides) {}

    @GetMapping("/clusters/{name}/access-entries")
    String showAccessEntries(@PathVariable String name, @RequestParam(name = "q", defaultValue = "") String query,
            @RequestParam(name = "type", defaultValue = "") String type,
            @RequestParam(name = "policy", defaultValue = "") String policy, Model model) {
        Cluster cluster = clusters.findByName(name)
                .orElseThrow(() -> ConsoleException.notFound("error.cluster.no-cluster", name));
        model.addAttribute("cluster", cluster);
        model.addAttribute("q", query);
        model.addAttribute("type", type);
        model.addAttribute("policy", policy);
        model.addAttribute("types", AccessEntry.TYPES);
        Optional<AccessEntriesCache> cache = caches.accessEntries(name);
        model.addAttribute("reads", ClusterCaches.readsAccessEntries(cluster));
        model.addAttribute("status", cache.map(AccessEntriesCache::status).orElse(null));
        Optional<SyncedAccessEntries> synced = synced(cluster, cache);
        model.addAttribute("hasData", synced.isPresent());
        if (synced.isEmpty()) {
            model.addAttribute("rows", List.of());
            model.addAttribute("overridden", List.of());
            model.addAttribute("total", 0);
            model.addAttribute("catalogue", List.of());
            return VIEW;
        }
        List<SyncedAccessEntries.Override> overridden = SyncedAccessEntries.overridden(synced.get().entries().mode(),
                synced.get().entries().entries(), awsAuth(name));
        List<Row> rows = new ArrayList<>();
        List<EksAccessEntries.Entry> raw = synced.get().raw().entries();
        List<AccessEntry> modelled = synced.get().entries().entries();
        for (int i = 0; i < raw.size(); i++) {
            Row row = row(raw.get(i), modelled.get(i), overridden);
            if (matches(row, query, type, policy)) {
                rows.add(row);
            }
        }
        model.addAttribute("rows", rows);
        model.addAttribute("overridden", overridden);
        model.addAttribute("total", raw.size());
        model.addAttribute("catalogue", synced.get().raw().catalogue());
        return VIEW;
    }

    /** Queues a sync now; the page shows its outcome once it finished (a few seconds for thousands of entries). */
    @PostMapping("/clusters/{name}/access-entries/refresh")
    String refresh(@PathVariable String name) {
        clusters.findByName(name).orElseThrow(() -> ConsoleException.notFound("error.cluster.no-cluster", name));
        caches.refreshAccessEntries(name);
        return "redirect:/clusters/{name}/access-entries";
    }

    static Optional<SyncedAccessEntries> synced(Cluster cluster, Optional<AccessEntriesCache> cache) {
        if (cache.isEmpty() || cache.get().entries().isEmpty() || !ClusterCaches.readsAccessEntries(cluster)) {
            return Optional.empty();
        }
        return Optional.of(SyncedAccessEntries.of(cluster, cache.get().entries().get(), cache.get().status()));
    }

    /** The cached aws-auth, when it is there and readable (an unreadable one is the Mappings tab's to explain). */
    private AwsAuthConfig awsAuth(String name) {
        Optional<ClusterCache> cache = caches.cache(name);
        if (cache.isEmpty() || cache.get().awsAuth().isEmpty()) {
            return null;
        }
        Map<String, String> data = cache.get().awsAuth().get().getData();
        try {
            return AwsAuthParser.read(data == null ? Map.of() : data);
        } catch (AwsAuthUnreadableException e) {
            return null;
        }
    }

    private static Row row(EksAccessEntries.Entry raw, AccessEntry entry, List<SyncedAccessEntries.Override> overridden) {
        List<PolicyRow> policies = new ArrayList<>();
        for (AssociatedAccessPolicy policy : entry.associatedAccessPolicies()) {
            policies.add(new PolicyRow(policy.policyName(), policy.policyArn(), policy.accessScope().describe(),
                    AccessPolicyTable.modelled(policy.policyArn())));
        }
        String overrides = overridden.stream().filter(o -> o.entryPrincipalArn().equals(entry.principalArn()))
                .map(o -> o.section() + "[" + o.index() + "]").findFirst().orElse(null);
        boolean defaultUsername = raw.username() == null || raw.username().equals(defaultOf(entry));
        return new Row(raw, entry.effectiveUsername(), defaultUsername, policies, overrides);
    }

    private static String defaultOf(AccessEntry entry) {
        return new AccessEntry(entry.principalArn(), entry.type(), null, List.of(), List.of()).effectiveUsername();
    }

    private static boolean matches(Row row, String query, String type, String policy) {
        if (!type.isBlank() && !row.entry().type().equals(type)) {
            return false;
        }
        if (!policy.isBlank() && row.policies().stream().noneMatch(p -> p.name().equals(policy))) {
            return false;
        }
        if (query.isBlank()) {
            return true;
        }
        String needle = query.trim().toLowerCase(Locale.ROOT);
        return row.entry().principalArn().toLowerCase(Locale.ROOT).contains(needle)
                || row.username().toLowerCase(Locale.ROOT).contains(needle)
                || row.entry().kubernetesGroups().stream().anyMatch(g -> g.toLowerCase(Locale.ROOT).contains(needle));
    }
}
