package io.eksaccess.console.rbac;

/**
 * The answer to can-i. {@code binding} and {@code subject} name the first binding (in the index's
 * order) that allows it; both are null for a denial and for the system:masters superuser shortcut.
 */
public record Decision(boolean allowed, String reason, BindingRef binding, Subject subject) {}
