-- One row per aws-auth change the console sets out to make, committed before anything else
-- (before the audit INTENT and the write). The replica carrying it out holds a PostgreSQL
-- advisory lock on the row's id for as long as it works on it; a PENDING row whose lock can be
-- taken belongs to a replica that died, and start-up recovery finishes it.
CREATE TABLE apply_intents (
    id            BIGSERIAL   PRIMARY KEY,
    cluster       TEXT        NOT NULL,
    change        JSONB       NOT NULL,
    request_id    BIGINT,
    actor_subject TEXT        NOT NULL,
    actor_name    TEXT,
    actor_ip      TEXT,
    reason        TEXT,
    break_glass   BOOLEAN     NOT NULL DEFAULT FALSE,
    state         TEXT        NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'DONE')),
    status        TEXT,
    message       TEXT,
    before_hash   TEXT,
    after_hash    TEXT,
    diff          TEXT,
    attempts      INTEGER,
    recovered     BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at   TIMESTAMPTZ
);

CREATE INDEX apply_intents_pending ON apply_intents (id) WHERE state = 'PENDING';
CREATE INDEX apply_intents_request ON apply_intents (request_id) WHERE request_id IS NOT NULL;
