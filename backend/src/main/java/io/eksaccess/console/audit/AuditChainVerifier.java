package io.eksaccess.console.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Walks the whole history in order and recomputes every hash; names the first row that does not
 * fit. It also holds the history against its anchors: the heads earlier verifications saw
 * ({@code audit_checkpoints}), and the heads stored reports and attestations carry. Rows missing
 * after an anchor's sequence, or another hash at it, break the history just as a changed row does.
 * Whatever a row holds (a superuser may write anything into it), the answer is a result naming the
 * row, never an exception.
 */
@Component
public class AuditChainVerifier {

    /**
     * @param rows how many rows were checked
     * @param firstBrokenSequence the first row whose content, link or numbering was changed, or the
     *     first missing one (null: intact)
     * @param head the newest row found (null: no rows)
     * @param anchors how many recorded heads (checkpoints, reports, attestations) were compared
     * @param newestAnchor the recorded head with the highest sequence (null: none yet)
     * @param checkpointed whether this verification recorded (or found already recorded) its head as a checkpoint
     */
    public record Result(long rows, Long firstBrokenSequence, String problem, AuditChainHead head, int anchors,
            Anchor newestAnchor, boolean checkpointed) {
        public boolean intact() {
            return firstBrokenSequence == null;
        }

        Result withCheckpoint() {
            return new Result(rows, firstBrokenSequence, problem, head, anchors, newestAnchor, true);
        }
    }

    /** A chain head recorded somewhere, and where ({@code source}, e.g. "the checkpoint of …"). */
    public record Anchor(long sequence, String hash, String source) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcClient jdbc;
    private final AuditChainKey key;
    private final Clock clock = Clock.systemUTC();

    AuditChainVerifier(JdbcClient jdbc, AuditChainKey key) {
        this.jdbc = jdbc;
        this.key = key;
    }

    public Result verify() {
        List<Anchor> anchors = anchors();
        Map<Long, List<Anchor>> anchorsAt = new HashMap<>();
        anchors.forEach(a -> anchorsAt.computeIfAbsent(a.sequence(), s -> new ArrayList<>()).add(a));
        Anchor newestAnchor = anchors.stream().max(Comparator.comparingLong(Anchor::sequence)).orElse(null);
        Walk walk = new Walk(anchorsAt);
        jdbc.sql("SELECT * FROM audit_events ORDER BY sequence").query(walk::row);
        AuditChainHead head = walk.lastSequence == 0 ? null : new AuditChainHead(walk.lastSequence, walk.previous);
        if (walk.broken == null && newestAnchor != null && newestAnchor.sequence() > walk.lastSequence) {
            walk.broken = walk.lastSequence + 1;
            walk.problem = "rows after " + walk.lastSequence + " are missing: " + newestAnchor.source()
                    + " saw the history up to row " + newestAnchor.sequence();
        }
        if (walk.broken == null && key.present() && head != null && !walk.lastKeyed) {
            walk.broken = walk.lastSequence;
            walk.problem = "the newest row is not keyed although console.audit.chain-key is set: rows were rewritten"
                    + " without the key, or the console has not run with the key yet (starting it once seals the"
                    + " history with a keyed row)";
        }
        return new Result(walk.checked, walk.broken, walk.problem, head, anchors.size(), newestAnchor, false);
    }

    /**
     * Verifies, and records the head as a checkpoint when the history is intact (unless the newest
     * checkpoint already has it). A database login that may only read (an auditor's, say) still
     * gets the verification; {@link Result#checkpointed} then says false.
     */
    public Result verifyAndCheckpoint(String verifiedBy) {
        Result result = verify();
        if (!result.intact() || result.head() == null) {
            return result;
        }
        AuditChainHead head = result.head();
        try {
            boolean known = jdbc.sql("""
                            SELECT count(*) FROM audit_checkpoints
                             WHERE id = (SELECT max(id) FROM audit_checkpoints) AND sequence = :s AND hash = :h""")
                    .param("s", head.sequence()).param("h", head.hash()).query(Long.class).single() > 0;
            if (!known) {
                jdbc.sql("""
                                INSERT INTO audit_checkpoints (sequence, hash, verified_at, verified_by)
                                VALUES (:s, :h, :at, :by)""")
                        .param("s", head.sequence()).param("h", head.hash())
                        .param("at", Timestamp.from(clock.instant())).param("by", verifiedBy)
                        .update();
            }
            return result.withCheckpoint();
        } catch (DataAccessException e) {
            return result;
        }
    }

