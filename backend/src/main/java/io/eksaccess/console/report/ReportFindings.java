package io.eksaccess.console.report;

import java.util.List;

/**
 * Where reports get a cluster's open findings. The findings engine provides one bean of this type
 * (an adapter over {@code report.findings.ClusterFindings}); while there is none, reports say that
 * findings were not available instead of claiming there were none.
 */
public interface ReportFindings {

    List<ReportedFinding> current(String cluster);
}
