package io.eksaccess.console.awsauth;

import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.AccessEntriesCache;
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.ClusterStatus;
import io.eksaccess.console.system.ConsoleException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A cluster's Mappings tab: kube-system/aws-auth as the authenticator reads it, from the cluster
 * cache (never the API server), with findings, a filter, "Who is this?" and the raw YAML.
 *
 * <p>It lives in {@code awsauth}, not {@code cluster}: everything it shows is the aws-auth engine's
 * output; the cluster package only supplies the cached ConfigMap. Each cluster tab belongs to the
 * feature it presents (the RBAC tabs will live in {@code rbac}).
 *
 * <p>One URL, all GET (nothing changes): {@code q}/{@code kind} filter the rows, {@code arn} asks
 * who a caller is. An htmx request gets the fragment its target names.
 */
@Controller
class MappingsController {

    static final String VIEW = "awsauth/mappings";
    static final String ROWS_FRAGMENT = "awsauth/fragments :: rows";
    static final String WHOIS_FRAGMENT = "awsauth/fragments :: whois";
    static final String WHOIS_TARGET = "whois-result";

    /** The answer to "Who is this?"; {@code problem} is why the ARN cannot be resolved, else null. */
    record WhoIsResult(String arn, String problem, WhoIs.Answer answer, MappingsPage.Row row) {}

    private final ClusterRepository clusters;
    private final ClusterCaches caches;
    private final AwsAuthValidator validator;

    MappingsController(ClusterRepository clusters, ClusterCaches caches, IamPrincipalLookup iam) {
        this.clusters = clusters;
        this.caches = caches;
        this.validator = new AwsAuthValidator(iam);
    }

    @GetMapping("/clusters/{name}/mappings")
    String showMappings(
            @PathVariable String name,
            @RequestParam(name = "q", defaultValue = "") String query,
            @RequestParam(name = "kind", required = false) MappingsPage.Kind kind,
            @RequestParam(name = "arn", defaultValue = "") String arn,
            @RequestHeader(name = "HX-Request", required = false) String htmx,
            @RequestHeader(name = "HX-Target", required = false) String htmxTarget,
            @RequestHeader(name = "HX-History-Restore-Request", required = false) String historyRestore,
            Model model) {
        boolean partial = htmx != null && historyRestore == null;
        Cluster cluster = clusters.findByName(name)
                .orElseThrow(() -> ConsoleException.notFound("error.cluster.no-cluster", name));
        Optional<ClusterCache> cache = caches.cache(name);
        ClusterStatus status = cache.map(ClusterCache::status).orElseGet(() -> caches.statusOf(cluster));
        boolean hasData = cache.isPresent() && status.lastSyncedAt() != null;
        Optional<ConfigMap> awsAuth = hasData ? cache.get().awsAuth() : Optional.empty();
        MappingsPage page = null;
        String unreadable = null;
        if (awsAuth.isPresent()) {
            try {
                AwsAuthConfig config = AwsAuthParser.read(dataOf(awsAuth.get()));
                page = MappingsPage.of(config, validator.validate(config));
            } catch (AwsAuthUnreadableException e) {
                unreadable = e.getMessage();
            }
        }

        model.addAttribute("cluster", cluster);
        model.addAttribute("status", status);
        model.addAttribute("hasData", hasData);
        model.addAttribute("page", page);
        model.addAttribute("unreadable", unreadable);
        model.addAttribute("rows", page == null ? List.of() : page.filter(query, kind));
        model.addAttribute("q", query);
        model.addAttribute("kind", kind);
        model.addAttribute("kinds", MappingsPage.Kind.values());
        model.addAttribute("arn", arn.trim());
        model.addAttribute("whois", page == null || arn.isBlank() ? null : whoIs(page, arn.trim()));
        model.addAttribute("overriddenRows", page == null ? Set.of() : overriddenByAccessEntries(cluster, page));
        model.addAttribute("partial", partial);
        if (!partial) {
            return VIEW;
        }
        return WHOIS_TARGET.equals(htmxTarget) ? WHOIS_FRAGMENT : ROWS_FRAGMENT;
    }

    /**
     * The rows ({@code mapRoles[0]}) an access entry of the same IAM principal overrides: in
     * API_AND_CONFIG_MAP the entry wins. Matching goes by partition, account, kind and name, as
     * role and user names are unique in an account and aws-auth ARNs lose their paths.
     */
    private Set<String> overriddenByAccessEntries(Cluster cluster, MappingsPage page) {
        if (!"API_AND_CONFIG_MAP".equals(cluster.eksAuthenticationMode())) {
            return Set.of();
        }
        Set<String> principals = caches.accessEntries(cluster.name()).flatMap(AccessEntriesCache::entries)
                .map(synced -> synced.entries().stream().map(e -> principalKey(e.principalArn()))
                        .filter(Objects::nonNull).collect(Collectors.toSet()))
                .orElse(Set.of());
        Set<String> overridden = new HashSet<>();
        for (MappingsPage.Row row : page.rows()) {
            String key = row.sso() ? null : principalKey(row.arn());
            if (key != null && principals.contains(key)) {
                overridden.add(row.source());
            }
        }
        return overridden;
    }

    /** {@code partition:account:role|user:lower-case name}, or null for what is not a role or user ARN. */
    static String principalKey(String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":", 6);
        if (parts.length != 6 || !"iam".equals(parts[2]) || !(parts[5].startsWith("role/") || parts[5].startsWith("user/"))) {
            return null;
        }
        String name = parts[5].substring(parts[5].lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
        return parts[1] + ":" + parts[4] + ":" + parts[5].substring(0, 4) + ":" + name;
    }

    private static Map<String, String> dataOf(ConfigMap configMap) {
        return configMap.getData() == null ? Map.of() : configMap.getData();
    }

    /** sso entries never match here: the authenticator's SSORoleMatch gate is off by default. */
    private static WhoIsResult whoIs(MappingsPage page, String arn) {
        try {
            WhoIs.Answer answer = WhoIs.resolve(page.config(), arn, false);
            MappingsPage.Row row = answer.mapped() ? page.row(answer.via(), answer.entryIndex()).orElse(null) : null;
            return new WhoIsResult(arn, null, answer, row);
        } catch (IllegalArgumentException e) {
            return new WhoIsResult(arn, e.getMessage(), null, null);
        }
    }
}
