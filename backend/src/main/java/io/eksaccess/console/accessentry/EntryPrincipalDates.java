package io.eksaccess.console.accessentry;

import io.eksaccess.console.cluster.cache.EksAccessEntries;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When IAM says each access entry's principal was created, read once per sync of the entries
 * (never on a page's request): what the "principal re-created after its entry" finding compares
 * with the entry's {@code createdAt} (ACCESS-ENTRIES.md: EKS keeps the old principal ID, so such
 * an entry silently stops working).
 */
public interface EntryPrincipalDates {

    /** No IAM access: nothing is known. */
    EntryPrincipalDates NONE = raw -> Optional.empty();

    /**
     * @param created IAM's creation date by principal ARN as the entry writes it
     * @param unknown why some principals could not be looked up (other account, IAM error), one line each
     */
    record Checked(Map<String, Instant> created, List<String> unknown) {}

    /** The dates read for exactly this sync's entries, or empty when not read (yet, or no IAM access). */
    Optional<Checked> of(EksAccessEntries sync);
}
