-- Which replica ran a scheduled job for which period: the primary key lets exactly one replica
-- claim each period, however many are running.
CREATE TABLE scheduled_job_runs (
    job          TEXT        NOT NULL,
    period_start TIMESTAMPTZ NOT NULL,
    replica      TEXT        NOT NULL,
    claimed_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (job, period_start)
);
