package io.eksaccess.console.report;

/** Why a report was made. */
public enum ReportTrigger {
    SCHEDULED,
    ON_DEMAND
}
