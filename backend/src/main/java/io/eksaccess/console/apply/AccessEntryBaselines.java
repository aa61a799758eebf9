package io.eksaccess.console.apply;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Per EKS cluster, the access entries the console last observed, applied or adopted: the baseline
 * their drift is measured against ({@code access_entry_baselines}).
 */
@Component
class AccessEntryBaselines {

    enum Source {
        OBSERVED,
        APPLIED,
        DRIFT,
        ADOPTED
    }

    /**
     * @param readStartedAt when the sync it came from started
     * @param rebaselineAfter the console wrote at this time: the next sync started after it is the baseline
     */
    record Baseline(String cluster, AccessEntryState entries, String hash, Instant readStartedAt, Instant rebaselineAfter,
            Source source) {}

    private final JdbcClient jdbc;

    AccessEntryBaselines(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The baseline, locked for the caller's transaction. */
    Optional<Baseline> locked(String cluster) {
        return jdbc.sql("SELECT * FROM access_entry_baselines WHERE cluster = :cluster FOR UPDATE")
                .param("cluster", cluster)
                .query((rs, row) -> {
                    Timestamp rebaseline = rs.getTimestamp("rebaseline_after");
                    return new Baseline(rs.getString("cluster"), AccessEntryState.parse(rs.getString("entries")),
                            rs.getString("hash"), rs.getTimestamp("read_started_at").toInstant(),
                            rebaseline == null ? null : rebaseline.toInstant(), Source.valueOf(rs.getString("source")));
                })
                .optional();
    }

    /** @return false when another replica set the first baseline meanwhile */
    boolean insertFirst(String cluster, AccessEntryState entries, Instant readStartedAt) {
        return jdbc.sql("""
                        INSERT INTO access_entry_baselines (cluster, entries, hash, read_started_at, source)
                        VALUES (:cluster, CAST(:entries AS jsonb), :hash, :readStartedAt, 'OBSERVED') ON CONFLICT DO NOTHING""")
                .param("cluster", cluster)
                .param("entries", entries.json())
                .param("hash", entries.hash())
                .param("readStartedAt", Timestamp.from(readStartedAt))
                .update() == 1;
    }

    /** Replaces the baseline (and forgets a pending re-baseline). */
    void set(String cluster, AccessEntryState entries, Instant readStartedAt, Source source) {
        jdbc.sql("""
                        UPDATE access_entry_baselines SET entries = CAST(:entries AS jsonb), hash = :hash,
                               read_started_at = :readStartedAt, rebaseline_after = NULL, source = :source, updated_at = now()
                        WHERE cluster = :cluster""")
                .param("cluster", cluster)
                .param("entries", entries.json())
                .param("hash", entries.hash())
                .param("readStartedAt", Timestamp.from(readStartedAt))
                .param("source", source.name())
                .update();
    }

    /** The console wrote at {@code writtenAt}: the first sync started after that becomes the baseline. */
    void rebaselineAfter(String cluster, Instant writtenAt) {
        jdbc.sql("UPDATE access_entry_baselines SET rebaseline_after = :at, updated_at = now() WHERE cluster = :cluster")
                .param("cluster", cluster)
                .param("at", Timestamp.from(writtenAt))
                .update();
    }

    /** An admin adopted drift: the baseline keeps its content (unless it moved on since) and says so. */
    void adopted(String cluster, String hash) {
        jdbc.sql("""
                        UPDATE access_entry_baselines SET source = 'ADOPTED', updated_at = now()
                        WHERE cluster = :cluster AND hash = :hash""")
                .param("cluster", cluster)
                .param("hash", hash)
                .update();
    }

    /**
     * Whether the console is writing to the cluster or has just done so (an apply intent pending, or
     * finished in the last two minutes): a difference seen now may be its own write, not yet announced.
     * Intents older than fifteen minutes no longer hold drift back (recovery finishes them).
     */
    boolean consoleWriting(String cluster) {
        return jdbc.sql("""
                        SELECT EXISTS (SELECT 1 FROM apply_intents
                                        WHERE cluster = :cluster AND created_at > now() - INTERVAL '15 minutes'
                                          AND (state = 'PENDING' OR finished_at > now() - INTERVAL '2 minutes'))""")
                .param("cluster", cluster)
                .query(Boolean.class).single();
    }
}
