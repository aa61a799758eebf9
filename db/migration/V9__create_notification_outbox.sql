-- Notifications waiting to be delivered to the configured webhooks. A row is written in the same
-- transaction as the change it tells about, so nothing is announced that did not happen and
-- nothing that happened goes unannounced; delivery (with retries) works from this table.
CREATE TABLE notification_outbox (
    id          BIGSERIAL   PRIMARY KEY,
    type        TEXT        NOT NULL,
    cluster     TEXT,
    request_id  BIGINT,
    summary     TEXT        NOT NULL,
    link        TEXT,
    details     JSONB       NOT NULL DEFAULT '{}'::jsonb,
    occurred_at TIMESTAMPTZ NOT NULL
);
