"""EKS access entries and access policies for moto's server, which lacks them (moto 5.2.5).

Why: the console syncs access entries with the AWS SDK's EksClient, and its tests must talk to a
real HTTP server that speaks the EKS REST protocol. This adds the nine operations on moto's own
routing and serializer (botocore's EKS model already describes them), kept in memory per account,
region and cluster like moto's clusters:

  CreateAccessEntry, DescribeAccessEntry, ListAccessEntries (100 a page, nextToken, the
  associatedPolicyArn filter), UpdateAccessEntry, DeleteAccessEntry, AssociateAccessPolicy,
  DisassociateAccessPolicy, ListAssociatedAccessPolicies, ListAccessPolicies; and UpdateClusterConfig's
  accessConfig.authenticationMode (one way, as EKS) with DescribeUpdate for the update it returns.
  A CreateAccessEntry or UpdateClusterConfig repeated with the same clientRequestToken returns the
  first answer instead of failing, as EKS's idempotency does.

Test knobs, as tags on the cluster (so a test in any process sets them through TagResource):
  eks-double/mode-update = InProgress: a mode change stays InProgress (DescribeCluster keeps the old
    mode, as EKS does while it works) for as long as the tag says so; Failed: the next DescribeUpdate
    fails it with eks-double/mode-update-error as EKS's message. Without the tag an update is
    Successful at once; one still InProgress completes at the next DescribeUpdate once the tag is gone.
  eks-double/hold-reads = true: ListAccessEntries (unfiltered) takes its answer, then waits until the
    tag is removed (at most 60 s), with eks-double/read-held = true on the cluster meanwhile, so a test
    can change EKS while a read is under way.

It refuses what EKS refuses at the protocol level (unknown cluster or entry, a duplicate entry, a
CONFIG_MAP cluster) but does not re-implement EKS's validation: the console's validation is tested
against ACCESS-ENTRIES.md, not against this double. Remove this module once moto implements the
operations.
"""

import threading
import time
from datetime import datetime, timezone
from urllib.parse import unquote

from moto.core.responses import ActionResult, EmptyResult
from moto.eks import urls as eks_urls
from moto.eks.exceptions import InvalidParameterException, InvalidRequestException, \
    ResourceInUseException, ResourceNotFoundException
from moto.eks.responses import EKSResponse

PAGE = 100
POLICY_PREFIX = "arn:aws:eks::aws:cluster-access-policy/"
# The catalogue ListAccessPolicies returns (names as AWS lists them, 2025).
POLICY_NAMES = [
    "AmazonEKSAdminPolicy", "AmazonEKSAdminViewPolicy", "AmazonEKSAutoNodePolicy",
    "AmazonEKSBlockStorageClusterPolicy", "AmazonEKSClusterAdminPolicy",
    "AmazonEKSComputeClusterPolicy", "AmazonEKSEditPolicy", "AmazonEKSHybridPolicy",
    "AmazonEKSLoadBalancingClusterPolicy", "AmazonEKSNetworkingClusterPolicy",
    "AmazonEKSSecretReaderPolicy", "AmazonEKSViewPolicy", "AmazonEKSWorkerNodePolicy",
]

_lock = threading.Lock()
# (account, region, cluster) -> {principalArn: entry dict with "policies": {policyArn: association}}
_entries = {}
# (account, region, cluster) -> {updateId: update dict}; clientRequestToken -> first answer
_updates = {}
_tokens = {}


def _now():
    return datetime.now(timezone.utc)


def _cluster_entries(response, name):
    cluster = response.eks_backend.clusters.get(name)
    if cluster is None:
        raise ResourceNotFoundException(clusterName=name, message=f"No cluster found for name: {name}.")
    mode = (getattr(cluster, "access_config", None) or {}).get("authenticationMode", "CONFIG_MAP")
    if mode == "CONFIG_MAP":
        raise InvalidRequestException(
            clusterName=name,
            message="The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.")
    return _entries.setdefault((response.current_account, response.region, name), {})


