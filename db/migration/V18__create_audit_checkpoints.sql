-- Anchors of the audit history against truncation and rewrites (issue #14, "The audit trail must tell
-- the truth"). A hash chain alone shows a changed row, but not a history whose newest rows were
-- deleted, nor one rewritten with every following hash recomputed.

-- Which function hashed each row: plain SHA-256 (everything before this migration, and installations
-- without console.audit.chain-key) or HMAC-SHA256 with the chain key, which never enters the
-- database. A fast default: existing rows are not rewritten (and the append-only trigger not fired).
ALTER TABLE audit_events
    ADD COLUMN hash_scheme TEXT NOT NULL DEFAULT 'SHA256' CHECK (hash_scheme IN ('SHA256', 'HMAC_SHA256'));

-- The chain head each successful verification saw (the periodic job, the page's button, and the
-- `audit verify` command). A later verification that finds fewer rows, or another hash at a
-- checkpoint's sequence, reports the history as broken. Insert-only, like the history itself.
CREATE TABLE audit_checkpoints (
    id          BIGSERIAL   PRIMARY KEY,
    sequence    BIGINT      NOT NULL CHECK (sequence > 0),
    hash        TEXT        NOT NULL,
    verified_at TIMESTAMPTZ NOT NULL,
    verified_by TEXT        NOT NULL
);

CREATE INDEX audit_checkpoints_latest ON audit_checkpoints (sequence DESC, id DESC);

CREATE TRIGGER audit_checkpoints_append_only
    BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION refuse_rewrite();
CREATE TRIGGER audit_checkpoints_no_truncate
    BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_checkpoints FROM eks_console_app;

-- An attestation names the chain head at the moment the auditor attested (null for older ones), so
-- that an auditor's record proves which rows existed then. Reports carry theirs in their content.
ALTER TABLE report_attestations
    ADD COLUMN audit_head_sequence BIGINT,
    ADD COLUMN audit_head_hash     TEXT;
