package io.eksaccess.console.cli;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.accessentry.AuthenticationMode;
import io.eksaccess.console.migration.EquivalenceCheck;
import io.eksaccess.console.migration.MigrationPlan;
import io.eksaccess.console.migration.MigrationPlanJson;
import io.eksaccess.console.migration.MigrationPlanner;
import io.eksaccess.console.awsauth.goyaml.Echo;
import io.eksaccess.console.rbac.RbacJson;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code access-entries plan-migration [--json] --aws-auth FILE [--access-entries FILE] [--from PATH]}:
 * the access entries that would replace aws-auth (issue 16's JSON with --json), offline. With
 * {@code --from} (the cluster's RBAC, as the RBAC commands read it) the equivalence check runs too
 * and its result follows the plan ({@code equivalence} in JSON).
 *
 * <p>Exit codes: 0 everything mapped can move and (with --from) keeps its access; 1 something is
 * not migratable, the equivalence check found a difference, or some input could not be read (each
 * reported); 2 usage error or unusable input, with one line on stderr.
 */
final class AccessEntriesCommand implements CliCommand {

    private static final String USAGE = """
            Usage: java -jar backend/target/eks-access-console.jar access-entries plan-migration [--json] --aws-auth FILE [--access-entries FILE] [--from PATH]
            --aws-auth FILE: the aws-auth ConfigMap (kubectl get configmap aws-auth -n kube-system -o yaml); - for stdin
            --access-entries FILE: the cluster's mode and existing entries (as access-for reads them); without it CONFIG_MAP, no entries
            --from PATH: the cluster's RBAC manifests; adds the equivalence check""";
    private static final Set<String> OPTIONS = Set.of(IamSources.AWS_AUTH, IamSources.ACCESS_ENTRIES, "--from");

    @Override
    public String name() {
        return "access-entries";
    }

    @Override
    public String summary() {
        return "plan-migration: the access entries that would replace aws-auth, and whether access stays the same";
    }

    @Override
    public int run(String[] argv, InputStream in, PrintStream out, PrintStream err) {
        RbacArgs args;
        try {
            args = RbacArgs.parse(argv, OPTIONS);
            if (args.help) {
                out.println(USAGE);
                return ConsoleCli.OK;
            }
            if (args.positional.isEmpty()) {
                throw new RbacArgs.UsageException("missing subcommand (plan-migration)");
            }
            if (!args.positional.get(0).equals("plan-migration")) {
                throw new RbacArgs.UsageException("unknown subcommand '" + Echo.of(args.positional.get(0)) + "'");
            }
            if (args.positional.size() > 1) {
                throw new RbacArgs.UsageException("unexpected argument '" + Echo.of(args.positional.get(1)) + "'");
            }
            args.required(IamSources.AWS_AUTH);
        } catch (RbacArgs.UsageException e) {
            err.println(name() + ": " + e.getMessage());
            err.println(USAGE);
            return ConsoleCli.USAGE;
        }
        IamSources sources;
        RbacManifests.Loaded loaded = null;
        try {
            if ("-".equals(args.option(IamSources.AWS_AUTH)) && "-".equals(args.option(IamSources.ACCESS_ENTRIES))) {
                throw new RbacCommand.UnusableException("only one of --aws-auth and --access-entries can read stdin (-)");
            }
            sources = IamSources.load(args, in);
            if (args.option("--from") != null) {
                loaded = RbacManifests.load(args.option("--from"));
            }
        } catch (RbacCommand.UnusableException | RbacManifests.UnusableInputException e) {
            err.println(name() + ": " + e.getMessage());
            return ConsoleCli.USAGE;
        }
        boolean problems = sources.hasProblems();
        sources.printProblems(name(), err);
        if (loaded != null) {
            loaded.problems().forEach(problem -> err.println(name() + ": skipped " + problem.line()));
            loaded.warnings().forEach(warning -> err.println(name() + ": warning: " + warning.line()));
            problems |= !loaded.problems().isEmpty();
        }
        if (sources.mode() == AuthenticationMode.API) {
            err.println(name() + ": note: the cluster is in API mode already: aws-auth is ignored, so nothing it maps"
                    + " has access today");
        }
        MigrationPlan plan = MigrationPlanner.plan(sources.awsAuth, sources.accessEntries.entries());
        EquivalenceCheck.Result equivalence = loaded == null ? null
                : EquivalenceCheck.check(sources.awsAuth, sources.accessEntries, plan, loaded.index());
        if (args.json) {
            ObjectNode root = MigrationPlanJson.of(plan);
            if (equivalence != null) {
                ObjectNode node = root.putObject("equivalence");
                node.put("equivalent", equivalence.equivalent());
                ArrayNode differences = node.putArray("differences");
                equivalence.differences().forEach(d -> differences.add(d.text()));
                ArrayNode accepted = node.putArray("accepted");
                equivalence.accepted().forEach(a -> accepted.add(a.text()));
            }
            out.println(RbacJson.JSON.writeValueAsString(root));
        } else {
            print(plan, equivalence, out);
        }
        boolean blocked = !plan.unmigratable().isEmpty() || (equivalence != null && !equivalence.equivalent());
        return problems || blocked ? ConsoleCli.PROBLEM_FOUND : ConsoleCli.OK;
    }

    private static void print(MigrationPlan plan, EquivalenceCheck.Result equivalence, PrintStream out) {
        out.println("Entries to create: " + plan.entries().size());
        for (MigrationPlan.Planned planned : plan.entries()) {
            AccessEntry entry = planned.entry();
            out.println("  " + planned.from().key() + "[" + planned.index() + "] -> " + entry.principalArn() + " ("
                    + entry.type() + ")");
            if (entry.type().equals(AccessEntry.STANDARD)) {
                out.println("      username " + (entry.username() == null ? "(EKS default: " + entry.effectiveUsername()
                        + ")" : entry.username()));
                out.println("      groups   " + (entry.kubernetesGroups().isEmpty() ? "(none)"
                        : String.join(", ", entry.kubernetesGroups())));
            }
            for (AssociatedAccessPolicy policy : entry.associatedAccessPolicies()) {
                out.println("      policy   " + policy.policyName() + ", " + policy.accessScope().describe());
            }
        }
        out.println("Skipped (the principal has an entry already): " + plan.skipped().size());
        plan.skipped().forEach(s -> out.println("  " + s.key().key() + "[" + s.index() + "]: " + s.reason().text()));
        out.println("Not migratable: " + plan.unmigratable().size());
        plan.unmigratable().forEach(u -> out.println("  " + u.key().key() + (u.index() == null ? "" : "[" + u.index()
                + "]") + ": " + u.reason().text()));
        if (!plan.notes().isEmpty()) {
            out.println("Notes:");
            plan.notes().forEach(n -> out.println("  - " + n.text()));
        }
        if (equivalence != null) {
            out.println("Equivalence: " + (equivalence.equivalent() ? "every mapped principal keeps its identity and"
                    + " access" : equivalence.differences().size() + " difference(s)"));
            equivalence.differences().forEach(d -> out.println("  - " + d.text()));
            if (!equivalence.accepted().isEmpty()) {
                out.println("  accepted (EKS's own replacements):");
                equivalence.accepted().forEach(a -> out.println("  - " + a.text()));
            }
        }
    }
}
