package io.eksaccess.console.report;

import io.eksaccess.console.report.ReportContent.AccessChange;
import io.eksaccess.console.report.ReportContent.Binding;
import io.eksaccess.console.report.ReportContent.ClusterSection;
import io.eksaccess.console.report.ReportContent.Event;
import io.eksaccess.console.report.ReportContent.Permission;
import io.eksaccess.console.report.ReportContent.Principal;
import java.util.List;

/**
 * A report as one flat CSV table (RFC 4180, every field quoted), a row per permission, binding,
 * finding, access change and event, and one for the audit chain's head when the report was made;
 * {@code section} says which. Times are ISO-8601 UTC. Cells that
 * a spreadsheet would run as a formula get a leading apostrophe.
 */
final class ReportCsv {

    static final String HEADER = "section,cluster,principal,username,groups,namespace,access,via,time,detail";

    private ReportCsv() {}

    static String of(ReportContent report) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (ClusterSection cluster : report.clusters()) {
            for (Principal principal : cluster.principals()) {
                if (principal.permissions().isEmpty()) {
                    row(csv, "principal", cluster.name(), principal.arn(), principal.username(),
                            String.join(" ", principal.groups()), "", "", principal.mappedBy(), report.generatedAt(), "");
                }
                for (Permission permission : principal.permissions()) {
                    row(csv, "permission", cluster.name(), principal.arn(), principal.username(),
                            String.join(" ", principal.groups()), permission.namespace(), permission.summary(),
                            permission.via(), report.generatedAt(), principal.mappedBy());
                }
            }
            for (Binding binding : cluster.bindings()) {
                row(csv, "binding", cluster.name(), String.join(" ", binding.subjects()), "", "",
                        binding.namespace() == null ? Permission.CLUSTER_WIDE : binding.namespace(),
                        binding.roleKind() + " " + binding.roleName(), binding.kind() + " " + binding.name(),
                        report.generatedAt(), "");
            }
            for (ReportedFinding finding : cluster.findings()) {
                row(csv, "finding", cluster.name(), finding.resource(), "", "", "",
                        finding.id() + " " + finding.severity(), "", report.generatedAt(),
                        (finding.acknowledged() ? "[acknowledged] " : "") + finding.message());
            }
        }
        changes(csv, "access-gained", report.changes().accessGained(), report.generatedAt());
        changes(csv, "access-lost", report.changes().accessLost(), report.generatedAt());
        events(csv, "request-applied", report.changes().requestsApplied());
        events(csv, "break-glass", report.changes().breakGlass());
        events(csv, "drift", report.changes().drift());
        if (report.auditChainHead() != null) {
            row(csv, "audit-chain-head", "", "", "", "", "", "", "", report.generatedAt(),
                    "#" + report.auditChainHead().sequence() + " " + report.auditChainHead().hash());
        }
        return csv.toString();
    }

    private static void changes(StringBuilder csv, String section, List<AccessChange> changes, String at) {
        changes.forEach(c -> row(csv, section, c.cluster(), c.principal(), "", "", "", c.what(), "", at, ""));
    }

    private static void events(StringBuilder csv, String section, List<Event> events) {
        events.forEach(e -> row(csv, section, e.cluster(), e.actor(), "", "", "", e.action(), "", e.occurredAt(),
                "#" + e.sequence() + " " + (e.resource() == null ? "" : e.resource()) + " " + e.outcome()));
    }

    private static void row(StringBuilder csv, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(quote(fields[i]));
        }
        csv.append("\r\n");
    }

    static String quote(String field) {
        String value = field == null ? "" : field;
        if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
            value = "'" + value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
