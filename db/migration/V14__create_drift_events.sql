-- What the console last applied or observed in each cluster's aws-auth: content that differs from
-- it, and is not a write the console announced beforehand, is drift.
CREATE TABLE aws_auth_baselines (
    cluster          TEXT        PRIMARY KEY,
    data             JSONB       NOT NULL,
    hash             TEXT        NOT NULL,
    resource_version TEXT,
    source           TEXT        NOT NULL CHECK (source IN ('OBSERVED', 'APPLIED', 'DRIFT', 'ADOPTED')),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Writes the console is about to make, recorded before the write so that the watch event of its
-- own write is never taken for drift (and a foreign change it built upon still is).
CREATE TABLE aws_auth_expected_writes (
    id          BIGSERIAL   PRIMARY KEY,
    cluster     TEXT        NOT NULL,
    before_hash TEXT        NOT NULL,
    before_data JSONB       NOT NULL,
    after_hash  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX aws_auth_expected_writes_cluster ON aws_auth_expected_writes (cluster, after_hash);

-- A change to aws-auth the console did not make, with its diff; OPEN until an admin adopts it
-- (or a request reverts it, which is a change of its own).
CREATE TABLE drift_events (
    id               BIGSERIAL   PRIMARY KEY,
    cluster          TEXT        NOT NULL,
    detected_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    resource_version TEXT,
    before_hash      TEXT        NOT NULL,
    after_hash       TEXT        NOT NULL,
    before_data      JSONB       NOT NULL,
    after_data       JSONB       NOT NULL,
    diff             TEXT        NOT NULL,
    state            TEXT        NOT NULL DEFAULT 'OPEN' CHECK (state IN ('OPEN', 'ADOPTED')),
    adopted_by       TEXT,
    adopted_at       TIMESTAMPTZ
);

CREATE INDEX drift_events_open ON drift_events (cluster, id) WHERE state = 'OPEN';
