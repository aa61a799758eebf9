-- Where notifications go and how each one fared. Admins manage endpoints; the dispatcher fans each
-- outbox row out into one delivery per matching endpoint, then works the deliveries with retries.
-- All state lives here, so deliveries survive restarts and any replica can pick them up.
CREATE TABLE notification_endpoints (
    id             BIGSERIAL   PRIMARY KEY,
    name           TEXT        NOT NULL UNIQUE,
    kind           TEXT        NOT NULL CHECK (kind IN ('GENERIC_JSON', 'SLACK')),
    url            TEXT        NOT NULL,
    event_types    TEXT[]      NOT NULL,
    -- HMAC key for X-EKS-Console-Signature; written by admins, never shown back or logged.
    signing_secret TEXT,
    enabled        BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Set once an outbox row has been turned into deliveries (by whichever replica claimed it).
ALTER TABLE notification_outbox ADD COLUMN fanned_out_at TIMESTAMPTZ;
CREATE INDEX notification_outbox_pending ON notification_outbox (id) WHERE fanned_out_at IS NULL;

CREATE TABLE notification_deliveries (
    id              BIGSERIAL   PRIMARY KEY,
    outbox_id       BIGINT      NOT NULL REFERENCES notification_outbox (id) ON DELETE CASCADE,
    endpoint_id     BIGINT      NOT NULL REFERENCES notification_endpoints (id) ON DELETE CASCADE,
    status          TEXT        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_http_status INTEGER,
    last_error      TEXT,
    last_attempt_at TIMESTAMPTZ,
    delivered_at    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (outbox_id, endpoint_id)
);

CREATE INDEX notification_deliveries_due ON notification_deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX notification_deliveries_recent ON notification_deliveries (endpoint_id, id DESC);
