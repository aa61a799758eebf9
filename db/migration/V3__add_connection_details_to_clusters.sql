-- What the console needs to connect: the kubeconfig file a context came from, and for EKS the
-- endpoint's CA bundle and the role to assume for the token.
ALTER TABLE clusters ADD COLUMN kubeconfig_path TEXT;
ALTER TABLE clusters ADD COLUMN ca_data TEXT;
ALTER TABLE clusters ADD COLUMN aws_role_arn TEXT;
