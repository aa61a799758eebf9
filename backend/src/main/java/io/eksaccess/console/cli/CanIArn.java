package io.eksaccess.console.cli;

import io.eksaccess.console.accessentry.AccessEntryJson;
import io.eksaccess.console.accessentry.IamAuthorizer;
import io.eksaccess.console.accessentry.IamDecision;
import io.eksaccess.console.accessentry.IamIdentity;
import io.eksaccess.console.accessentry.IamResolver;
import io.eksaccess.console.awsauth.goyaml.Echo;
import io.eksaccess.console.rbac.RbacJson;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * {@code can-i --arn CALLER_ARN}: the question admins ask. The caller is mapped as the cluster's
 * authentication mode says (aws-auth and/or access entries), then the superuser group, RBAC and the
 * entry's access policies answer in the API server's order.
 */
final class CanIArn {

    static final String USAGE = "can-i [--json] --from PATH [--aws-auth FILE] [--access-entries FILE] --arn CALLER_ARN"
            + " VERB RESOURCE[.GROUP][/SUB] [--api-group G] [-n NS] [--name N]";

    private CanIArn() {}

    static boolean asked(RbacArgs args) {
        return args.option("--arn") != null;
    }

    static void validate(RbacArgs args) throws RbacArgs.UsageException {
        args.required("--arn");
        if (args.option("--user") != null || !args.groups.isEmpty()) {
            throw new RbacArgs.UsageException("--arn goes without --user and --group: the caller's mapping gives them");
        }
        if (!IamSources.given(args)) {
            throw new RbacArgs.UsageException("--arn needs --aws-auth FILE and/or --access-entries FILE"
                    + " (how the cluster maps IAM callers)");
        }
        args.request();
    }

    static boolean answer(String command, RbacArgs args, RbacManifests.Loaded loaded, InputStream in, PrintStream out,
            PrintStream err) throws RbacArgs.UsageException, RbacCommand.UnusableException {
        IamSources sources = IamSources.load(args, in);
        IamIdentity who;
        try {
            who = IamResolver.resolve(sources.mode(), sources.accessEntries.entries(), sources.awsAuth,
                    args.required("--arn"));
        } catch (IllegalArgumentException e) {
            throw new RbacCommand.UnusableException("the authenticator refuses this caller ARN: "
                    + Echo.message(e.getMessage()));
        }
        sources.printProblems(command, err);
        who.notes().forEach(note -> err.println(command + ": note: " + note));
        IamDecision decision = IamAuthorizer.canI(who, args.request(), loaded.index());
        if (args.json) {
            out.println(RbacJson.JSON.writeValueAsString(AccessEntryJson.canI(decision)));
        } else {
            out.println(decision.allowed() ? "yes" : "no");
            out.println("  " + decision.reason());
            if (decision.identity() != null) {
                out.println("  as " + decision.identity().user() + " (groups: "
                        + String.join(", ", decision.identity().groups()) + ")");
            }
        }
        return sources.hasProblems();
    }
}
