-- The home pages and the cluster overview ask these on every refresh (every 30 s per person):
-- break-glass uses and drift since the latest report (auditors), open and applied requests per
-- cluster (the overview).
CREATE INDEX access_requests_break_glass ON access_requests (created_at) WHERE break_glass;
CREATE INDEX access_requests_cluster_state ON access_requests (cluster, state);
CREATE INDEX access_requests_cluster_applied ON access_requests (cluster, applied_at DESC) WHERE applied_at IS NOT NULL;
CREATE INDEX drift_events_detected ON drift_events (detected_at);
