/** The clusters' informer caches and snapshots: what awsauth, rbac, apply, request and report read a cluster through. */
@NamedInterface("cache")
package io.eksaccess.console.cluster.cache;

import org.springframework.modulith.NamedInterface;
