package io.eksaccess.console.migration;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.PrincipalArn;
import io.eksaccess.console.awsauth.goyaml.Echo;
import io.eksaccess.console.system.Sentence;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * Puts back the IAM paths aws-auth strips from role ARNs: {@code GetRole} by the role's name (role
 * names are unique in an account) returns the full ARN, which an access entry needs (an IAM
 * Identity Center role lives under {@code /aws-reserved/sso.amazonaws.com/}). IAM answers only for
 * the account of the console's credentials; other accounts' roles are left as written, with a note.
 */
public final class RolePaths {

    /** Without IAM (console.aws.iam-checks off, or no credentials): nothing is restored, and the plan says so. */
    public static final RolePaths OFFLINE = new RolePaths(null);

    /** A role ARN the plan had path-less and IAM gave with its path. */
    public record Restored(String from, String asWritten, String restored) {}

    public record Result(MigrationPlan plan, List<Restored> restored, boolean online) {}

    /** GetRole's answer for a name: the role's ARN, or null when IAM has no such role. */
    private record Cached(String arn, Instant expires) {}

    private final IamClient iam;
    private final Duration ttl;
    private final Clock clock;
    // A page view asks for every mapped role; answers are reused for a while (console.aws.iam-cache-ttl).
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

    public RolePaths(IamClient iam) {
        this(iam, Duration.ZERO, Clock.systemUTC());
    }

    public RolePaths(IamClient iam, Duration ttl, Clock clock) {
        this.iam = iam;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The role's ARN as IAM gives it, or null when IAM has no such role. */
    private String roleArn(String name) {
        Instant now = clock.instant();
        Cached cached = cache.get(name);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.arn();
        }
        String arn;
        calls.incrementAndGet();
        try {
            arn = iam.getRole(r -> r.roleName(name)).role().arn();
        } catch (NoSuchEntityException e) {
            arn = null;
        }
        if (!ttl.isZero()) {
            cache.put(name, new Cached(arn, now.plus(ttl)));
        }
        return arn;
    }

    /** How many GetRole calls were made since start (answers from the cache not counted): for tests and metrics. */
    public long calls() {
        return calls.get();
    }

    public Result restore(MigrationPlan plan) {
        if (iam == null) {
            List<Sentence> notes = new ArrayList<>(plan.notes());
            notes.add(Sentence.of("text.migration.note.no-iam"));
            return new Result(new MigrationPlan(plan.entries(), plan.skipped(), plan.unmigratable(), notes), List.of(),
                    false);
        }
        List<MigrationPlan.Planned> entries = new ArrayList<>();
        List<Restored> restored = new ArrayList<>();
        List<Sentence> notes = new ArrayList<>();
        List<String> restoredFrom = new ArrayList<>();
        for (MigrationPlan.Planned planned : plan.entries()) {
            AccessEntry entry = planned.entry();
            PrincipalArn principal = entry.principal();
            String from = planned.from().key() + "[" + planned.index() + "]";
            if (!principal.isRole()) {
                entries.add(planned);
                continue;
            }
            String arn;
            try {
                arn = roleArn(principal.name());
            } catch (SdkException e) {
                notes.add(Sentence.of("text.migration.note.iam-unread", from, principal.name(),
                        Echo.message(e.getMessage())));
                entries.add(planned);
                continue;
            }
            if (arn == null) {
                notes.add(Sentence.of("text.migration.note.no-role", from, principal.name()));
                entries.add(planned);
                continue;
            }
            PrincipalArn found = PrincipalArn.parse(arn);
            if (found == null || !found.samePrincipal(principal)) {
                // GetRole answered for another account (or partition): same name, different role.
                notes.add(Sentence.of("text.migration.note.other-account", from, entry.principalArn(), Echo.of(arn)));
                entries.add(planned);
                continue;
            }
            if (!found.path().equals(principal.path())) {
                restored.add(new Restored(from, entry.principalArn(), arn));
                restoredFrom.add(from);
                entry = new AccessEntry(arn, entry.type(), entry.username(), entry.kubernetesGroups(),
                        entry.associatedAccessPolicies());
            }
            entries.add(new MigrationPlan.Planned(entry, planned.from(), planned.index()));
        }
        List<Sentence> kept = new ArrayList<>();
        for (Sentence note : plan.notes()) {
            // The offline "needs its path" note of a role whose path is now restored says nothing more.
            if (!(note.key().equals(MigrationPlanner.SSO_NOTE) && restoredFrom.contains(note.args()[0]))) {
                kept.add(note);
            }
        }
        kept.addAll(notes);
        return new Result(new MigrationPlan(entries, plan.skipped(), plan.unmigratable(), kept), restored, true);
    }
}
