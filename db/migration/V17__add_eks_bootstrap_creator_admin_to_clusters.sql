-- EKS DescribeCluster accessConfig.bootstrapClusterCreatorAdminPermissions: whether the IAM identity
-- that created the cluster was made cluster admin at creation (EKS-003). NULL: EKS did not say, or
-- the cluster was not discovered through EKS. authenticationMode is in eks_authentication_mode (V4).
ALTER TABLE clusters ADD COLUMN eks_bootstrap_creator_admin BOOLEAN;