    /** The heads recorded by checkpoints, reports (in their content) and attestations. */
    List<Anchor> anchors() {
        List<Anchor> anchors = new ArrayList<>(jdbc.sql("""
                        SELECT DISTINCT ON (sequence, hash) sequence, hash, verified_at, verified_by
                          FROM audit_checkpoints ORDER BY sequence, hash, id""")
                .query((rs, n) -> new Anchor(rs.getLong("sequence"), rs.getString("hash"),
                        "the checkpoint of " + rs.getTimestamp("verified_at").toInstant() + " ("
                                + rs.getString("verified_by") + ")"))
                .list());
        jdbc.sql("SELECT id, content FROM access_reports ORDER BY id").query(rs -> {
            long report = rs.getLong("id");
            reportHead(rs.getString("content")).ifPresent(head -> anchors.add(
                    new Anchor(head.sequence(), head.hash(), "report " + report)));
        });
        anchors.addAll(jdbc.sql("""
                        SELECT id, report_id, audit_head_sequence, audit_head_hash FROM report_attestations
                         WHERE audit_head_sequence IS NOT NULL AND audit_head_hash IS NOT NULL""")
                .query((rs, n) -> new Anchor(rs.getLong("audit_head_sequence"), rs.getString("audit_head_hash"),
                        "attestation " + rs.getLong("id") + " of report " + rs.getLong("report_id")))
                .list());
        return anchors;
    }

    /** A report's {@code auditChainHead}; none when absent (older reports) or unreadable (not this check's concern). */
    private static Optional<AuditChainHead> reportHead(String content) {
        try {
            JsonNode head = JSON.readTree(content).path("auditChainHead");
            if (head.path("sequence").canConvertToLong() && head.path("hash").isTextual()) {
                return Optional.of(new AuditChainHead(head.path("sequence").asLong(), head.path("hash").asText()));
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // a report's own integrity is its content_sha256; the chain check uses what it can read
        }
        return Optional.empty();
    }

    /** The state of one pass over the rows, in sequence order. */
    private final class Walk {
        private final Map<Long, List<Anchor>> anchorsAt;
        long checked;
        long lastSequence;
        String previous = AuditHash.GENESIS;
        boolean seenKeyed;
        boolean lastKeyed;
        Long broken;
        String problem;

        Walk(Map<Long, List<Anchor>> anchorsAt) {
            this.anchorsAt = anchorsAt;
        }

        void row(ResultSet rs) throws SQLException {
            if (broken != null) {
                return;
            }
            long sequence = rs.getLong("sequence");
            checked++;
            try {
                String trouble = check(rs, sequence);
                if (trouble != null) {
                    broken = sequence;
                    problem = trouble;
                    return;
                }
            } catch (RuntimeException e) {
                broken = sequence;
                problem = "it cannot be read (" + e.getClass().getSimpleName()
                        + "): its content was changed after it was written";
                return;
            }
            lastSequence = sequence;
            previous = rs.getString("hash");
        }

        /** @return what is wrong with the row, or null */
        private String check(ResultSet rs, long sequence) throws SQLException {
            if (sequence != checked) {
                return "row " + checked + " is missing";
            }
            if (!previous.equals(rs.getString("previous_hash"))) {
                return "its link to the previous row does not match";
            }
            Map<String, String> details = details(rs.getString("details"));
            if (details == null) {
                return "its details are not an object of strings: its content was changed after it was written";
            }
            String scheme = rs.getString("hash_scheme");
            boolean keyed = AuditHash.Scheme.HMAC_SHA256.name().equals(scheme);
            if (!keyed && !AuditHash.Scheme.SHA256.name().equals(scheme)) {
                return "it names an unknown hash scheme: its content was changed after it was written";
            }
            if (keyed && !key.present()) {
                return "it is keyed (HMAC-SHA256): verifying it needs console.audit.chain-key";
            }
            if (!keyed && seenKeyed) {
                return "it is not keyed although earlier rows are: it was rewritten without the"
                        + " chain key (or written by a replica that lacks console.audit.chain-key)";
            }
            String canonical = AuditHash.canonical(
                    sequence,
                    rs.getObject("id", UUID.class),
                    rs.getTimestamp("occurred_at").toInstant(),
                    new AuditActor(rs.getString("actor_subject"), rs.getString("actor_name"), rs.getString("source_ip")),
                    rs.getString("action"), // as stored: a newer replica may know actions this one does not
                    rs.getString("cluster"),
                    rs.getString("resource"),
                    details,
                    rs.getString("outcome"),
                    rs.getString("previous_hash"));
            String hash = rs.getString("hash");
            if (!key.hash(AuditHash.Scheme.valueOf(scheme), canonical).equals(hash)) {
                return "its content was changed after it was written";
            }
            for (Anchor anchor : anchorsAt.getOrDefault(sequence, List.of())) {
                if (!anchor.hash().equals(hash)) {
                    return "it is not the row " + anchor.source() + " saw (another hash): the history up to it"
                            + " was rewritten and its hashes recomputed";
                }
            }
            seenKeyed |= keyed;
            lastKeyed = keyed;
            return null;
        }
    }

    /** The stored details as the hash saw them: an object of strings; null for anything else. */
    static Map<String, String> details(String json) {
        JsonNode node;
        try {
            node = json == null ? null : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (node == null || !node.isObject()) {
            return null;
        }
        Map<String, String> details = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                return null;
            }
            details.put(field.getKey(), field.getValue().asText());
        }
        return details;
    }
}
