-- What the console last observed, applied or adopted of each EKS cluster's access entries and their
-- policy associations (issue #16): a later sync that differs, without the console having written,
-- is drift. entries is the canonical form the drift feature compares (principal ARN → type, username,
-- groups, policies with scopes); no timestamps of EKS's own beyond each entry's creation.
CREATE TABLE access_entry_baselines (
    cluster           TEXT        PRIMARY KEY,
    entries           JSONB       NOT NULL,
    hash              TEXT        NOT NULL,
    -- when the sync this baseline came from started: syncs that started earlier are not compared
    read_started_at   TIMESTAMPTZ NOT NULL,
    -- set when the console announced a write of its own: the first sync started after it becomes
    -- the baseline (source APPLIED) instead of being compared
    rebaseline_after  TIMESTAMPTZ,
    source            TEXT        NOT NULL CHECK (source IN ('OBSERVED', 'APPLIED', 'DRIFT', 'ADOPTED')),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Drift events now come from aws-auth or from the access entries; the rows before this are aws-auth's.
ALTER TABLE drift_events
    ADD COLUMN resource TEXT NOT NULL DEFAULT 'aws-auth' CHECK (resource IN ('aws-auth', 'access-entries'));
