package io.eksaccess.console.accessentry;

import java.util.List;

/**
 * A cluster's authentication mode and access entries, as the access-entries file (and
 * {@code GET /api/v1/clusters/{name}/access-entries}) holds them.
 */
public record ClusterAccessEntries(String clusterName, AuthenticationMode mode, List<AccessEntry> entries) {

    /** A cluster known only through aws-auth: CONFIG_MAP, no entries. */
    public static final ClusterAccessEntries NONE = new ClusterAccessEntries(null, AuthenticationMode.CONFIG_MAP, List.of());

    public ClusterAccessEntries {
        entries = List.copyOf(entries);
    }
}
