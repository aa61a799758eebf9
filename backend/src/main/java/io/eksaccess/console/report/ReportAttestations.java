package io.eksaccess.console.report;

import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditChainHead;
import io.eksaccess.console.audit.AuditOutcome;
import io.eksaccess.console.audit.AuditQuery;
import io.eksaccess.console.identity.ActingPerson;
import io.eksaccess.console.identity.ConsoleRole;
import io.eksaccess.console.identity.CurrentUser;
import io.eksaccess.console.system.ConsoleException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * An auditor's statement that a report was reviewed: final once written, one per auditor and report,
 * and audited in the same transaction. It names the audit chain's head at that moment, so the attestation also vouches for
 * which audit rows existed then.
 */
@Component
class ReportAttestations {

    static final int MAX_TEXT = 4000;

    /** Refused with a reason a person can act on. */
    private final ReportRepository reports;
    private final AuditLog audit;
    private final AuditQuery auditQuery;
    private final Clock clock = Clock.systemUTC();

    ReportAttestations(ReportRepository reports, AuditLog audit, AuditQuery auditQuery) {
        this.reports = reports;
        this.audit = audit;
        this.auditQuery = auditQuery;
    }

    @Transactional
    void attest(long reportId, ActingPerson person, String comment, String exceptions) {
        CurrentUser user = person.user();
        if (!user.roles().contains(ConsoleRole.AUDITOR)) {
            throw new AccessDeniedException("Only auditors attest reports.");
        }
        ReportRepository.StoredReport report = reports.find(reportId)
                .orElseThrow(() -> ConsoleException.notFound("error.report.no-report", reportId));
        String text = comment == null ? "" : comment.strip();
        String excepted = exceptions == null ? "" : exceptions.strip();
        if (text.isEmpty()) {
            throw ConsoleException.invalid("error.report.comment-required").onField("comment");
        }
        if (text.length() > MAX_TEXT || excepted.length() > MAX_TEXT) {
            throw ConsoleException.invalid("error.report.text-too-long", MAX_TEXT);
        }
        // One attestation per auditor and report: a second would read as a second reviewer. Two submits
        // at once (a double click) are serialized here, so the second finds the first.
        reports.lockAttestationsOf(reportId);
        Optional<ReportRepository.Attestation> mine = reports.attestations(reportId).stream()
                .filter(a -> a.attestedBy().equals(user.subject())).findFirst();
        if (mine.isPresent()) {
            throw ConsoleException.conflict("error.report.already-attested", reportId, mine.get().attestedAt());
        }
        Optional<AuditChainHead> head = auditQuery.head();
        reports.attest(reportId, user.subject(), user.displayName(), clock.instant(), text, excepted,
                head.orElse(null));
        audit.record(AuditActor.of(person), AuditAction.REPORT_ATTESTED,
                ReportContent.ALL.equals(report.scope()) ? null : report.scope(), "reports/" + reportId,
                Map.of("sha256", report.sha256(), "exceptions", excepted.isEmpty() ? "none" : "yes",
                        "auditHead", head.map(h -> h.sequence() + ":" + h.hash()).orElse("none")),
                AuditOutcome.SUCCESS);
    }
}