def _entry(entries, name, principal):
    entry = entries.get(principal)
    if entry is None:
        raise ResourceNotFoundException(clusterName=name, principalArn=principal,
                                         message=f"The specified access entry resource is not found: {principal}.")
    return entry


def _principal(response):
    # SDKs percent-encode the ARN (its '/' too); Flask may hand it over decoded or not.
    return unquote(response._get_param("principalArn"))


def _public(entry, name, response):
    return {
        "clusterName": name,
        "principalArn": entry["principalArn"],
        "kubernetesGroups": list(entry["kubernetesGroups"]),
        "accessEntryArn": f"arn:aws:eks:{response.region}:{response.current_account}:access-entry/{name}/{entry['id']}",
        "createdAt": entry["createdAt"],
        "modifiedAt": entry["modifiedAt"],
        "tags": dict(entry["tags"]),
        "username": entry["username"],
        "type": entry["type"],
    }


def _page(items, response):
    max_results = response._get_int_param("maxResults", PAGE)
    start = int(response._get_param("nextToken") or 0)
    chunk = items[start:start + max_results]
    following = start + max_results
    return chunk, (str(following) if following < len(items) else None)


def create_access_entry(self):
    name = self._get_param("name")
    principal = self._get_param("principalArn")
    token = self._get_param("clientRequestToken")
    with _lock:
        entries = _cluster_entries(self, name)
        if token and (name, "create", token) in _tokens and principal in entries:
            return ActionResult({"accessEntry": _public(entries[principal], name, self)})
        if principal in entries:
            raise ResourceInUseException(clusterName=name, principalArn=principal,
                                         message="The specified access entry resource is already in use on this cluster.")
        entry_type = self._get_param("type") or "STANDARD"
        role_name = principal.split("/")[-1]
        account = principal.split(":")[4] if principal.count(":") >= 5 else self.current_account
        default_username = (f"arn:aws:sts::{account}:assumed-role/{role_name}/{{{{SessionName}}}}"
                            if ":role/" in principal else principal)
        # Node types get the node usernames EKS assigns (as EKS's describe-access-entry shows them).
        if entry_type in ("EC2_LINUX", "EC2_WINDOWS"):
            default_username = "system:node:{{EC2PrivateDNSName}}"
        elif entry_type == "FARGATE_LINUX":
            default_username = "system:node:{{SessionName}}"
        now = _now()
        entries[principal] = {
            "principalArn": principal,
            "id": f"{len(entries):08x}",
            "type": entry_type,
            "username": self._get_param("username") or default_username,
            "kubernetesGroups": list(self._get_param("kubernetesGroups") or []),
            "tags": dict(self._get_param("tags") or {}),
            "createdAt": now,
            "modifiedAt": now,
            "policies": {},
        }
        if token:
            _tokens[(name, "create", token)] = principal
        return ActionResult({"accessEntry": _public(entries[principal], name, self)})


def describe_access_entry(self):
    name = self._get_param("name")
    with _lock:
        entry = _entry(_cluster_entries(self, name), name, _principal(self))
        return ActionResult({"accessEntry": _public(entry, name, self)})


HOLD_READS = "eks-double/hold-reads"
READ_HELD = "eks-double/read-held"
MODE_UPDATE = "eks-double/mode-update"
MODE_UPDATE_ERROR = "eks-double/mode-update-error"


def _tags(response, name):
    return _cluster_tags(response.eks_backend.clusters.get(name))


def _cluster_tags(cluster):
    if cluster is None:
        return {}
    if cluster.tags is None:
        cluster.tags = {}
    return cluster.tags


def _hold_while_tagged(response, name):
    tags = _tags(response, name)
    if tags.get(HOLD_READS) != "true":
        return
    tags[READ_HELD] = "true"
    deadline = time.monotonic() + 60
    try:
        while tags.get(HOLD_READS) == "true" and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        tags.pop(READ_HELD, None)


