package io.eksaccess.console.report.findings;

import io.eksaccess.console.awsauth.Severity;
import io.eksaccess.console.identity.ActingPerson;
import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.system.RefusalRedirect;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A cluster's Findings tab: the findings by severity (what, where, why, how to fix), acknowledged
 * ones marked; admins acknowledge one with a reason and an expiry after confirming in a dialog.
 * GET shows, POST acknowledges and redirects back (Post/Redirect/Get).
 */
@Controller
class FindingsController {

    static final String VIEW = "report/findings";
    /** The expiry the dialog proposes. */
    static final int DEFAULT_DAYS = 90;

    /** One severity's findings, for a section of the page. */
    record SeverityGroup(Severity severity, List<ClusterFinding> findings) {}

    private final ClusterFindings findings;

    FindingsController(ClusterFindings findings) {
        this.findings = findings;
    }

    @GetMapping("/clusters/{name}/findings")
    String showFindings(@PathVariable String name, Model model) {
        ClusterFindings.View view = findings.view(name)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No cluster " + name));
        Map<Severity, List<ClusterFinding>> bySeverity = new EnumMap<>(Severity.class);
        view.findings().forEach(f -> bySeverity.computeIfAbsent(f.severity(), s -> new java.util.ArrayList<>()).add(f));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        model.addAttribute("cluster", view.cluster());
        model.addAttribute("status", view.status());
        model.addAttribute("hasData", view.hasData());
        model.addAttribute("findings", view.findings());
        model.addAttribute("groups", bySeverity.entrySet().stream().map(e -> new SeverityGroup(e.getKey(), e.getValue())).toList());
        model.addAttribute("open", view.findings().stream().filter(f -> !f.acknowledged()).count());
        model.addAttribute("notChecked", view.notChecked());
        model.addAttribute("defaultExpiry", today.plusDays(DEFAULT_DAYS));
        model.addAttribute("minExpiry", today.plusDays(1));
        model.addAttribute("maxExpiry", today.plusDays(ClusterFindings.MAX_ACKNOWLEDGEMENT.toDays() - 1));
        return VIEW;
    }

    /** {@code expires}: the last day (UTC) the acknowledgement holds; it ends at the following midnight. */
    @PostMapping("/clusters/{name}/findings/acknowledgements")
    @RefusalRedirect("/clusters/{name}/findings")
    String processAcknowledgement(@PathVariable String name, @RequestParam String findingId, @RequestParam String resource,
            @RequestParam(defaultValue = "") String reason, @RequestParam(defaultValue = "") String expires,
            ActingPerson person, RedirectAttributes redirect) {
        String back = "redirect:" + UriComponentsBuilder.fromPath("/clusters/{name}/findings").buildAndExpand(name).toUriString();
        LocalDate lastDay;
        try {
            lastDay = LocalDate.parse(expires.strip());
        } catch (DateTimeParseException e) {
            throw ConsoleException.invalid("error.finding.expiry-format").onField("expires");
        }
        findings.acknowledge(person, name, findingId, resource, reason,
                lastDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        redirect.addFlashAttribute("message", findingId + " on " + resource + " is acknowledged until " + lastDay + ".");
        return back;
    }
}
