package io.eksaccess.console.cli;

import io.eksaccess.console.rbac.RbacJson;
import io.eksaccess.console.rbac.RbacText;

import io.eksaccess.console.rbac.Identity;
import io.eksaccess.console.rbac.RuleGrant;
import io.eksaccess.console.rbac.Subject;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code rules-for}: a subject's effective rules per namespace. A user is taken with no groups and a
 * group on its own; a ServiceAccount with the groups every token of it carries
 * (system:serviceaccounts, system:serviceaccounts:NS, system:authenticated).
 */
final class RulesForCommand extends RbacCommand {

    @Override
    public String name() {
        return "rules-for";
    }

    @Override
    public String summary() {
        return "list a user's, group's or service account's effective RBAC rules per namespace";
    }

    @Override
    Set<String> options() {
        return Set.of("--from", "--user", "--group", "--service-account");
    }

    @Override
    String usage() {
        return "rules-for [--json] --from PATH (--user U | --group G | --service-account NS:NAME)";
    }

    @Override
    void validate(RbacArgs args) throws RbacArgs.UsageException {
        subject(args);
    }

    @Override
    boolean answer(RbacArgs args, RbacManifests.Loaded loaded, InputStream in, PrintStream out, PrintStream err)
            throws RbacArgs.UsageException {
        Subject subject = subject(args);
        Identity identity = Identity.of(subject);
        List<RuleGrant> grants = loaded.index().rulesFor(identity);
        if (args.json) {
            ObjectNode root = RbacJson.rulesFor(subject, identity, grants);
            root.set("errors", RbacManifests.errorsJson(loaded.problems()));
            out.println(RbacJson.JSON.writeValueAsString(root));
            return false;
        }
        out.println("rules for " + Describe.subject(subject) + " (as user " + identity.user()
                + (identity.groups().isEmpty() ? "" : " with groups " + String.join(", ", identity.groups())) + "):");
        printGrants(grants, out);
        return false;
    }

    static void printGrants(List<RuleGrant> grants, PrintStream out) {
        if (grants.isEmpty()) {
            out.println("  none");
        }
        String scope = null;
        for (RuleGrant grant : grants) {
            String current = Objects.requireNonNullElse(grant.namespace(), "");
            if (!current.equals(scope)) {
                scope = current;
                out.println(current.isEmpty() ? "cluster-wide (all namespaces):" : "namespace " + current + ":");
            }
            out.println("  " + RbacText.line(grant.rule()) + "    <- "
                    + (grant.binding() == null ? "superuser group" : grant.binding().toString())
                    + " (as " + Describe.subject(grant.via()) + ")");
        }
    }

    private static Subject subject(RbacArgs args) throws RbacArgs.UsageException {
        String user = args.option("--user");
        String sa = args.option("--service-account");
        int given = (user == null ? 0 : 1) + (sa == null ? 0 : 1) + args.groups.size();
        if (given != 1) {
            throw new RbacArgs.UsageException("give exactly one of --user, --group, --service-account");
        }
        if (!args.positional.isEmpty()) {
            throw new RbacArgs.UsageException("unexpected argument " + args.positional.get(0));
        }
        if (user != null) {
            return Subject.user(user);
        }
        if (sa == null) {
            return Subject.group(args.groups.get(0));
        }
        int colon = sa.indexOf(':');
        if (colon <= 0 || colon == sa.length() - 1 || sa.indexOf(':', colon + 1) >= 0) {
            throw new RbacArgs.UsageException("--service-account takes NS:NAME");
        }
        return Subject.serviceAccount(sa.substring(0, colon), sa.substring(colon + 1));
    }
}
