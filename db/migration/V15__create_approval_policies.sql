-- Approval policy per cluster. A cluster without a row gets the defaults in ApprovalPolicy.defaults().
CREATE TABLE approval_policies (
    cluster              TEXT        PRIMARY KEY,
    approvals_needed     INTEGER     NOT NULL DEFAULT 1 CHECK (approvals_needed BETWEEN 1 AND 10),
    -- console roles whose holders may approve (e.g. {APPROVER}); empty means only the groups below
    approver_roles       TEXT[]      NOT NULL DEFAULT '{APPROVER}',
    -- OIDC groups whose members may approve, besides the roles above
    approver_groups      TEXT[]      NOT NULL DEFAULT '{}',
    max_grant_hours      INTEGER     NOT NULL DEFAULT 2160 CHECK (max_grant_hours BETWEEN 1 AND 2160),
    allow_masters        BOOLEAN     NOT NULL DEFAULT FALSE,
    request_ttl_hours    INTEGER     NOT NULL DEFAULT 72 CHECK (request_ttl_hours BETWEEN 1 AND 2160),
    auto_apply           BOOLEAN     NOT NULL DEFAULT TRUE,
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by           TEXT
);
