-- Bounds on what people can store (issue #14: a 10 MB justification, 100,000 groups). The console
-- refuses longer input with a message naming the field (request/RequestLimits, ApprovalPolicies,
-- NotificationEndpoints, ReportAttestations); these CHECKs hold whatever else writes the tables.
--
-- Rows stored before this migration may be longer. They are kept as they are, and the CHECKs of the
-- tables with a serial id exempt the ids present now: the constraint is then valid for every row, and
-- those rows can still be updated. (NOT VALID would not do for access_requests: PostgreSQL checks the
-- new row of every UPDATE, so such a request could never expire, be revoked or be recovered.)

-- An approval policy's text[] lists, element by element (a CHECK cannot hold a subquery itself).
CREATE FUNCTION longest_element(values_ TEXT[]) RETURNS INTEGER
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT coalesce(max(length(v)), 0) FROM unnest(values_) AS v $$;

LOCK TABLE access_requests, request_reviews, notification_endpoints, report_attestations
    IN SHARE ROW EXCLUSIVE MODE;

DO $migration$
DECLARE
    last_request     BIGINT := (SELECT coalesce(max(id), 0) FROM access_requests);
    last_review      BIGINT := (SELECT coalesce(max(id), 0) FROM request_reviews);
    last_endpoint    BIGINT := (SELECT coalesce(max(id), 0) FROM notification_endpoints);
    last_attestation BIGINT := (SELECT coalesce(max(id), 0) FROM report_attestations);
BEGIN
    -- Justification ≤ 4,000 characters; the change: ARN ≤ 2,048, username ≤ 255, at most 50 groups
    -- of ≤ 255 (the stored JSON as a whole then stays under 16 KiB).
    EXECUTE format($sql$
        ALTER TABLE access_requests ADD CONSTRAINT access_requests_bounded CHECK (id <= %s OR (
            length(justification) <= 4000
            AND length(change::text) <= 16384
            AND length(coalesce(change->>'arn', change->>'accountId', '')) <= 2048
            AND length(coalesce(change->>'username', '')) <= 255
            AND jsonb_array_length(coalesce(change->'groups', '[]'::jsonb)) <= 50))
        $sql$, last_request);
    EXECUTE format($sql$
        ALTER TABLE request_reviews ADD CONSTRAINT request_reviews_comment_bounded
            CHECK (id <= %s OR length(comment) <= 4000)
        $sql$, last_review);
    EXECUTE format($sql$
        ALTER TABLE notification_endpoints ADD CONSTRAINT notification_endpoints_name_bounded
            CHECK (id <= %s OR length(name) BETWEEN 1 AND 100)
        $sql$, last_endpoint);
    EXECUTE format($sql$
        ALTER TABLE report_attestations ADD CONSTRAINT report_attestations_text_bounded
            CHECK (id <= %s OR (length(comment) <= 4000 AND length(exceptions) <= 4000))
        $sql$, last_attestation);
END
$migration$;

-- A policy row is replaced whole on every save (which checks these first), so NOT VALID is safe here:
-- an older row that breaks a bound stays readable until its next save. It is validated at once when no
-- row breaks it, which is the usual case.
ALTER TABLE approval_policies ADD CONSTRAINT approval_policies_lists_bounded CHECK (
    cardinality(approver_groups) <= 50
    AND longest_element(approver_groups) <= 255
    AND approver_roles <@ ARRAY['ADMIN', 'APPROVER', 'AUDITOR', 'REQUESTER']::TEXT[]) NOT VALID;

DO $migration$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM approval_policies
                    WHERE NOT (cardinality(approver_groups) <= 50 AND longest_element(approver_groups) <= 255
                               AND approver_roles <@ ARRAY['ADMIN', 'APPROVER', 'AUDITOR', 'REQUESTER']::TEXT[])) THEN
        ALTER TABLE approval_policies VALIDATE CONSTRAINT approval_policies_lists_bounded;
    END IF;
END
$migration$;
