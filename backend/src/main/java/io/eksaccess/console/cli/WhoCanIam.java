package io.eksaccess.console.cli;

import io.eksaccess.console.accessentry.AccessEntryJson;
import io.eksaccess.console.accessentry.IamAuthorizer;
import io.eksaccess.console.accessentry.IamPrincipal;
import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.WhoCanAnswer;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * who-can's IAM principals, when {@code --aws-auth} and/or {@code --access-entries} say how IAM
 * callers are mapped: which roles and users reach the answer, through which source and grant.
 * The static helpers take null (neither option given) and then do nothing.
 */
final class WhoCanIam {

    private final IamSources sources;
    private final List<IamPrincipal> principals;

    private WhoCanIam(IamSources sources, List<IamPrincipal> principals) {
        this.sources = sources;
        this.principals = principals;
    }

    /** @return null when neither --aws-auth nor --access-entries was given */
    static WhoCanIam of(RbacArgs args, InputStream in, AccessRequest request, WhoCanAnswer answer, String command,
            PrintStream err) throws RbacCommand.UnusableException {
        IamSources sources = IamSources.loadIfGiven(args, in);
        if (sources == null) {
            return null;
        }
        sources.printProblems(command, err);
        return new WhoCanIam(sources, IamAuthorizer.whoCan(request, answer, sources.mode(),
                sources.accessEntries.entries(), sources.awsAuth));
    }

    boolean problems() {
        return sources.hasProblems();
    }

    static void addPrincipals(WhoCanIam iam, ObjectNode root) {
        if (iam != null) {
            root.set("iamPrincipals", AccessEntryJson.iamPrincipals(iam.principals));
        }
    }

    static void addErrors(WhoCanIam iam, ObjectNode root) {
        if (iam != null) {
            iam.sources.addErrors((ArrayNode) root.get("errors"));
        }
    }

    static void print(WhoCanIam iam, PrintStream out) {
        if (iam == null) {
            return;
        }
        out.println("IAM principals (" + iam.sources.mode() + "):");
        if (iam.principals.isEmpty()) {
            out.println("  none");
        }
        for (IamPrincipal principal : iam.principals) {
            out.println("  " + principal.arn() + "  via " + principal.source() + ", " + principal.grant());
        }
    }
}
