package io.eksaccess.console.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Set;

/**
 * {@code access-for}: IAM caller ARN → access entry or aws-auth mapping (as the cluster's mode
 * says) → username and groups (+ system:authenticated) → effective RBAC rules per namespace and the
 * entry's access policies ({@link AccessForIam}). aws-auth errors (entries the authenticator drops)
 * count as input problems (exit 1), like unreadable manifests.
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
        return Set.of("--from", IamSources.AWS_AUTH, IamSources.ACCESS_ENTRIES, "--arn");
    }

    @Override
    String usage() {
        return "access-for [--json] --from PATH [--aws-auth FILE] [--access-entries FILE] --arn CALLER_ARN";
    }

    @Override
    void validate(RbacArgs args) throws RbacArgs.UsageException {
        args.required("--arn");
        if (!IamSources.given(args)) {
            throw new RbacArgs.UsageException("give --aws-auth FILE and/or --access-entries FILE (how the cluster maps IAM callers)");
        }
        if (!args.positional.isEmpty()) {
            throw new RbacArgs.UsageException("unexpected argument " + args.positional.get(0));
        }
    }

    @Override
    boolean answer(RbacArgs args, RbacManifests.Loaded loaded, InputStream in, PrintStream out, PrintStream err)
            throws RbacArgs.UsageException, UnusableException {
        return AccessForIam.answer(name(), args, loaded, in, out, err);
    }
}
