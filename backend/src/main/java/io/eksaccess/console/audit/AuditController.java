package io.eksaccess.console.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/** The audit history (admins and auditors): filter, page back in time, verify the chain. */
@Controller
class AuditController {

    static final String VIEW = "audit/audit";
    static final String RESULTS_FRAGMENT = "audit/audit :: results";

    private final AuditQuery query;
    private final AuditChainVerificationJob verification;

    AuditController(AuditQuery query, AuditChainVerificationJob verification) {
        this.query = query;
        this.verification = verification;
    }

    @GetMapping("/audit")
    String showAudit(
            @RequestParam(required = false) String actor,
            @RequestParam(required = false) String cluster,
            @RequestParam(required = false) AuditAction action,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) Long before,
            @RequestHeader(name = "HX-Request", required = false) String htmx,
            Model model) {
        AuditQuery.Filter filter = new AuditQuery.Filter(actor, cluster, action, startOf(from),
                to == null ? null : startOf(to.plusDays(1)), before);
        model.addAttribute("page", query.search(filter));
        model.addAttribute("filter", filter);
        model.addAttribute("fromDate", from);
        model.addAttribute("toDate", to);
        model.addAttribute("actions", AuditAction.values());
        model.addAttribute("lastVerification", verification.last().orElse(null));
        return htmx != null ? RESULTS_FRAGMENT : VIEW;
    }

    /** Walks the whole chain; a POST because it is expensive, not because it changes anything. */
    @PostMapping("/audit/verify")
    String verifyChain(Model model) {
        model.addAttribute("verification", verification.verifyAndRecord());
        return showAudit(null, null, null, null, null, null, null, model);
    }

    private static Instant startOf(LocalDate day) {
        return day == null ? null : day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
