package io.eksaccess.console.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Walks the whole history in order and recomputes every hash; names the first row that does not fit. */
@Component
public class AuditChainVerifier {

    /**
     * @param rows how many rows were checked
     * @param firstBrokenSequence the first row whose content, link or numbering was changed (null: intact)
     */
    public record Result(long rows, Long firstBrokenSequence, String problem) {
        public boolean intact() {
            return firstBrokenSequence == null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> DETAILS = new TypeReference<>() {};

    private final JdbcClient jdbc;

    AuditChainVerifier(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Result verify() {
        long[] checked = {0};
        String[] previous = {AuditHash.GENESIS};
        Result[] broken = {null};
        jdbc.sql("SELECT * FROM audit_events ORDER BY sequence").query(rs -> {
            if (broken[0] != null) {
                return;
            }
            long sequence = rs.getLong("sequence");
            checked[0]++;
            if (sequence != checked[0]) {
                broken[0] = new Result(checked[0], sequence, "row " + checked[0] + " is missing");
                return;
            }
            if (!previous[0].equals(rs.getString("previous_hash"))) {
                broken[0] = new Result(checked[0], sequence, "its link to the previous row does not match");
                return;
            }
            String expected = AuditHash.of(
                    sequence,
                    rs.getObject("id", UUID.class),
                    rs.getTimestamp("occurred_at").toInstant(),
                    new AuditActor(rs.getString("actor_subject"), rs.getString("actor_name"), rs.getString("source_ip")),
                    rs.getString("action"), // as stored: a newer replica may know actions this one does not
                    rs.getString("cluster"),
                    rs.getString("resource"),
                    details(rs.getString("details")),
                    rs.getString("outcome"),
                    rs.getString("previous_hash"));
            if (!expected.equals(rs.getString("hash"))) {
                broken[0] = new Result(checked[0], sequence, "its content was changed after it was written");
                return;
            }
            previous[0] = rs.getString("hash");
        });
        return broken[0] != null ? broken[0] : new Result(checked[0], null, null);
    }

    private static Map<String, String> details(String json) {
        try {
            return JSON.readValue(json, DETAILS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
