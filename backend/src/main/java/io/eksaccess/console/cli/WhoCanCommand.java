package io.eksaccess.console.cli;

import io.eksaccess.console.rbac.RbacJson;

import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.BindingRef;
import io.eksaccess.console.rbac.RbacQuestions;
import io.eksaccess.console.rbac.Subject;
import io.eksaccess.console.rbac.WhoCanAnswer;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/** {@code who-can}: the subjects the API server would allow, and the bindings that allow them. */
final class WhoCanCommand extends RbacCommand {

    @Override
    public String name() {
        return "who-can";
    }

    @Override
    public String summary() {
        return "list the subjects an RBAC dump allows to do something, with the granting bindings";
    }

    @Override
    Set<String> options() {
        return Set.of("--from", "--api-group", "--namespace", "--name", "--non-resource-url", IamSources.AWS_AUTH,
                IamSources.ACCESS_ENTRIES);
    }

    @Override
    String usage() {
        return """
                who-can [--json] --from PATH [--aws-auth FILE] [--access-entries FILE] VERB RESOURCE[.GROUP][/SUB] [--api-group G] [-n NS] [--name N]
                who-can [--json] --from PATH [--aws-auth FILE] [--access-entries FILE] VERB --non-resource-url URL""";
    }

    @Override
    void validate(RbacArgs args) throws RbacArgs.UsageException {
        args.request();
    }

    @Override
    boolean answer(RbacArgs args, RbacManifests.Loaded loaded, InputStream in, PrintStream out, PrintStream err)
            throws RbacArgs.UsageException, UnusableException {
        AccessRequest request = args.request();
        WhoCanAnswer answer = loaded.index().whoCan(request);
        WhoCanIam iam = WhoCanIam.of(args, in, request, answer, name(), err);
        if (args.json) {
            ObjectNode root = RbacJson.whoCan(request, answer);
            WhoCanIam.addPrincipals(iam, root);
            root.set("errors", RbacManifests.errorsJson(loaded.problems()));
            WhoCanIam.addErrors(iam, root);
            out.println(RbacJson.JSON.writeValueAsString(root));
            return iam != null && iam.problems();
        }
        out.println("who can " + Describe.request(request) + ":");
        if (answer.subjects().isEmpty()) {
            out.println("  nobody (besides members of system:masters)");
            // "deployments" without its group asks the core group: say so where a script's output is not parsed.
            RbacQuestions.groupHint(request).ifPresent(hint -> err.println(name() + ": note: " + hint.message()
                    + " Ask again as " + hint.resource() + " (or with --api-group " + hint.apiGroup() + ")."));
        }
        for (Subject subject : answer.subjects()) {
            out.println("  " + Describe.subject(subject));
        }
        if (!answer.bindings().isEmpty()) {
            out.println("granted by:");
            for (BindingRef binding : answer.bindings()) {
                out.println("  " + binding);
            }
        }
        WhoCanIam.print(iam, out);
        return iam != null && iam.problems();
    }
}
