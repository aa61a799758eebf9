package io.eksaccess.console.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Per cluster, the aws-auth content the console last applied or observed (the baseline drift is
 * measured against), and the writes it announced it is about to make.
 */
@Component
class AwsAuthBaselines {

    enum Source {
        OBSERVED,
        APPLIED,
        DRIFT,
        ADOPTED
    }

    record Baseline(String cluster, Map<String, String> data, String hash, String resourceVersion, Source source) {}

    record ExpectedWrite(long id, String beforeHash, Map<String, String> before, String afterHash) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> DATA = new TypeReference<>() {};

    private final JdbcClient jdbc;

    AwsAuthBaselines(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Committed before the write it announces (the applier is not in a transaction). */
    void expectWrite(String cluster, Map<String, String> before, Map<String, String> after) {
        jdbc.sql("""
                        INSERT INTO aws_auth_expected_writes (cluster, before_hash, before_data, after_hash)
                        VALUES (:cluster, :beforeHash, CAST(:before AS jsonb), :afterHash)""")
                .param("cluster", cluster)
                .param("beforeHash", AwsAuthApplier.hash(before))
                .param("before", json(before))
                .param("afterHash", AwsAuthApplier.hash(after))
                .update();
    }

    /** The baseline, locked for the caller's transaction. */
    Optional<Baseline> lockedBaseline(String cluster) {
        return jdbc.sql("SELECT * FROM aws_auth_baselines WHERE cluster = :cluster FOR UPDATE")
                .param("cluster", cluster)
                .query((rs, row) -> new Baseline(rs.getString("cluster"), data(rs.getString("data")), rs.getString("hash"),
                        rs.getString("resource_version"), Source.valueOf(rs.getString("source"))))
                .optional();
    }

    /** @return false when another replica set the first baseline meanwhile */
    boolean insertFirst(String cluster, Map<String, String> data, String resourceVersion) {
        return jdbc.sql("""
                        INSERT INTO aws_auth_baselines (cluster, data, hash, resource_version, source)
                        VALUES (:cluster, CAST(:data AS jsonb), :hash, :rv, 'OBSERVED') ON CONFLICT DO NOTHING""")
                .param("cluster", cluster)
                .param("data", json(data))
                .param("hash", AwsAuthApplier.hash(data))
                .param("rv", resourceVersion)
                .update() == 1;
    }

    void set(String cluster, Map<String, String> data, String resourceVersion, Source source) {
        jdbc.sql("""
                        UPDATE aws_auth_baselines SET data = CAST(:data AS jsonb), hash = :hash, resource_version = :rv,
                               source = :source, updated_at = now()
                        WHERE cluster = :cluster""")
                .param("cluster", cluster)
                .param("data", json(data))
                .param("hash", AwsAuthApplier.hash(data))
                .param("rv", resourceVersion)
                .param("source", source.name())
                .update();
    }

    List<ExpectedWrite> expectedWrites(String cluster) {
        return jdbc.sql("SELECT * FROM aws_auth_expected_writes WHERE cluster = :cluster ORDER BY id")
                .param("cluster", cluster)
                .query((rs, row) -> new ExpectedWrite(rs.getLong("id"), rs.getString("before_hash"),
                        data(rs.getString("before_data")), rs.getString("after_hash")))
                .list();
    }

    /** Forgets the writes up to one that has been seen, and any the watch never showed within a day. */
    void forgetExpectedUpTo(String cluster, long id) {
        jdbc.sql("""
                        DELETE FROM aws_auth_expected_writes
                        WHERE (cluster = :cluster AND id <= :id) OR created_at < now() - INTERVAL '1 day'""")
                .param("cluster", cluster)
                .param("id", id)
                .update();
    }

    static String json(Map<String, String> data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> data(String json) {
        try {
            return JSON.readValue(json, DATA);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored aws-auth data is not a string map", e);
        }
    }
}
