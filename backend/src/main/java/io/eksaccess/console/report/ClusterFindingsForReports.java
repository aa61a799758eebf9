package io.eksaccess.console.report;

import io.eksaccess.console.report.findings.ClusterFindings;
import java.util.List;
import org.springframework.stereotype.Component;

/** Reports list the findings engine's current findings of a cluster, acknowledged ones marked. */
@Component
class ClusterFindingsForReports implements ReportFindings {

    private final ClusterFindings findings;

    ClusterFindingsForReports(ClusterFindings findings) {
        this.findings = findings;
    }

    @Override
    public List<ReportedFinding> current(String cluster) {
        return findings.current(cluster).stream()
                .map(f -> new ReportedFinding(f.id(), f.severity().label(), f.resource(), f.message(), f.acknowledged()))
                .toList();
    }
}
