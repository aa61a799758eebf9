-- An authentication-mode change is an EKS update that runs for minutes: its id (from
-- UpdateClusterConfig) is stored with the intent as soon as EKS returns it, so the poll of
-- DescribeUpdate goes on in the background and resumes from it after a restart.
ALTER TABLE apply_intents
    ADD COLUMN eks_update_id TEXT CHECK (length(eks_update_id) <= 200);
