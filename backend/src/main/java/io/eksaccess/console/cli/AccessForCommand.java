package io.eksaccess.console.cli;

import io.eksaccess.console.rbac.RbacJson;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.AwsAuthUnreadableException;
import io.eksaccess.console.awsauth.goyaml.Echo;
import io.eksaccess.console.awsauth.EntryError;
import io.eksaccess.console.rbac.EffectiveAccess;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code access-for}: IAM caller ARN → aws-auth mapping (as the authenticator reads it) → username
 * and groups (+ system:authenticated) → effective RBAC rules per namespace. aws-auth errors (entries
 * the authenticator drops) count as input problems (exit 1), like unreadable manifests.
 */
final class AccessForCommand extends RbacCommand {

    @Override
    public String name() {
        return "access-for";
    }

    @Override
    public String summary() {
        return "follow an IAM caller ARN through aws-auth to its effective RBAC rules";
    }

    @Override
    Set<String> options() {
        return Set.of("--from", "--aws-auth", "--arn");
    }

    @Override
    String usage() {
        return "access-for [--json] --from PATH --aws-auth FILE --arn CALLER_ARN";
    }

    @Override
    void validate(RbacArgs args) throws RbacArgs.UsageException {
        args.required("--aws-auth");
        args.required("--arn");
        if (!args.positional.isEmpty()) {
            throw new RbacArgs.UsageException("unexpected argument " + args.positional.get(0));
        }
    }

    @Override
    boolean answer(RbacArgs args, RbacManifests.Loaded loaded, InputStream in, PrintStream out, PrintStream err)
            throws RbacArgs.UsageException, UnusableException {
        AwsAuthConfig config;
        try {
            config = AwsAuthParser.read(ConfigMapFile.readData(args.required("--aws-auth"), in));
        } catch (ConfigMapFile.UnusableInputException e) {
            throw new UnusableException("aws-auth: " + e.getMessage());
        } catch (AwsAuthUnreadableException e) {
            throw new UnusableException("aws-auth could not be read: " + e.getMessage());
        }
        EffectiveAccess.Chain chain;
        try {
            chain = EffectiveAccess.of(config, args.required("--arn"), loaded.index());
        } catch (IllegalArgumentException e) {
            throw new UnusableException("the authenticator refuses this caller ARN: " + Echo.message(e.getMessage()));
        }
        for (EntryError error : config.errors()) {
            err.println(name() + ": aws-auth: " + error.key() + (error.index() == null ? "" : "[" + error.index() + "]")
                    + ": " + error.message());
        }
        chain.mapping().notes().forEach(note -> err.println(name() + ": note: " + note));
        if (args.json) {
            out.println(RbacJson.JSON.writeValueAsString(json(chain, config, loaded)));
        } else {
            print(chain, out);
        }
        return config.hasErrors();
    }

    private static ObjectNode json(EffectiveAccess.Chain chain, AwsAuthConfig config, RbacManifests.Loaded loaded) {
        ObjectNode root = RbacJson.accessFor(chain);
        ArrayNode errors = RbacManifests.errorsJson(loaded.problems());
        for (EntryError error : config.errors()) {
            ObjectNode node = errors.addObject();
            node.put("file", "aws-auth");
            node.putNull("document");
            node.put("message", error.key() + (error.index() == null ? "" : "[" + error.index() + "]") + ": "
                    + error.message());
        }
        root.set("errors", errors);
        return root;
    }

    private static void print(EffectiveAccess.Chain chain, PrintStream out) {
        out.println("1. caller   " + chain.callerArn());
        if (!chain.mapping().mapped()) {
            out.println("2. aws-auth: not mapped; the authenticator refuses it, so it has no access");
            return;
        }
        out.printf("2. aws-auth %s[%d]%n", chain.mapping().via().key(), chain.mapping().entryIndex());
        out.println("3. user     " + chain.identity().user());
        out.println("   groups   " + String.join(", ", chain.identity().groups()));
        out.println("4. rules:");
        RulesForCommand.printGrants(chain.rules(), out);
    }
}
