package io.eksaccess.console.report;

import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditOutcome;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.identity.ActingPerson;
import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.system.FlashMessages;
import io.eksaccess.console.system.FormErrors;
import io.eksaccess.console.system.RefusalRedirect;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Access reports (admins and auditors): list and generate, follow generation, read a report,
 * download it as JSON (the exact hashed text) or CSV, and attest it (auditors).
 */
@Controller
class ReportsController {

    static final String LIST_VIEW = "report/reports";
    static final String REPORT_VIEW = "report/report";
    static final String JOB_VIEW = "report/job";
    static final String JOB_FRAGMENT = "report/fragments :: job";

    private final ReportRepository reports;
    private final ReportJobs jobs;
    private final ReportAttestations attestations;
    private final ClusterRepository clusters;
    private final AuditLog audit;
    private final FlashMessages flashes;

    /**
     * What an auditor types to attest a report; a refused one comes back with both texts as typed.
     * The lengths are {@link ReportAttestations}' (which checks them again for any other caller).
     */
    record AttestForm(
            @NotBlank(message = "{error.report.comment-required}")
            @Size(max = ReportAttestations.MAX_TEXT, message = "{error.report.comment-size}") String comment,
            @Size(max = ReportAttestations.MAX_TEXT, message = "{error.report.exceptions-size}") String exceptions) {

        AttestForm {
            comment = comment == null ? "" : comment;
            exceptions = exceptions == null ? "" : exceptions;
        }

        static AttestForm empty() {
            return new AttestForm("", "");
        }
    }

    ReportsController(ReportRepository reports, ReportJobs jobs, ReportAttestations attestations,
            ClusterRepository clusters, AuditLog audit, FlashMessages flashes) {
        this.flashes = flashes;
        this.reports = reports;
        this.jobs = jobs;
        this.attestations = attestations;
        this.clusters = clusters;
        this.audit = audit;
    }

    @GetMapping("/reports")
    String showReports(Model model) {
        model.addAttribute("reports", reports.recent(100));
        model.addAttribute("clusters", clusters.findAll().stream().map(Cluster::name).toList());
        model.addAttribute("all", ReportContent.ALL);
        return LIST_VIEW;
    }

    @PostMapping("/reports")
    @RefusalRedirect("/reports")
    String processGenerate(@RequestParam String scope, ActingPerson person,
            RedirectAttributes redirect) {
        if (!ReportContent.ALL.equals(scope) && !clusters.exists(scope)) {
            throw ConsoleException.invalid("error.report.no-cluster", scope);
        }
        UUID job = jobs.start(scope, ReportTrigger.ON_DEMAND, AuditActor.of(person));
        return "redirect:/reports/jobs/" + job;
    }

    /**
     * The generation's progress; an htmx poll gets the fragment, and is sent to the report once it is done.
     * A page opened after it is done (a small report is often ready before the browser follows the
     * redirect to here) goes straight to the report: the finished fragment would not poll again.
     */
    @GetMapping("/reports/jobs/{id}")
    String showJob(@PathVariable UUID id, @RequestHeader(name = "HX-Request", required = false) String htmx,
            Model model, HttpServletResponse response) {
        ReportRepository.Job job = reports.job(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No report generation " + id));
        if (htmx == null && job.reportId() != null) {
            return "redirect:/reports/" + job.reportId();
        }
        model.addAttribute("job", job);
        if (htmx != null && job.reportId() != null) {
            response.setHeader("HX-Redirect", "/reports/" + job.reportId());
        }
        return htmx != null ? JOB_FRAGMENT : JOB_VIEW;
    }

    @GetMapping("/reports/{id}")
    String showReport(@PathVariable long id, ActingPerson person, Model model) {
        ReportRepository.StoredReport stored = find(id);
        model.addAttribute("stored", stored);
        model.addAttribute("report", ReportGenerator.read(stored.content()));
        List<ReportRepository.Attestation> attested = reports.attestations(id);
        model.addAttribute("attestations", attested);
        // An auditor attests a report once; the form is not offered again.
        model.addAttribute("myAttestation", attested.stream()
                .filter(a -> a.attestedBy().equals(person.user().subject())).findFirst().orElse(null));
        if (!model.containsAttribute("attestForm")) {
            model.addAttribute("attestForm", AttestForm.empty());
        }
        return REPORT_VIEW;
    }

    /** The stored text itself, so {@code sha256sum} of the download equals the hash on the page. */
    @GetMapping("/reports/{id}/report.json")
    ResponseEntity<byte[]> downloadJson(@PathVariable long id, ActingPerson person) {
        ReportRepository.StoredReport stored = find(id);
        exported(stored, "json", person);
        return download(stored.content(), MediaType.APPLICATION_JSON, "access-report-" + id + ".json");
    }

    @GetMapping("/reports/{id}/report.csv")
    ResponseEntity<byte[]> downloadCsv(@PathVariable long id, ActingPerson person) {
        ReportRepository.StoredReport stored = find(id);
        exported(stored, "csv", person);
        return download(ReportCsv.of(ReportGenerator.read(stored.content())),
                new MediaType("text", "csv", StandardCharsets.UTF_8), "access-report-" + id + ".csv");
    }

    /** A refused attestation shows the report again, the reason beside the field and the texts as typed. */
    @PostMapping("/reports/{id}/attestations")
    String processAttest(@PathVariable long id, @Valid @ModelAttribute("attestForm") AttestForm form,
            BindingResult result, ActingPerson person, Model model, RedirectAttributes redirect) {
        if (!result.hasErrors()) {
            try {
                attestations.attest(id, person, form.comment(), form.exceptions());
                flashes.success(redirect, "flash.report.attested", id);
                return "redirect:/reports/" + id;
            } catch (ConsoleException e) {
                if (e.kind() == ConsoleException.Kind.CONFLICT) {
                    model.addAttribute("error", e.getMessage()); // the form is gone: attested already
                } else {
                    FormErrors.reject(result, e);
                }
            }
        }
        return showReport(id, person, model);
    }

    private ReportRepository.StoredReport find(long id) {
        return reports.find(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No report " + id));
    }

    private void exported(ReportRepository.StoredReport stored, String format, ActingPerson person) {
        audit.record(AuditActor.of(person), AuditAction.REPORT_EXPORTED,
                ReportContent.ALL.equals(stored.scope()) ? null : stored.scope(), "reports/" + stored.id(),
                Map.of("format", format, "sha256", stored.sha256()), AuditOutcome.SUCCESS);
    }

    private static ResponseEntity<byte[]> download(String body, MediaType type, String filename) {
        return ResponseEntity.ok()
                .contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build()
                        .toString())
                .body(body.getBytes(StandardCharsets.UTF_8));
    }
}
