-- Access requests (DESIGN "Request lifecycle") and their reviews. A request row carries an explicit
-- state; reviews are appended, never edited (the trigger refuses the rest), one per reviewer.
CREATE TABLE access_requests (
    id                BIGSERIAL   PRIMARY KEY,
    cluster           TEXT        NOT NULL,
    requester_subject TEXT        NOT NULL,
    requester_name    TEXT        NOT NULL,
    change            JSONB       NOT NULL,
    justification     TEXT        NOT NULL,
    duration_hours    INTEGER     CHECK (duration_hours > 0),
    state             TEXT        NOT NULL CHECK (state IN ('PENDING', 'APPROVED', 'APPLYING', 'APPLIED', 'FAILED',
                                                            'REJECTED', 'CANCELLED', 'EXPIRED', 'REVOKED')),
    break_glass       BOOLEAN     NOT NULL DEFAULT FALSE,
    -- break-glass only: the admin confirmed overriding the lockout check
    override_lockout  BOOLEAN     NOT NULL DEFAULT FALSE,
    approvals_needed  INTEGER     NOT NULL DEFAULT 1 CHECK (approvals_needed > 0),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at        TIMESTAMPTZ NOT NULL,
    resolved_at       TIMESTAMPTZ,
    applied_at        TIMESTAMPTZ,
    grant_ends_at     TIMESTAMPTZ,
    expiring_notified BOOLEAN     NOT NULL DEFAULT FALSE,
    outcome_message   TEXT,
    outcome_diff      TEXT,
    before_hash       TEXT,
    after_hash        TEXT,
    inverse_change    JSONB,
    revoke_message    TEXT
);

CREATE INDEX access_requests_state ON access_requests (state, expires_at);
CREATE INDEX access_requests_requester ON access_requests (requester_subject, id DESC);
CREATE INDEX access_requests_grant_end ON access_requests (grant_ends_at) WHERE state = 'APPLIED';

CREATE TABLE request_reviews (
    id               BIGSERIAL   PRIMARY KEY,
    request_id       BIGINT      NOT NULL REFERENCES access_requests (id),
    reviewer_subject TEXT        NOT NULL,
    reviewer_name    TEXT        NOT NULL,
    decision         TEXT        NOT NULL CHECK (decision IN ('APPROVE', 'REJECT')),
    comment          TEXT        NOT NULL CHECK (length(btrim(comment)) > 0),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (request_id, reviewer_subject)
);

CREATE FUNCTION request_reviews_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'request_reviews is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER request_reviews_append_only
    BEFORE UPDATE OR DELETE ON request_reviews
    FOR EACH ROW EXECUTE FUNCTION request_reviews_refuse_change();
