package io.eksaccess.console.report.findings;

import io.eksaccess.console.awsauth.Severity;

/**
 * A finding on a registered cluster and, if an admin accepted it for now, the acknowledgement in
 * force ({@code null} when it is open). Acknowledged findings are still findings: reports list
 * them, marked.
 */
public record ClusterFinding(SecurityFinding finding, Acknowledgement acknowledgement) {

    public boolean acknowledged() {
        return acknowledgement != null;
    }

    public String id() {
        return finding.id();
    }

    public Severity severity() {
        return finding.severity();
    }

    public String resource() {
        return finding.resource();
    }

    public String message() {
        return finding.message();
    }

    public String guideSection() {
        return finding.guideSection();
    }

    public String title() {
        return finding.title();
    }
}
