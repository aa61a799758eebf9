/**
 * Moving a cluster from aws-auth to access entries: the planner, the equivalence check, the
 * role-path restoration and the page whose steps file ordinary requests. A feature of its own
 * because it sits above both the read side (accessentry) and the write side (apply, request);
 * the offline plan-migration command uses it too.
 */
package io.eksaccess.console.migration;
