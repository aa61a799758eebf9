package io.eksaccess.console.report;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** Periodic access reports (admins and auditors). */
@Controller
class ReportsController {

    static final String VIEW = "report/reports";

    @GetMapping("/reports")
    String showReports() {
        return VIEW;
    }
}
