-- What EKS DescribeCluster says about how a cluster is reached and authenticated.
ALTER TABLE clusters ADD COLUMN eks_authentication_mode TEXT;
ALTER TABLE clusters ADD COLUMN endpoint_public_access BOOLEAN;
ALTER TABLE clusters ADD COLUMN endpoint_private_access BOOLEAN;
ALTER TABLE clusters ADD COLUMN public_access_cidrs TEXT[];
ALTER TABLE clusters ADD COLUMN discovered_at TIMESTAMPTZ;
