package io.eksaccess.console.accessentry;

/**
 * The console wrote access entries or policy associations of this cluster, and read them back.
 * Past tense, ids only: the drift feature re-reads its baseline when it hears this.
 */
public record AccessEntriesWritten(String cluster, long intentId) {}
