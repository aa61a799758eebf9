-- Periodic access reports. A report is written once and never changed: its content is the exact
-- JSON text that was hashed (content_sha256), so a downloaded copy can be checked against the hash.
-- Attestations (an auditor's review) are separate rows, equally final. Generation progress lives
-- in report_jobs, which is ordinary mutable state any replica can read.
CREATE TABLE access_reports (
    id                 BIGSERIAL   PRIMARY KEY,
    scope              TEXT        NOT NULL,
    trigger            TEXT        NOT NULL CHECK (trigger IN ('SCHEDULED', 'ON_DEMAND')),
    requested_by       TEXT        NOT NULL,
    generated_at       TIMESTAMPTZ NOT NULL,
    previous_report_id BIGINT      REFERENCES access_reports (id),
    content            TEXT        NOT NULL,
    content_sha256     TEXT        NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$')
);

CREATE INDEX access_reports_scope ON access_reports (scope, generated_at DESC);

CREATE TABLE report_attestations (
    id               BIGSERIAL   PRIMARY KEY,
    report_id        BIGINT      NOT NULL REFERENCES access_reports (id),
    attested_by      TEXT        NOT NULL,
    attested_by_name TEXT        NOT NULL,
    attested_at      TIMESTAMPTZ NOT NULL,
    comment          TEXT        NOT NULL,
    exceptions       TEXT        NOT NULL DEFAULT ''
);

CREATE INDEX report_attestations_report ON report_attestations (report_id, attested_at);

CREATE TABLE report_jobs (
    id          UUID        PRIMARY KEY,
    scope       TEXT        NOT NULL,
    trigger     TEXT        NOT NULL,
    state       TEXT        NOT NULL CHECK (state IN ('RUNNING', 'DONE', 'FAILED')),
    done_steps  INT         NOT NULL DEFAULT 0,
    total_steps INT         NOT NULL DEFAULT 0,
    step        TEXT,
    report_id   BIGINT      REFERENCES access_reports (id),
    error       TEXT,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);

CREATE FUNCTION refuse_rewrite() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER access_reports_append_only
    BEFORE UPDATE OR DELETE ON access_reports
    FOR EACH ROW EXECUTE FUNCTION refuse_rewrite();
CREATE TRIGGER access_reports_no_truncate
    BEFORE TRUNCATE ON access_reports
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite();
CREATE TRIGGER report_attestations_append_only
    BEFORE UPDATE OR DELETE ON report_attestations
    FOR EACH ROW EXECUTE FUNCTION refuse_rewrite();
CREATE TRIGGER report_attestations_no_truncate
    BEFORE TRUNCATE ON report_attestations
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite();

REVOKE UPDATE, DELETE, TRUNCATE ON access_reports, report_attestations FROM eks_console_app;
