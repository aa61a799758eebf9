-- An undo from the history names the request it undoes. At most one undo of a request is open at a
-- time, and applying it ends the undone request (REVOKED, "undone by request #n"), so neither a
-- second undo nor the undone grant's end takes the same access back again (or access given since).
ALTER TABLE access_requests
    ADD COLUMN undoes BIGINT REFERENCES access_requests (id);

CREATE INDEX access_requests_undoes ON access_requests (undoes) WHERE undoes IS NOT NULL;