def list_access_entries(self):
    name = self._get_param("name")
    policy = self._get_param("associatedPolicyArn")
    with _lock:
        entries = _cluster_entries(self, name)
        principals = [p for p, e in entries.items() if policy is None or policy in e["policies"]]
    if policy is None and not self._get_param("nextToken"):
        _hold_while_tagged(self, name)
    chunk, token = _page(principals, self)
    return ActionResult({"accessEntries": chunk, "nextToken": token})


def update_access_entry(self):
    name = self._get_param("name")
    with _lock:
        entry = _entry(_cluster_entries(self, name), name, _principal(self))
        groups = self._get_param("kubernetesGroups")
        if groups is not None:
            entry["kubernetesGroups"] = list(groups)  # replaced whole, as EKS does
        if self._get_param("username"):
            entry["username"] = self._get_param("username")
        entry["modifiedAt"] = _now()
        return ActionResult({"accessEntry": _public(entry, name, self)})


def delete_access_entry(self):
    name = self._get_param("name")
    with _lock:
        entries = _cluster_entries(self, name)
        _entry(entries, name, _principal(self))
        del entries[_principal(self)]
    return EmptyResult()


def associate_access_policy(self):
    name = self._get_param("name")
    policy = self._get_param("policyArn")
    if policy not in [POLICY_PREFIX + n for n in POLICY_NAMES]:
        raise InvalidParameterException(message=f"The policy {policy} is not an EKS access policy.")
    with _lock:
        entry = _entry(_cluster_entries(self, name), name, _principal(self))
        if entry["type"] != "STANDARD":
            raise InvalidParameterException(message="Access policies can only be associated with STANDARD entries.")
        now = _now()
        previous = entry["policies"].get(policy)
        association = {  # associating again replaces the scope
            "policyArn": policy,
            "accessScope": self._get_param("accessScope") or {"type": "cluster"},
            "associatedAt": previous["associatedAt"] if previous else now,
            "modifiedAt": now,
        }
        entry["policies"][policy] = association
        entry["modifiedAt"] = now
        return ActionResult({"clusterName": name, "principalArn": entry["principalArn"],
                             "associatedAccessPolicy": association})


def disassociate_access_policy(self):
    name = self._get_param("name")
    policy = unquote(self._get_param("policyArn"))
    with _lock:
        entry = _entry(_cluster_entries(self, name), name, _principal(self))
        entry["policies"].pop(policy, None)
    return EmptyResult()


def list_associated_access_policies(self):
    name = self._get_param("name")
    with _lock:
        entry = _entry(_cluster_entries(self, name), name, _principal(self))
        policies = list(entry["policies"].values())
    chunk, token = _page(policies, self)
    return ActionResult({"clusterName": name, "principalArn": entry["principalArn"],
                         "associatedAccessPolicies": chunk, "nextToken": token})


def list_access_policies(self):
    policies = [{"name": n, "arn": POLICY_PREFIX + n} for n in POLICY_NAMES]
    chunk, token = _page(policies, self)
    return ActionResult({"accessPolicies": chunk, "nextToken": token})


_update_cluster_config = EKSResponse.update_cluster_config
MODES = ["CONFIG_MAP", "API_AND_CONFIG_MAP", "API"]


