package io.eksaccess.console.audit;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The audit history (admins and auditors). */
@Controller
class AuditController {

    static final String VIEW = "audit/audit";

    @GetMapping("/audit")
    String showAudit() {
        return VIEW;
    }
}
