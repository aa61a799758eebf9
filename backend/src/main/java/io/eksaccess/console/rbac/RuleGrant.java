package io.eksaccess.console.rbac;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;

/** One rule a subject holds: where (namespace, or null for cluster-wide), through which binding and subject. */
public record RuleGrant(String namespace, BindingRef binding, Subject via, PolicyRule rule) {}
