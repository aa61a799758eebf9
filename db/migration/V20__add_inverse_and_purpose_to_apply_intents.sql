-- The change that undoes an intent is planned on the aws-auth as it was BEFORE the write and stored
-- here before the write is sent, so an apply that is recovered or repeated after a crash (when the
-- write may already have happened and a fresh plan finds nothing to do) still knows what to take
-- back at the grant's end. inverse_planned distinguishes "nothing to take back" (NULL inverse,
-- planned) from "never planned" (the write cannot have happened).
ALTER TABLE apply_intents
    ADD COLUMN inverse         JSONB,
    ADD COLUMN inverse_planned BOOLEAN NOT NULL DEFAULT FALSE,
    -- APPLY carries out a request (or break-glass, adoption); REVOKE takes a grant back at its end.
    ADD COLUMN purpose         TEXT    NOT NULL DEFAULT 'APPLY' CHECK (purpose IN ('APPLY', 'REVOKE'));

CREATE INDEX apply_intents_request_purpose ON apply_intents (request_id, purpose, id DESC)
    WHERE request_id IS NOT NULL;
