package io.eksaccess.console.cli;

import io.eksaccess.console.accessentry.AccessEntryJson;
import io.eksaccess.console.accessentry.AccessPolicyTable;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.accessentry.IamIdentity;
import io.eksaccess.console.accessentry.IamResolver;
import io.eksaccess.console.awsauth.goyaml.Echo;
import io.eksaccess.console.rbac.RbacJson;
import io.eksaccess.console.rbac.RuleGrant;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * access-for's answer: IAM caller ARN → access entry or aws-auth mapping (by the cluster's mode) →
 * username and groups (+ system:authenticated) → effective RBAC rules per namespace, and the entry's
 * access policies with their scopes.
 */
final class AccessForIam {

    private AccessForIam() {}

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
        List<RuleGrant> rules = who.mapped() ? loaded.index().rulesFor(who.identity()) : List.of();
        sources.printProblems(command, err);
        who.notes().forEach(note -> err.println(command + ": note: " + note));
        if (args.json) {
            ObjectNode root = AccessEntryJson.accessFor(who, rules);
            root.set("errors", RbacManifests.errorsJson(loaded.problems()));
            sources.addErrors((tools.jackson.databind.node.ArrayNode) root.get("errors"));
            out.println(RbacJson.JSON.writeValueAsString(root));
        } else {
            print(who, rules, out);
        }
        return sources.hasProblems();
    }

    private static void print(IamIdentity who, List<RuleGrant> rules, PrintStream out) {
        out.println("1. caller   " + who.callerArn());
        if (!who.mapped()) {
            out.println("2. " + who.mode() + ": not mapped; the authenticator refuses it, so it has no access");
            return;
        }
        if (who.entry() != null) {
            out.println("2. access entry " + who.entry().principalArn() + " (" + who.entry().type() + ")");
            if (who.shadowedMapping() != null) {
                out.printf("   overrides aws-auth %s[%d]%n", who.shadowedMapping().via().key(),
                        who.shadowedMapping().entryIndex());
            }
        } else {
            out.printf("2. aws-auth %s[%d]%n", who.mapping().via().key(), who.mapping().entryIndex());
        }
        out.println("3. user     " + who.identity().user());
        out.println("   groups   " + String.join(", ", who.identity().groups()));
        out.println("4. rules:");
        RulesForCommand.printGrants(rules, out);
        if (!who.accessPolicies().isEmpty()) {
            out.println("5. access policies:");
            for (AssociatedAccessPolicy policy : who.accessPolicies()) {
                out.println("   " + policy.policyName() + ", " + policy.accessScope().describe()
                        + (AccessPolicyTable.modelled(policy.policyArn()) ? "" : " (not modelled)"));
            }
        }
    }
}
