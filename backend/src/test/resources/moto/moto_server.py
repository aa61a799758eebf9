"""Starts moto's server (same arguments as `python -m moto.server`) with two extensions: EKS
accessConfig (below) and the EKS access-entry operations (eks_access_entries.py, beside this file).

Why: moto 5.2.5, the newest release, does not implement EKS accessConfig. CreateCluster ignores it
and DescribeCluster never returns it, so the console's EKS-003 (the cluster creator still holds
admin access by bootstrap) could not be tested against the emulator. This patch keeps what
CreateCluster was given (with AWS's documented defaults: authenticationMode CONFIG_MAP and
bootstrapClusterCreatorAdminPermissions true) and moto's own serializer returns it, because
botocore's Cluster shape already has accessConfig. Remove it once moto supports accessConfig.
"""

from moto.eks.responses import EKSResponse
from moto.server import main

import eks_access_entries

_create_cluster = EKSResponse.create_cluster


def _create_cluster_with_access_config(self):
    result = _create_cluster(self)
    requested = self._get_param("accessConfig") or {}
    cluster = self.eks_backend.clusters[self._get_param("name")]
    cluster.access_config = {
        "authenticationMode": requested.get("authenticationMode", "CONFIG_MAP"),
        "bootstrapClusterCreatorAdminPermissions": requested.get("bootstrapClusterCreatorAdminPermissions", True),
    }
    return result


EKSResponse.create_cluster = _create_cluster_with_access_config

eks_access_entries.install()

if __name__ == "__main__":
    main()
