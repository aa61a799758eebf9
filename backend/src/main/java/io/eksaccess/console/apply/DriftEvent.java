package io.eksaccess.console.apply;

import java.time.Instant;
import java.util.List;

/**
 * A change to aws-auth or to the access entries the console did not make, as the cluster page shows it.
 *
 * @param resource {@code aws-auth} or {@code access-entries}
 */
public record DriftEvent(
        long id, String cluster, Instant detectedAt, String resourceVersion, List<String> diff,
        List<RevertLink> reverts, String state, String adoptedBy, Instant adoptedAt, String resource) {

    /** A prefilled request form that would undo one principal's part of the drift. */
    public record RevertLink(String kind, String principal, String href) {}

    public DriftEvent {
        diff = List.copyOf(diff);
        reverts = List.copyOf(reverts);
    }

    public String diffText() {
        return String.join("\n", diff);
    }

    public boolean open() {
        return "OPEN".equals(state);
    }
}
