-- Results of the periodic background check of the audit hash chain; the audit page shows the latest.
CREATE TABLE audit_chain_verifications (
    id                    BIGSERIAL   PRIMARY KEY,
    verified_at           TIMESTAMPTZ NOT NULL,
    rows_checked          BIGINT      NOT NULL,
    first_broken_sequence BIGINT,
    problem               TEXT,
    replica               TEXT        NOT NULL
);

CREATE INDEX audit_chain_verifications_latest ON audit_chain_verifications (verified_at DESC);
