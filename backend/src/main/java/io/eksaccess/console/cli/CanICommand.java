package io.eksaccess.console.cli;

import io.eksaccess.console.rbac.RbacJson;

import io.eksaccess.console.rbac.Decision;
import io.eksaccess.console.rbac.Identity;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code can-i}: the whole API server's answer (superuser group first, then RBAC) for exactly the
 * given user and groups, as a SubjectAccessReview asks it: nothing is added, not even
 * system:authenticated. Like a SubjectAccessReview it may name groups without a user: then the
 * username is empty, which no ServiceAccount and no real User binding matches.
 */
final class CanICommand extends RbacCommand {

    @Override
    public String name() {
        return "can-i";
    }

    @Override
    public String summary() {
        return "answer whether a user with groups may do something, as the API server would";
    }

    @Override
    Set<String> options() {
        return Set.of("--from", "--user", "--group", "--api-group", "--namespace", "--name", "--non-resource-url",
                "--arn", IamSources.AWS_AUTH, IamSources.ACCESS_ENTRIES);
    }

    @Override
    String usage() {
        return """
                can-i [--json] --from PATH [--user U] [--group G]... VERB RESOURCE[.GROUP][/SUB] [--api-group G] [-n NS] [--name N]
                can-i [--json] --from PATH [--user U] [--group G]... VERB --non-resource-url URL
                (--user, one or more --group, or both)
                """ + CanIArn.USAGE;
    }

    @Override
    void validate(RbacArgs args) throws RbacArgs.UsageException {
        if (CanIArn.asked(args)) {
            CanIArn.validate(args);
            return;
        }
        if (args.option("--user") == null && args.groups.isEmpty()) {
            throw new RbacArgs.UsageException("give --user U, one or more --group G, or both");
        }
        if (args.option("--user") != null) {
            args.required("--user"); // given, so not empty
        }
        args.request();
    }

    @Override
    boolean answer(RbacArgs args, RbacManifests.Loaded loaded, InputStream in, PrintStream out, PrintStream err)
            throws RbacArgs.UsageException, UnusableException {
        if (CanIArn.asked(args)) {
            return CanIArn.answer(name(), args, loaded, in, out, err);
        }
        Decision decision = loaded.index().canI(new Identity(args.option("--user"), args.groups), args.request());
        if (args.json) {
            ObjectNode root = RbacJson.canI(decision);
            out.println(RbacJson.JSON.writeValueAsString(root));
            return false;
        }
        out.println(decision.allowed() ? "yes" : "no");
        out.println("  " + decision.reason());
        return false;
    }
}
