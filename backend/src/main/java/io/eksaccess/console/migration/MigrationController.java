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
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.rbac.ClusterRbacIndexes;
import io.eksaccess.console.request.AccessRequests;
import io.eksaccess.console.request.Person;
import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.apply.Change;
import io.eksaccess.console.identity.ConsoleRole;
import io.eksaccess.console.identity.OidcProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
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
 * the cached RBAC, and where each step of carrying it out stands ({@link MigrationSteps}). The page
 * itself changes nothing: its buttons file requests, approved and applied like any other.
 */
@Controller
class MigrationController {

    static final String VIEW = "accessentry/migrate";

    private final ClusterRepository clusters;
    private final ClusterCaches caches;
    private final AccessEntriesLookup entries;
    private final ClusterRbacIndexes indexes;
    private final RolePaths rolePaths;
    private final AccessRequests requests;

    private final TransactionTemplate tx;
    private final String groupsClaim;

    MigrationController(ClusterRepository clusters, ClusterCaches caches, AccessEntriesLookup entries,
            ClusterRbacIndexes indexes, RolePaths rolePaths, AccessRequests requests, TransactionTemplate tx,
            OidcProperties oidc) {
        this.requests = requests;
        this.tx = tx;
        this.groupsClaim = oidc.groupsClaim();
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
        model.addAttribute("progress", progress(name, awsAuth, current, plan, entries.synced(cluster).isPresent()));
        return VIEW;
    }

    /** The steps as the state stands; the target plan is made as if no entry existed, paths restored. */
    MigrationSteps.Progress progress(String name, AwsAuthConfig awsAuth, ClusterAccessEntries current, MigrationPlan plan,
            boolean synced) {
        MigrationPlan target = rolePaths.restore(MigrationPlanner.plan(awsAuth, java.util.List.of())).plan();
        return MigrationSteps.of(current.mode(), awsAuth, current, target, plan,
                indexes.view(name).map(view -> view.index()).orElse(null), requests.openFor(name),
                synced || current.mode() == AuthenticationMode.CONFIG_MAP);
    }

    /**
     * Files the requests of one step (admins only: ConsoleAccessRules, and checked here too), all or
     * none; step 3 files nothing but re-reads the entries from EKS, so the verification is made on
     * what EKS holds. A step that is not ready (the previous one is not applied) is refused.
     */
    @PostMapping("/clusters/{name}/migrate-to-access-entries/steps/{step}")
    String fileStep(@PathVariable String name, @PathVariable int step, Authentication authentication,
            HttpServletRequest http, RedirectAttributes redirect) {
        Person admin = Person.of(authentication, http, groupsClaim);
        if (!admin.is(ConsoleRole.ADMIN)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Only an admin can start a migration step");
        }
        Cluster cluster = clusters.findByName(name)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No cluster " + name));
        String back = "redirect:/clusters/" + name + "/migrate-to-access-entries";
        if (step < 1 || step > 5) {
            redirect.addFlashAttribute("stepError", "There is no step " + step + "; the steps are 1 to 5.");
            return back;
        }
        Optional<MigrationSteps.Progress> progress = progressNow(cluster);
        if (progress.isEmpty()) {
            redirect.addFlashAttribute("stepError", "Step " + step + " was not filed: there is no plan (aws-auth not read,"
                    + " unreadable, or the cluster is in API mode already).");
            return back;
        }
        MigrationSteps.Step wanted = progress.get().step(step);
        if (!wanted.actionable()) {
            String why = wanted.done() ? "it is done already"
                    : step == 4 && progress.get().verification() != null && !progress.get().verified()
                            ? "the verification fails: " + String.join("; ", progress.get().verification().differences()
                                    .stream().limit(10).toList())
                            : step == 2 && progress.get().step(1).done()
                                    ? "the console has not read the access entries since the switch; try again in a minute"
                                    : "step " + (step - 1) + " is not applied yet";
            redirect.addFlashAttribute("stepError", "Step " + step + " was not filed: " + why + ".");
            return back;
        }
        if (step == 3) {
            caches.refreshAccessEntries(name);
            redirect.addFlashAttribute("stepFiled", "The entries are being read back from EKS; reload in a moment to see"
                    + " the verification.");
            return back;
        }
        List<Change> toFile = wanted.changes().stream()
                .filter(change -> wanted.open().stream().noneMatch(r -> r.change().equals(change))).toList();
        if (toFile.isEmpty()) {
            redirect.addFlashAttribute("stepError", "Step " + step + " was not filed again: its requests are waiting"
                    + " for approval.");
            return back;
        }
        try {
            // All or none: a refusal of the n-th request rolls back the ones filed before it.
            List<Long> ids = tx.execute(status -> toFile.stream().map(change -> requests.file(new AccessRequests.Filing(name,
                    change, MigrationSteps.TAG + ", step " + step + " of 5", null), admin).id()).toList());
            redirect.addFlashAttribute("stepFiled", "Step " + step + " filed as request(s) " + ids.stream()
                    .map(id -> "#" + id).collect(Collectors.joining(", ")) + "; an approver who is not you approves them.");
        } catch (ConsoleException e) {
            redirect.addFlashAttribute("stepError", "Step " + step + " was not filed (nothing was): " + e.getMessage());
        }
        return back;
    }

    /** The steps on the state as the console last read it; empty when there is no plan to carry out. */
    Optional<MigrationSteps.Progress> progressNow(Cluster cluster) {
        Optional<ClusterCache> cache = caches.cache(cluster.name());
        if (cache.isEmpty() || cache.get().awsAuth().isEmpty()) {
            return Optional.empty();
        }
        AwsAuthConfig awsAuth;
        try {
            Map<String, String> data = cache.get().awsAuth().get().getData();
            awsAuth = AwsAuthParser.read(data == null ? Map.of() : data);
        } catch (AwsAuthUnreadableException e) {
            return Optional.empty();
        }
        Optional<SyncedAccessEntries> synced = entries.synced(cluster);
        ClusterAccessEntries current = synced.map(SyncedAccessEntries::entries).orElseGet(() -> unsynced(cluster));
        if (current.mode() == AuthenticationMode.API) {
            return Optional.empty();
        }
        MigrationPlan plan = rolePaths.restore(MigrationPlanner.plan(awsAuth, current.entries())).plan();
        return Optional.of(progress(cluster.name(), awsAuth, current, plan, synced.isPresent()));
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
        return unsynced(cluster);
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
}
