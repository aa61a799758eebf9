package io.eksaccess.console.audit;

/**
 * The newest row of the audit history at some moment: what a checkpoint, a report or an
 * attestation records, so that a later verification (or an auditor holding an exported copy) can
 * tell whether rows up to it vanished or were rewritten.
 */
public record AuditChainHead(long sequence, String hash) {}
