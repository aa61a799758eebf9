package io.eksaccess.console.awsauth;

import java.util.Locale;

/** Finding severities of FINDINGS.md, most severe first. */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, INFO;

    /** As FINDINGS.md and the CLI's JSON write it: "critical", "high", … */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