def update_cluster_config(self):
    access = self._get_param("accessConfig")
    if not access or "authenticationMode" not in access:
        return _update_cluster_config(self)
    name = self._get_param("name")
    token = self._get_param("clientRequestToken")
    wanted = access["authenticationMode"]
    with _lock:
        cluster = self.eks_backend.clusters.get(name)
        if cluster is None:
            raise ResourceNotFoundException(clusterName=name, message=f"No cluster found for name: {name}.")
        updates = _updates.setdefault((self.current_account, self.region, name), {})
        if token and (name, "mode", token) in _tokens:
            return ActionResult({"update": updates[_tokens[(name, "mode", token)]]})
        config = getattr(cluster, "access_config", None) or {"authenticationMode": "CONFIG_MAP"}
        current = config.get("authenticationMode", "CONFIG_MAP")
        if wanted not in MODES or MODES.index(wanted) < MODES.index(current):
            raise InvalidParameterException(message=f"Unsupported authentication mode update from {current} to {wanted}")
        if wanted == current:
            raise InvalidParameterException(message=f"Unsupported authentication mode update from {current} to {wanted}")
        if any(u["status"] == "InProgress" for u in updates.values()):
            raise ResourceInUseException(clusterName=name, message="Cannot update the cluster while an update is in progress.")
        update_id = f"{len(updates) + 1:08d}-0000-4000-8000-{abs(hash(name)) % 10**12:012d}"
        updates[update_id] = {
            "id": update_id, "status": "InProgress", "type": "AccessConfigUpdate",
            "params": [{"type": "AuthenticationMode", "value": wanted}], "createdAt": _now(), "errors": [],
        }
        if token:
            _tokens[(name, "mode", token)] = update_id
        if MODE_UPDATE not in _cluster_tags(cluster):
            _progress(cluster, updates[update_id])
        return ActionResult({"update": updates[update_id]})


def _progress(cluster, update):
    """Moves an InProgress mode update on as the cluster's eks-double/mode-update tag says."""
    if update["status"] != "InProgress":
        return
    tags = _cluster_tags(cluster)
    knob = tags.get(MODE_UPDATE, "Successful")
    if knob == "Failed":
        update["status"] = "Failed"
        update["errors"] = [{"errorCode": "Unknown", "errorMessage": tags.get(MODE_UPDATE_ERROR, "failed"),
                             "resourceIds": [cluster.name]}]
    elif knob != "InProgress":
        config = dict(getattr(cluster, "access_config", None) or {"authenticationMode": "CONFIG_MAP"})
        config["authenticationMode"] = update["params"][0]["value"]
        cluster.access_config = config
        update["status"] = "Successful"


def describe_update(self):
    name = self._get_param("name")
    update_id = self._get_param("updateId")
    with _lock:
        update = _updates.get((self.current_account, self.region, name), {}).get(update_id)
        cluster = self.eks_backend.clusters.get(name)
        if update is not None and cluster is not None:
            _progress(cluster, update)
    if update is None:
        raise ResourceNotFoundException(clusterName=name, message=f"No update found for ID: {update_id}.")
    return ActionResult({"update": update})


def install():
    setattr(EKSResponse, "update_cluster_config", update_cluster_config)
    setattr(EKSResponse, "describe_update", describe_update)
    for function in (create_access_entry, describe_access_entry, list_access_entries, update_access_entry,
                     delete_access_entry, associate_access_policy, disassociate_access_policy,
                     list_associated_access_policies, list_access_policies):
        setattr(EKSResponse, function.__name__, function)
    # The principal and policy ARNs carry '/', so these take '.+' where moto's own paths take '[^/]+'.
    eks_urls.url_paths.update({
        "{0}/clusters/(?P<name>[^/]+)/updates/(?P<updateId>[^/]+)$": eks_urls.response.dispatch,
        "{0}/access-policies$": eks_urls.response.dispatch,
        "{0}/clusters/(?P<name>[^/]+)/access-entries$": eks_urls.response.dispatch,
        "{0}/clusters/(?P<name>[^/]+)/access-entries/(?P<principalArn>.+?)/access-policies/(?P<policyArn>.+)$":
            eks_urls.response.dispatch,
        "{0}/clusters/(?P<name>[^/]+)/access-entries/(?P<principalArn>.+)/access-policies$":
            eks_urls.response.dispatch,
        "{0}/clusters/(?P<name>[^/]+)/access-entries/(?P<principalArn>.+)$": eks_urls.response.dispatch,
    })

