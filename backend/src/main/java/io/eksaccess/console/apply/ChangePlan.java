package io.eksaccess.console.apply;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.Finding;
import java.util.List;
import java.util.Map;

/**
 * A change planned on one version of aws-auth: the data before and after, the diff people see,
 * the findings of the result, and the change that would undo it (for expiry).
 *
 * @param refusals why the plan must not be applied at all (it adds authenticator errors, the editor
 *     cannot make it); never overridden
 * @param lockoutProblems how it would lock people out; only an admin's break-glass overrides these
 * @param takenBack for a way back that knows what its change left: what it reverts
 * @param kept for such a way back: what it leaves as it is because it changed since, each with why
 */
public record ChangePlan(
        MappingChange change,
        Map<String, String> before,
        Map<String, String> after,
        AwsAuthConfig afterConfig,
        List<String> diff,
        List<Finding> findings,
        List<String> refusals,
        List<String> lockoutProblems,
        MappingChange inverse,
        List<String> takenBack,
        List<String> kept) {

    public ChangePlan {
        before = Map.copyOf(before);
        after = Map.copyOf(after);
        diff = List.copyOf(diff);
        findings = List.copyOf(findings);
        refusals = List.copyOf(refusals);
        lockoutProblems = List.copyOf(lockoutProblems);
        takenBack = List.copyOf(takenBack);
        kept = List.copyOf(kept);
    }

    public boolean noChange() {
        return before.equals(after);
    }

    /** Whether it must not be applied; {@code breakGlass} overrides only the lockout check. */
    public boolean refused(boolean breakGlass) {
        return !refusals.isEmpty() || (!breakGlass && !lockoutProblems.isEmpty());
    }

    public List<String> reasons() {
        return java.util.stream.Stream.concat(refusals.stream(), lockoutProblems.stream()).toList();
    }
}
