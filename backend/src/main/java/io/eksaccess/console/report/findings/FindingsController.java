package io.eksaccess.console.report.findings;

import io.eksaccess.console.awsauth.Severity;
import io.eksaccess.console.identity.ActingPerson;
import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.system.FlashMessages;
import io.eksaccess.console.system.FormErrors;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A cluster's Findings tab: the findings by severity (what, where, why, how to fix), acknowledged
 * ones marked; admins acknowledge one with a reason and an expiry after confirming in a dialog.
 * GET shows, POST acknowledges and redirects back (Post/Redirect/Get); a refused acknowledgement shows
 * the page again with that finding's dialog open, the reason beside the field and what was typed.
 */
@Controller
class FindingsController {

    static final String VIEW = "report/findings";
    /** The expiry the dialog proposes. */
    static final int DEFAULT_DAYS = 90;

    /** One severity's findings, for a section of the page. */
    record SeverityGroup(Severity severity, List<ClusterFinding> findings) {}

    /**
     * One finding's acknowledgement as the dialog posts it. {@code expires}: the last day (UTC) it holds,
     * as typed (kept as text so a malformed date comes back as typed). The rules stay {@link ClusterFindings}'.
     */
    record AcknowledgementForm(
            @NotBlank(message = "{error.finding.which}") String findingId,
            @NotBlank(message = "{error.finding.which}") String resource,
            @NotBlank(message = "{error.finding.reason-required}")
            @Size(max = ClusterFindings.MAX_REASON, message = "{error.finding.reason-too-long}") String reason,
            String expires) {

        AcknowledgementForm {
            findingId = findingId == null ? "" : findingId;
            resource = resource == null ? "" : resource;
            reason = reason == null ? "" : reason;
            expires = expires == null ? "" : expires.strip();
        }

        static AcknowledgementForm empty() {
            return new AcknowledgementForm("", "", "", "");
        }

        /** Whether this form came from that finding's dialog (to open it again); public for the template's SpEL. */
        public boolean isFor(ClusterFinding finding) {
            return findingId.equals(finding.id()) && resource.equals(finding.resource());
        }

        LocalDate lastDay() {
            try {
                return LocalDate.parse(expires);
            } catch (DateTimeParseException e) {
                throw ConsoleException.invalid("error.finding.expiry-format").onField("expires");
            }
        }
    }

    private final ClusterFindings findings;
    private final FlashMessages flashes;

    FindingsController(ClusterFindings findings, FlashMessages flashes) {
        this.findings = findings;
        this.flashes = flashes;
    }

    @GetMapping("/clusters/{name}/findings")
    String showFindings(@PathVariable String name, Model model) {
        ClusterFindings.View view = findings.view(name)
                .orElseThrow(() -> ConsoleException.notFound("error.cluster.no-cluster", name));
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
        if (!model.containsAttribute("ackForm")) {
            model.addAttribute("ackForm", AcknowledgementForm.empty());
        }
        return VIEW;
    }

    /** The acknowledgement holds through the form's last day (UTC): it ends at the following midnight. */
    @PostMapping("/clusters/{name}/findings/acknowledgements")
    String processAcknowledgement(@PathVariable String name, @Valid @ModelAttribute("ackForm") AcknowledgementForm form,
            BindingResult result, ActingPerson person, Model model, RedirectAttributes redirect) {
        if (!result.hasErrors()) {
            try {
                LocalDate lastDay = form.lastDay();
                findings.acknowledge(person, name, form.findingId(), form.resource(), form.reason(),
                        lastDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
                flashes.success(redirect, "flash.finding.acknowledged", form.findingId(), form.resource(),
                        lastDay.toString());
                return "redirect:" + UriComponentsBuilder.fromPath("/clusters/{name}/findings").buildAndExpand(name)
                        .toUriString();
            } catch (ConsoleException e) {
                FormErrors.reject(result, e);
            }
        }
        return showFindings(name, model);
    }
}
