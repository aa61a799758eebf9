package io.eksaccess.console.request;

import io.eksaccess.console.apply.Change;
import io.eksaccess.console.apply.ChangePlan;
import io.eksaccess.console.awsauth.Finding;
import io.eksaccess.console.system.Sentence;
import java.util.List;

/**
 * What the new-request form shows live: the change as understood (or why it cannot be), the exact
 * ConfigMap diff on the current aws-auth, the findings of the changed entry, what the policy says,
 * and what the principal could do afterwards.
 *
 * @param inputProblem why the fields do not describe a change yet (null when they do)
 * @param planProblem why the current aws-auth could not be read (null when it was)
 * @param access the rules the mapped username and groups would hold, from the cluster cache
 * @param accessNote why the rules are not shown (no cache yet, removal), or null
 * @param entryDiff an access-entry change: the principal's entry before (-) and after (+), on the synced entries
 */
public record RequestPreview(
        Change change,
        Sentence inputProblem,
        String usernameSuggestion,
        ChangePlan plan,
        Sentence planProblem,
        List<Finding> findings,
        List<Sentence> policyProblems,
        List<AccessLine> access,
        Sentence accessNote,
        List<String> entryDiff) {

    public RequestPreview(Change change, Sentence inputProblem, String usernameSuggestion, ChangePlan plan,
            Sentence planProblem, List<Finding> findings, List<Sentence> policyProblems, List<AccessLine> access,
            Sentence accessNote) {
        this(change, inputProblem, usernameSuggestion, plan, planProblem, findings, policyProblems, access, accessNote,
                List.of());
    }

    /** One rule in words: where, which verbs on what, through which binding. */
    public record AccessLine(String where, String verbs, String what, String via) {}

    public boolean blocked() {
        return inputProblem != null || !policyProblems.isEmpty() || (plan != null && plan.refused(false));
    }
}
