/**
 * Moving a cluster from aws-auth to access entries: the planner, the equivalence check and the
 * role-path restoration; the offline plan-migration command uses them too.
 */
@NamedInterface("migration")
package io.eksaccess.console.accessentry.migration;

import org.springframework.modulith.NamedInterface;
