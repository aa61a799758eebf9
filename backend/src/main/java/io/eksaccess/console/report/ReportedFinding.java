package io.eksaccess.console.report;

/**
 * An open finding as a report lists it (IDs from FINDINGS.md).
 *
 * @param acknowledged acknowledged findings still appear, marked as such
 */
public record ReportedFinding(String id, String severity, String resource, String message, boolean acknowledged) {}
