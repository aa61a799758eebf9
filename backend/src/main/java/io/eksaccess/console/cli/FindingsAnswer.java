package io.eksaccess.console.cli;

import io.eksaccess.console.awsauth.Severity;
import io.eksaccess.console.rbac.RbacJson;
import io.eksaccess.console.report.findings.FindingsEngine;
import io.eksaccess.console.report.findings.SecurityFinding;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a findings call prints, both ways: the text, the JSON, and the notes that {@code --json}
 * sends to stderr. A plain call (no --aws-auth, no --access-entries) keeps it as printed, so a later
 * call over the same bytes only prints it: over a large dump the findings are ~2 MB of output, and
 * rendering them again was most of such a call's time.
 */
record FindingsAnswer(String text, String json, List<String> notChecked) {

    static FindingsAnswer of(FindingsEngine.Evaluation evaluation, int objects) {
        return new FindingsAnswer(text(evaluation, objects), json(evaluation), List.copyOf(evaluation.notChecked()));
    }

    static String json(FindingsEngine.Evaluation evaluation) {
        ObjectNode root = RbacJson.JSON.createObjectNode();
        ArrayNode findings = root.putArray("findings");
        for (SecurityFinding finding : evaluation.findings()) {
            ObjectNode node = findings.addObject();
            node.put("id", finding.id());
            node.put("severity", finding.severity().label());
            node.put("resource", finding.resource());
            node.put("message", finding.message());
        }
        return RbacJson.JSON.writeValueAsString(root);
    }

    /** The text form, each line ended as println ends it. */
    static String text(FindingsEngine.Evaluation evaluation, int objects) {
        String newline = System.lineSeparator();
        StringBuilder text = new StringBuilder(256 * (evaluation.findings().size() + 1));
        Map<Severity, Long> counts = new EnumMap<>(Severity.class);
        evaluation.findings().forEach(f -> counts.merge(f.severity(), 1L, Long::sum));
        text.append("findings: ").append(evaluation.findings().size()).append(" over ").append(objects).append(" object(s)")
                .append(counts.isEmpty() ? "" : " (" + counts.entrySet().stream()
                        .map(e -> e.getValue() + " " + e.getKey().label()).collect(Collectors.joining(", ")) + ")")
                .append(newline);
        for (SecurityFinding finding : evaluation.findings()) {
            // "%-8s %-11s %s" written out: a Formatter parse per finding was most of the rendering.
            text.append(padded(finding.severity().label(), 8)).append(' ').append(padded(finding.id(), 11)).append(' ')
                    .append(finding.resource()).append(newline)
                    .append("  ").append(finding.message()).append(newline)
                    .append("  guide: ").append(finding.guideSection()).append(newline);
        }
        if (!evaluation.notChecked().isEmpty()) {
            text.append("not checked:").append(newline);
            evaluation.notChecked().forEach(note -> text.append("  ").append(note).append(newline));
        }
        return text.toString();
    }

    /** {@code String.format("%-" + width + "s", text)}. */
    static String padded(String text, int width) {
        String value = String.valueOf(text);
        return value.length() >= width ? value : value + " ".repeat(width - value.length());
    }
}
