-- The cluster registry: one row per cluster the console knows, whatever its source.
CREATE TABLE clusters (
    id              BIGSERIAL PRIMARY KEY,
    name            TEXT        NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9._-]{1,100}$'),
    source          TEXT        NOT NULL CHECK (source IN ('KUBECONFIG', 'EKS', 'IN_CLUSTER', 'MANUAL')),
    api_server_url  TEXT,
    kube_context    TEXT,
    aws_account_id  TEXT        CHECK (aws_account_id ~ '^[0-9]{12}$'),
    aws_region      TEXT,
    eks_cluster_name TEXT,
    enabled         BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
