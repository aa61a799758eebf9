package io.eksaccess.console.migration;

import io.eksaccess.console.accessentry.AccessPolicyTable;
import io.eksaccess.console.apply.AccessEntryChange;
import io.eksaccess.console.apply.Change;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.identity.ConsoleRole;
import io.eksaccess.console.identity.OidcProperties;
import io.eksaccess.console.request.AccessRequests;
import io.eksaccess.console.request.ApprovalPolicies;
import io.eksaccess.console.request.Person;
import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.system.Sentence;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A cluster's "Migrate to access entries" page (admins only: ConsoleAccessRules): the plan from
 * the cached aws-auth and access entries, role paths restored with IAM, the equivalence check on
 * the cached RBAC, and where each step of carrying it out stands ({@link MigrationSteps}), all as
 * {@link MigrationResults} last computed them (a view asks neither IAM nor the engine). The page
 * itself changes nothing: its buttons file requests, approved and applied like any other.
 */
@Controller
class MigrationController {

    static final String VIEW = "accessentry/migrate";
    /** How long a step's filing waits for the plan of a change it raced with before refusing. */
    static final Duration FILING_WAIT = Duration.ofSeconds(10);

    private final ClusterRepository clusters;
    private final ClusterCaches caches;
    private final MigrationResults results;
    private final AccessRequests requests;
    private final ApprovalPolicies policies;
    private final MessageSource messages;

    private final String groupsClaim;

    MigrationController(ClusterRepository clusters, ClusterCaches caches, MigrationResults results,
            AccessRequests requests, ApprovalPolicies policies, MessageSource messages,
            OidcProperties oidc) {
        this.requests = requests;
        this.policies = policies;
        this.messages = messages;
        this.groupsClaim = oidc.groupsClaim();
        this.clusters = clusters;
        this.caches = caches;
        this.results = results;
    }

    @GetMapping("/clusters/{name}/migrate-to-access-entries")
    String showMigration(@PathVariable String name, Model model) {
        Cluster cluster = cluster(name);
        model.addAttribute("cluster", cluster);
        Optional<ClusterCache> cache = caches.cache(name);
        // Invariant 9: a plan from a cache that lost its watch is shown as stale, with its age.
        model.addAttribute("status", cache.map(ClusterCache::status).orElseGet(() -> caches.statusOf(cluster)));
        MigrationResults.Latest latest = results.latest(cluster);
        // Not from today's inputs: being (re)computed; the page polls until it is.
        model.addAttribute("computing", !latest.current() || results.computing(name));
        MigrationResults.Result result = latest.result();
        if (result == null) {
            model.addAttribute("state", "computing");
            return VIEW;
        }
        model.addAttribute("computed", result);
        model.addAttribute("computedAt", result.computedAt().toString()); // ISO, for data-computed-at
        model.addAttribute("state", result.state());
        model.addAttribute("reason", result.reason());
        model.addAttribute("mode", result.mode());
        model.addAttribute("entriesUnread", result.entriesUnread());
        if (!"planned".equals(result.state())) {
            return VIEW;
        }
        model.addAttribute("plan", result.plan());
        model.addAttribute("restored", result.restored());
        model.addAttribute("online", result.online());
        model.addAttribute("equivalence", result.equivalence());
        MigrationSteps.Progress progress = result.progress().withOpen(requests.openFor(name));
        model.addAttribute("progress", progress);
        model.addAttribute("mastersBlocked", progress.step(2).done() || policies.of(name).allowMasters() ? List.of()
                : clusterAdmins(result.plan(), progress.step(2)));
        return VIEW;
    }

    /** A principal step 2 gives AmazonEKSClusterAdminPolicy; {@code from} is null when its entry exists already. */
    record ClusterAdmin(String from, String principalArn) {}

    /**
     * Whom step 2 makes cluster admin (system:masters carried over): the entries to create with the
     * policy and the associations still to make. A policy without allowMasters refuses each of them.
     */
    static List<ClusterAdmin> clusterAdmins(MigrationPlan plan, MigrationSteps.Step step2) {
        List<ClusterAdmin> admins = new ArrayList<>();
        for (MigrationPlan.Planned planned : plan.entries()) {
            if (planned.entry().associatedAccessPolicies().stream()
                    .anyMatch(a -> AccessPolicyTable.isClusterAdmin(a.policyArn()))) {
                admins.add(new ClusterAdmin(planned.from().key() + "[" + planned.index() + "]",
                        planned.entry().principalArn()));
            }
        }
        for (Change change : step2.changes()) {
            if (change instanceof AccessEntryChange.AssociateAccessPolicy a && AccessPolicyTable.isClusterAdmin(a.policyArn())
                    && admins.stream().noneMatch(admin -> admin.principalArn().equals(a.principalArn()))) {
                admins.add(new ClusterAdmin(null, a.principalArn()));
            }
        }
        return admins;
    }

