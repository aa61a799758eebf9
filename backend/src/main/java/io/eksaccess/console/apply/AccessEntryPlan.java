package io.eksaccess.console.apply;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AuthenticationMode;
import io.eksaccess.console.system.Sentence;
import java.util.List;

/**
 * What an {@link AccessEntryChange} would do to a cluster's entries as they are: refused (why),
 * nothing (already so), or a write with its way back.
 *
 * @param errors what EKS would refuse, or what makes the change impossible here; break-glass never overrides
 * @param lockout the lockout check's problems; break-glass with a confirmed override may proceed
 * @param before the principal's entry as it is (null: none)
 * @param after the principal's entry once written (null: none)
 * @param inverse the change that undoes this one (null: nothing to undo, or cannot be undone)
 * @param kept what a take-back leaves in place because other access was added to it since, each with why
 */
public record AccessEntryPlan(AccessEntryChange change, List<Sentence> errors, List<Sentence> lockout, boolean noChange,
        AccessEntry before, AccessEntry after, AuthenticationMode modeBefore, AuthenticationMode modeAfter,
        List<AccessEntry> entriesAfter, Change inverse, List<String> diff, List<Sentence> kept) {

    public AccessEntryPlan {
        errors = List.copyOf(errors);
        lockout = List.copyOf(lockout);
        entriesAfter = List.copyOf(entriesAfter);
        diff = List.copyOf(diff);
        kept = kept == null ? List.of() : List.copyOf(kept);
    }

    public AccessEntryPlan(AccessEntryChange change, List<Sentence> errors, List<Sentence> lockout, boolean noChange,
            AccessEntry before, AccessEntry after, AuthenticationMode modeBefore, AuthenticationMode modeAfter,
            List<AccessEntry> entriesAfter, Change inverse, List<String> diff) {
        this(change, errors, lockout, noChange, before, after, modeBefore, modeAfter, entriesAfter, inverse, diff,
                List.of());
    }

    public boolean refused(boolean breakGlassOverride) {
        return !errors.isEmpty() || (!breakGlassOverride && !lockout.isEmpty());
    }

    public List<Sentence> reasons() {
        return java.util.stream.Stream.concat(errors.stream(), lockout.stream()).toList();
    }

    /** Each reason's text, joined by {@code separator}: how the apply's outcome message (stored text) says them. */
    static String text(List<Sentence> sentences, String separator) {
        return String.join(separator, sentences.stream().map(Sentence::text).toList());
    }
}
