-- The audit history: one record shape for everything that happens, append-only and hash-chained.
-- Each row stores the hash of its own content and of the previous row, so any rewrite shows.
CREATE TABLE audit_events (
    id             UUID        PRIMARY KEY,
    sequence       BIGINT      NOT NULL UNIQUE CHECK (sequence > 0),
    occurred_at    TIMESTAMPTZ NOT NULL,
    actor_subject  TEXT        NOT NULL,
    actor_name     TEXT        NOT NULL,
    source_ip      TEXT,
    action         TEXT        NOT NULL,
    cluster        TEXT,
    resource       TEXT,
    details        JSONB       NOT NULL DEFAULT '{}'::jsonb,
    outcome        TEXT        NOT NULL,
    previous_hash  TEXT        NOT NULL,
    hash           TEXT        NOT NULL UNIQUE
);

CREATE INDEX audit_events_occurred_at ON audit_events (occurred_at DESC, sequence DESC);
CREATE INDEX audit_events_cluster ON audit_events (cluster, sequence DESC);
CREATE INDEX audit_events_actor ON audit_events (actor_subject, sequence DESC);

-- History is never rewritten: the database itself refuses it, whoever asks.
CREATE FUNCTION audit_events_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();

CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
