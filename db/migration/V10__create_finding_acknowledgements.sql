-- An admin's decision to accept a finding for a while: which finding (rule ID and resource, as
-- the findings engine names them) on which cluster, why, until when, and who. Rows are appended,
-- never updated: the newest unexpired one for a finding is in force; the audit log has the story.
CREATE TABLE finding_acknowledgements (
    id              BIGSERIAL   PRIMARY KEY,
    cluster_id      BIGINT      NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    finding_id      TEXT        NOT NULL CHECK (finding_id ~ '^[A-Z]+-[0-9]{3}$'),
    resource        TEXT        NOT NULL CHECK (length(resource) BETWEEN 1 AND 500),
    reason          TEXT        NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
    expires_at      TIMESTAMPTZ NOT NULL,
    actor_subject   TEXT        NOT NULL,
    actor_name      TEXT        NOT NULL,
    acknowledged_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (expires_at > acknowledged_at)
);

CREATE INDEX finding_acknowledgements_current
    ON finding_acknowledgements (cluster_id, finding_id, resource, acknowledged_at DESC);