    /** "Recompute now" (admins only): queues the computation and returns at once; the page polls for it. */
    @PostMapping("/clusters/{name}/migrate-to-access-entries/recompute")
    String recompute(@PathVariable String name, RedirectAttributes redirect) {
        Cluster cluster = cluster(name);
        results.schedule(cluster.name());
        redirect.addFlashAttribute("message", text("text.migrate.recomputing"));
        return "redirect:/clusters/" + name + "/migrate-to-access-entries";
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
            throw ConsoleException.forbidden("error.migrate.admins-only");
        }
        Cluster cluster = cluster(name);
        String back = "redirect:/clusters/" + name + "/migrate-to-access-entries";
        if (step < 1 || step > 5) {
            return refused(redirect, back, ConsoleException.invalid("error.migrate.no-step", step));
        }
        Optional<MigrationResults.Result> result = results.current(cluster, FILING_WAIT);
        if (result.isEmpty()) {
            return refused(redirect, back, ConsoleException.unavailable("error.migrate.recomputing", step));
        }
        if (!"planned".equals(result.get().state())) {
            return refused(redirect, back, ConsoleException.conflict("error.migrate.no-plan", step));
        }
        MigrationSteps.Progress progress = result.get().progress().withOpen(requests.openFor(name));
        MigrationSteps.Step wanted = progress.step(step);
        if (!wanted.actionable()) {
            return refused(redirect, back, notReady(progress, step));
        }
        if (step == 3) {
            caches.refreshAccessEntries(name);
            redirect.addFlashAttribute("stepFiled", text("text.migrate.reading-back"));
            return back;
        }
        List<Change> toFile = wanted.changes().stream()
                .filter(change -> wanted.open().stream().noneMatch(r -> r.change().equals(change))).toList();
        if (toFile.isEmpty()) {
            return refused(redirect, back, ConsoleException.conflict("error.migrate.waiting", step));
        }
        try {
            // All or none: a refusal of the n-th request rolls back the ones filed before it. What another click
            // filed meanwhile is left out (checked again under the cluster's filing lock).
            List<Long> ids = requests.fileUnlessOpen(name, toFile, MigrationSteps.TAG + ", step " + step + " of 5", admin);
            if (ids.isEmpty()) {
                return refused(redirect, back, ConsoleException.conflict("error.migrate.waiting", step));
            }
            redirect.addFlashAttribute("stepFiled", text("text.migrate.filed", String.valueOf(step), ids.stream()
                    .map(id -> "#" + id).collect(Collectors.joining(", "))));
        } catch (ConsoleException e) {
            return refused(redirect, back, ConsoleException.conflict("error.migrate.refused", step, e.getMessage()));
        }
        return back;
    }

    /** Why a step's button is not offered: done, not verified, entries not read since the switch, or the step before. */
    private static ConsoleException notReady(MigrationSteps.Progress progress, int step) {
        if (progress.step(step).done()) {
            return ConsoleException.conflict("error.migrate.done", step);
        }
        if (step == 4 && progress.verification() != null && !progress.verified()) {
            return ConsoleException.conflict("error.migrate.not-verified", step,
                    Sentence.joined(progress.verification().differences().stream().limit(10).toList()));
        }
        if (step == 2 && progress.step(1).done()) {
            return ConsoleException.conflict("error.migrate.entries-not-read", step);
        }
        return ConsoleException.conflict("error.migrate.previous-not-applied", step, step - 1);
    }

    /** A refusal is shown beside the steps, where its button was (the layout's flash is for whole-page outcomes). */
    private static String refused(RedirectAttributes redirect, String back, ConsoleException refusal) {
        redirect.addFlashAttribute("stepError", refusal.getMessage());
        return back;
    }

    private String text(String key, Object... args) {
        return messages.getMessage(key, args, Locale.getDefault());
    }

    private Cluster cluster(String name) {
        return clusters.findByName(name).orElseThrow(() -> ConsoleException.notFound("error.migrate.no-cluster"));
    }
}
